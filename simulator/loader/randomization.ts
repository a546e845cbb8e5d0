import { SeededRandom } from './random';

/** randomize_va_space: off (0, or setarch -R), on (1: no brk), full (2). */
export type AslrMode = 'off' | 'on' | 'full';

/** The PF_RANDOMIZE decision and the random stream of one execve. */
export class Randomization {
  readonly pfRandomize: boolean;
  private readonly random: SeededRandom;

  constructor(
    readonly mode: AslrMode,
    seed: bigint,
  ) {
    this.pfRandomize = mode !== 'off';
    this.random = new SeededRandom(seed);
  }

  /** randomize_va_space > 1: brk is randomized too. */
  get randomizeBrk(): boolean {
    return this.mode === 'full';
  }

  nextLong(): bigint {
    return this.random.nextLong();
  }

  below(ceil: bigint): bigint {
    return this.random.below(ceil);
  }
}
