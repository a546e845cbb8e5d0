const MASK64 = (1n << 64n) - 1n;

/**
 * get_random_long() for the simulation: a seeded splitmix64 stream, so the
 * same --seed always gives the same randomized layout. (The kernel's own
 * values cannot be predicted; only their ranges are reproduced.)
 */
export class SeededRandom {
  private state: bigint;

  constructor(seed: bigint) {
    this.state = seed & MASK64;
  }

  nextLong(): bigint {
    this.state = (this.state + 0x9e3779b97f4a7c15n) & MASK64;
    let z = this.state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
    return z ^ (z >> 31n);
  }
}
