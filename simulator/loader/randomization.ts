import { SeededRandom } from './random';

/** randomize_va_space: off (0, or setarch -R), on (1: no brk), full (2). */
export type AslrMode = 'off' | 'on' | 'full';

/**
 * The addresses execve's randomization picks, taken as given (`set layout`, read off a real
 * process): `load` the program's first PT_LOAD page (ET_DYN), `mmapBase` mm->mmap_base,
 * `stackTop` the end of [stack], `brk` mm->start_brk. Each one left out is randomized as usual.
 */
export interface PinnedLayout {
  readonly load?: bigint;
  readonly mmapBase?: bigint;
  readonly stackTop?: bigint;
  readonly brk?: bigint;
}

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
