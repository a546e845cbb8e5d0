/**
 * A count per frame (mapcount, refcount) in one byte. Counts above 255 are rare (a page mapped by
 * hundreds of processes): their upper bits go to a second array, made at the first such count. Both
 * arrays are calloc'd, so the upper one costs memory only where it was written.
 */
export class FrameCounts {
  private high: Uint16Array | undefined;

  constructor(private low: Uint8Array) {}

  static of(frames: number): FrameCounts {
    return new FrameCounts(new Uint8Array(frames));
  }

  get length(): number {
    return this.low.length;
  }

  get(pfn: number): number {
    const high = this.high;
    return high ? this.low[pfn]! + high[pfn]! * 256 : this.low[pfn]!;
  }

  set(pfn: number, count: number): void {
    if (count < 0 || count > 0xffffff) outOfRange(pfn, count);
    this.low[pfn] = count & 255;
    if (count > 255 && !this.high) this.high = new Uint16Array(this.low.length);
    if (this.high) this.high[pfn] = count >>> 8;
  }

  /** Adds `delta` (may be negative) and returns the new count. */
  add(pfn: number, delta: number): number {
    const low = this.low[pfn]! + delta;
    // The common case: no count has needed the upper bits, and this one does not.
    if (!this.high && low >= 0 && low <= 255) {
      this.low[pfn] = low;
      return low;
    }
    const high = this.high;
    if (!high) {
      this.set(pfn, low);
      return low;
    }
    const count = low + high[pfn]! * 256;
    if (count < 0 || count > 0xffffff) outOfRange(pfn, count);
    this.low[pfn] = count & 255;
    high[pfn] = count >>> 8;
    return count;
  }

  /** A copy of the first `length` counts, in arrays `capacity` long. */
  copy(length: number, capacity = length): FrameCounts {
    const low = new Uint8Array(capacity);
    low.set(this.low.subarray(0, length));
    const out = new FrameCounts(low);
    if (this.high) {
      out.high = new Uint16Array(capacity);
      out.high.set(this.high.subarray(0, length));
    }
    return out;
  }
}

function outOfRange(pfn: number, count: number): never {
  throw new RangeError(`frame ${pfn}: count ${count} out of range`);
}
