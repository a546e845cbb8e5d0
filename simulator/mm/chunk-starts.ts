// The index of each VMA tree chunk's first VMA (vma-tree.ts), with a shift kept pending: VMAs placed
// one after another land in the same chunk (mmap works top-down), so the chunks after it are shifted
// lazily instead of rewritten per insert.

export class ChunkStarts {
  /** For each chunk: the index of its first VMA, except that the chunks after `shiftedAfter` are `shift` further on. */
  private firstIndex: number[] = [];
  private shiftedAfter = -1;
  private shift = 0;

  /** A copy, the pending shift written in first. */
  clone(): ChunkStarts {
    this.applyShift();
    const copy = new ChunkStarts();
    copy.firstIndex = this.firstIndex.slice();
    return copy;
  }

  /** The index of chunk c's first VMA. */
  firstOf(c: number): number {
    return this.firstIndex[c]! + (c > this.shiftedAfter ? this.shift : 0);
  }

  /** Sets the index of chunk c's first VMA, whatever shift is pending. */
  setFirstOf(c: number, index: number): void {
    this.firstIndex[c] = index - (c > this.shiftedAfter ? this.shift : 0);
  }

  /** The chunk holding VMA `index`: the last whose first index is not above it. */
  chunkOf(index: number): number {
    let lo = 0;
    let hi = this.firstIndex.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.firstOf(mid) <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The chunks after chunk c moved by delta VMAs: added to the pending shift, moved to start after c first. */
  shiftAfter(c: number, delta: number): void {
    if (delta === 0) return;
    if (this.shift !== 0 && this.shiftedAfter !== c) this.moveShift(c);
    this.shiftedAfter = c;
    this.shift += delta;
  }

  /** Chunks [first, first + gone) replaced by `count` chunks, their first indexes to be set (by renumber). */
  replace(first: number, gone: number, count: number): void {
    this.applyShift();
    this.firstIndex.splice(first, gone, ...new Array<number>(count).fill(0));
  }

  /** The first indexes from chunk `from` on, from the chunks' sizes (no shift pending after). */
  renumber(from: number, sizes: readonly { readonly length: number }[]): void {
    this.applyShift();
    this.firstIndex.length = sizes.length;
    let index = from > 0 ? this.firstIndex[from - 1]! + sizes[from - 1]!.length : 0;
    for (let c = from; c < sizes.length; c++) {
      this.firstIndex[c] = index;
      index += sizes[c]!.length;
    }
  }

  /**
   * The pending shift made to start after chunk c instead, in steps of the chunks between: those
   * after c and up to where it started are written so that the shift adds to them; those up to c
   * and after where it started have it written in. (Writing it into every chunk after it made a
   * pass of changes along a chunk boundary cost a step per chunk each.)
   */
  private moveShift(c: number): void {
    const from = this.shiftedAfter;
    if (c < from) for (let k = c + 1; k <= from; k++) this.firstIndex[k]! -= this.shift;
    else for (let k = from + 1; k <= c && k < this.firstIndex.length; k++) this.firstIndex[k]! += this.shift;
    this.shiftedAfter = c;
  }

  /** Writes the pending shift into the first indexes. */
  private applyShift(): void {
    if (this.shift !== 0) for (let k = this.shiftedAfter + 1; k < this.firstIndex.length; k++) this.firstIndex[k]! += this.shift;
    this.shiftedAfter = -1;
    this.shift = 0;
  }
}
