/**
 * The largest of a row of numbers, kept for every power-of-two span of it (a max segment tree over
 * typed arrays), so that "the last entry at or before i that is at least L" takes O(log n) steps
 * instead of a walk. The VMA tree keeps its chunks' largest gaps in one, as the maple tree keeps
 * each node's largest gap for unmapped_area_topdown.
 */
export class MaxTree {
  /** Node k covers nodes 2k and 2k + 1; the leaves are [size, 2 * size). Unused leaves are -1. */
  private nodes = new Float64Array(2).fill(-1);
  private size = 1;
  private count = 0;

  /** Replaces every entry (after chunks were added or removed). */
  rebuild(values: readonly number[]): void {
    const n = values.length;
    let size = 1;
    while (size < n) size <<= 1;
    if (size !== this.size) {
      this.size = size;
      this.nodes = new Float64Array(2 * size);
    }
    const nodes = this.nodes;
    nodes.fill(-1);
    for (let i = 0; i < n; i++) nodes[size + i] = values[i]!;
    for (let k = size - 1; k >= 1; k--) nodes[k] = Math.max(nodes[2 * k]!, nodes[2 * k + 1]!);
    this.count = n;
  }

  set(i: number, value: number): void {
    const nodes = this.nodes;
    let k = this.size + i;
    nodes[k] = value;
    for (k >>= 1; k >= 1; k >>= 1) {
      const max = Math.max(nodes[2 * k]!, nodes[2 * k + 1]!);
      if (nodes[k] === max) break;
      nodes[k] = max;
    }
  }

  /** The largest index at or before `i` whose entry is at least `least`, or -1. */
  lastAtLeast(i: number, least: number): number {
    if (i < 0 || this.count === 0) return -1;
    const nodes = this.nodes;
    let k = this.size + Math.min(i, this.count - 1);
    if (nodes[k]! >= least) return k - this.size;
    // Up: the left siblings of the right children on the way are exactly the entries before i.
    for (;;) {
      if (k === 1) return -1;
      if (k & 1 && nodes[k - 1]! >= least) {
        k--;
        break;
      }
      k >>= 1;
    }
    // Down: the rightmost leaf under k that is at least `least`.
    while (k < this.size) {
      k = 2 * k + 1;
      if (nodes[k]! < least) k--;
    }
    return k - this.size;
  }

  /** A copy (the tree's clone shares nothing with it). */
  clone(): MaxTree {
    const copy = new MaxTree();
    copy.nodes = this.nodes.slice();
    copy.size = this.size;
    copy.count = this.count;
    return copy;
  }
}
