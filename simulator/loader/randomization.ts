import { SeededRandom } from './random';

/** randomize_va_space: off (0, or setarch -R), on (1: no brk), full (2). */
export type AslrMode = 'off' | 'on' | 'full';

/** Where get_random_long() values come from: a seeded stream, or fixed values in tests. */
export interface RandomSource {
  nextLong(): bigint;
}

/** The PF_RANDOMIZE decision and the random stream of one execve. */
export class Randomization {
  readonly pfRandomize: boolean;
  private readonly random: RandomSource;

  constructor(
    readonly mode: AslrMode,
    source: bigint | RandomSource,
  ) {
    this.pfRandomize = mode !== 'off';
    this.random = typeof source === 'bigint' ? new SeededRandom(source) : source;
  }

  /** randomize_va_space > 1: brk is randomized too. */
  get randomizeBrk(): boolean {
    return this.mode === 'full';
  }

  nextLong(): bigint {
    return this.random.nextLong();
  }

  /** get_random_u32_below(ceil). */
  below(ceil: bigint): bigint {
    return (this.random.nextLong() & 0xffffffffn) % ceil;
  }
}
