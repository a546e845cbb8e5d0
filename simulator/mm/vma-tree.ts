import { MaxTree } from './max-tree';
import { upperBound } from './sorted';
import { vpnOf, type Vma } from './vma';
import { VmaSums } from './vma-sums';
import { copyChunk, largest, newChunk, openGap, splitEvenly, startGap, type Chunk } from './vma-chunk';

export { STACK_GUARD_GAP, startGap } from './vma-chunk';

/** VMAs per chunk, as a chunk is split; one holds at most twice as many. */
const CHUNK = 128;
/** VMAs per block: a block's largest gap lets the gap search pass 16 VMAs of a chunk in one step. */
const BLOCK_SHIFT = 4;

/** Changes of any tree so far: a tree's generation changes with every change to it. */
let changes = 0;

/** The changes made to any tree so far: while it stays the same, no VMA of any mm has changed. */
export const vmaTreeChanges = (): number => changes;

/**
 * The VMAs of one mm in address order, stored in chunks that each know the
 * largest free gap in front of their VMAs, with a max tree over those gaps — a
 * stand-in for the kernel's maple tree, so that inserting and finding a gap stay
 * fast with 1M VMAs. Page numbers are numbers (they fit in 2^53); the VMAs keep their bigint addresses.
 */
export class VmaTree {
  private chunks: Chunk[] = [];
  /**
   * For each chunk: whether this tree alone holds its arrays. A clone shares every chunk with its
   * original (a checkpoint costs a pointer per chunk, not one per VMA); whichever of them changes
   * a chunk first copies it, as the page tables do between a state and its checkpoints.
   */
  private owned: boolean[] = [];
  /** For each chunk: the largest gap in pages (vm_start_gap minus the previous VMA's end) before any of its VMAs. */
  private maxGap: number[] = [];
  /** For each chunk: the largest gap before each block of 16 of its VMAs (computed with maxGap). */
  private blockMax: number[][] = [];
  /** maxGap indexed: the gap search finds the next chunk below with a gap large enough in O(log n) steps. */
  private gapIndex = new MaxTree();
  /**
   * For each chunk: the index of its first VMA, except that the chunks after `shiftedAfter` are
   * `shift` further on. VMAs placed one after another land in the same chunk (mmap works top-down), so
   * the chunks after it are shifted lazily instead of rewritten per insert: see firstOf.
   */
  private firstIndex: number[] = [];
  private shiftedAfter = -1;
  private shift = 0;
  private flat?: Vma[];
  private count = 0;
  /** total_vm, the accounted and data sums and the VMAs per inode, kept as they change. */
  private vmaSums = new VmaSums();
  /** Changes whenever the VMAs do, so callers may cache a lookup while it stays the same. */
  generation = ++changes;

  static from(vmas: readonly Vma[]): VmaTree {
    const tree = new VmaTree();
    for (let i = 0; i < vmas.length; i += CHUNK) tree.chunks.push(newChunk(vmas.slice(i, i + CHUNK)));
    tree.owned = tree.chunks.map(() => true);
    tree.count = vmas.length;
    for (const vma of vmas) tree.vmaSums.count(vma, 1);
    tree.reindex(0, tree.chunks.length);
    return tree;
  }

  clone(): VmaTree {
    const copy = new VmaTree();
    this.applyShift();
    copy.chunks = this.chunks.slice();
    this.owned.fill(false);
    copy.owned = this.owned.slice();
    copy.maxGap = this.maxGap.slice();
    copy.blockMax = this.blockMax.slice();
    copy.gapIndex = this.gapIndex.clone();
    copy.firstIndex = this.firstIndex.slice();
    copy.count = this.count;
    copy.vmaSums = this.vmaSums.clone();
    copy.flat = this.flat;
    return copy;
  }

  get size(): number {
    return this.count;
  }

  get sums(): VmaSums {
    return this.vmaSums;
  }

  /** All VMAs as one array (rebuilt after a change). */
  toArray(): readonly Vma[] {
    this.flat ??= this.chunks.flatMap((c) => c.vmas);
    return this.flat;
  }

  at(index: number): Vma | undefined {
    if (index < 0 || index >= this.count) return undefined;
    const c = this.chunkOf(index);
    return this.chunks[c]!.vmas[index - this.firstOf(c)];
  }

  /** Index of the first VMA with end > addr (vma_find): VMAs end on page boundaries, so its page decides. */
  indexAfter(addr: bigint): number {
    return this.indexAfterPage(vpnOf(addr));
  }

  /** Removes `remove` VMAs at `index` and inserts `items` there. */
  splice(index: number, remove: number, ...items: Vma[]): void {
    if (remove === 0 && items.length === 0) return;
    this.flat = undefined;
    this.generation = ++changes;
    if (!this.chunks.length) {
      this.chunks.push(newChunk([]));
      this.owned = [true];
      this.firstIndex = [0];
      this.maxGap = [0];
      this.blockMax = [[]];
      this.gapIndex.rebuild(this.maxGap);
    }
    const first = index >= this.count ? this.chunks.length - 1 : this.chunkOf(index);
    let c = first;
    let offset = index - this.firstOf(c);
    let left = remove;
    while (left > 0 && c < this.chunks.length) {
      const chunk = this.writable(c);
      const n = Math.min(left, chunk.vmas.length - offset);
      for (const gone of chunk.vmas.splice(offset, n)) this.vmaSums.count(gone, -1);
      chunk.gapStarts.splice(offset, n);
      chunk.ends.splice(offset, n);
      left -= n;
      if (left > 0) {
        c++;
        offset = 0;
      }
    }
    if (items.length) {
      const chunk = this.writable(first);
      const at = index - this.firstOf(first);
      openGap(chunk, at, items.length);
      for (let i = 0; i < items.length; i++) {
        const vma = items[i]!;
        chunk.vmas[at + i] = vma;
        chunk.gapStarts[at + i] = vpnOf(startGap(vma));
        chunk.ends[at + i] = vpnOf(vma.end);
        this.vmaSums.count(vma, 1);
      }
    }
    this.count += items.length - remove;
    let emptied = false;
    for (let k = first; k <= c; k++) emptied ||= this.chunks[k]!.vmas.length === 0;
    if (emptied || this.chunks[first]!.vmas.length > CHUNK * 2) {
      this.rechunk(first, c);
    } else if (c === first) {
      this.shiftAfter(first, items.length - remove);
      // Only this chunk's VMAs changed: the next chunk's first gap (after this chunk's last end) is the other one that can.
      this.setGap(first, this.chunkGap(first));
      if (first + 1 < this.chunks.length) this.setGap(first + 1, this.firstBlockGap(first + 1));
    } else if (c === first + 1) {
      // The removal ran into the start of the next chunk (a merge across a chunk boundary; as a pass
      // of mprotects moves along, the boundary moves with it): that chunk now starts where this one
      // ends, the chunks after it moved by the net change, and the two chunks' gaps changed.
      this.shiftAfter(first, items.length - remove);
      this.setFirstOf(c, this.firstOf(first) + this.chunks[first]!.vmas.length);
      this.setGap(first, this.chunkGap(first));
      this.setGap(c, this.chunkGap(c));
      if (c + 1 < this.chunks.length) this.setGap(c + 1, this.firstBlockGap(c + 1));
    } else {
      this.applyShift();
      this.reindex(first, c + 2);
    }
  }

  /** Chunks first..last with the empty ones dropped and an oversized one split; the rest keep their gaps. */
  private rechunk(first: number, last: number): void {
    const pieces: Chunk[] = [];
    const owned: boolean[] = [];
    for (let k = first; k <= last; k++) {
      const chunk = this.chunks[k]!;
      if (chunk.vmas.length > CHUNK * 2) {
        for (const piece of splitEvenly(chunk, CHUNK)) {
          pieces.push(piece);
          owned.push(true);
        }
      } else if (chunk.vmas.length) {
        pieces.push(chunk);
        owned.push(this.owned[k]!);
      }
    }
    const gone = last - first + 1;
    this.chunks.splice(first, gone, ...pieces);
    this.owned.splice(first, gone, ...owned);
    this.maxGap.splice(first, gone, ...pieces.map(() => 0));
    this.blockMax.splice(first, gone, ...pieces.map(() => []));
    this.firstIndex.splice(first, gone, ...pieces.map(() => 0));
    this.applyShift();
    this.reindex(first, first + pieces.length + 1);
  }

  /** Replaces the VMA at index by one with the same range. */
  set(index: number, vma: Vma): void {
    const c = this.chunkOf(index);
    const i = index - this.firstOf(c);
    const chunk = this.writable(c);
    this.vmaSums.count(chunk.vmas[i]!, -1);
    this.vmaSums.count(vma, 1);
    chunk.vmas[i] = vma;
    this.flat = undefined;
    this.generation = ++changes;
    // Most replacements change no page number (the same range, VM_GROWSDOWN as it was): then no gap changed.
    const gapStart = vpnOf(startGap(vma));
    const end = vpnOf(vma.end);
    if (gapStart === chunk.gapStarts[i] && end === chunk.ends[i]) return;
    chunk.gapStarts[i] = gapStart;
    chunk.ends[i] = end;
    this.regap(c, c + 1);
  }

  /**
   * unmapped_area_topdown's search, in pages: the highest page where `length` pages fit between two
   * VMAs, below highLimit and not below lowLimit (every bound of the search is page-aligned, so
   * pages give the byte search's answer without a bigint).
   */
  highestGap(length: number, lowLimit: number, highLimit: number): number | undefined {
    const top = this.indexAfterPage(highLimit - 1);
    // Only the gap below `top` can reach past highLimit; every gap below it is whole.
    const topChunk = top >= this.count ? this.chunks.length - 1 : this.chunkOf(top);
    const maxGap = this.maxGap;
    for (let c = topChunk; c >= 0; c--) {
      // Chunks too full for the length are passed over: the max tree gives the next one below with a gap that fits.
      if (c !== topChunk) c = this.gapIndex.lastAtLeast(c, length);
      if (c < 0) break;
      const { gapStarts, ends } = this.chunks[c]!;
      const from = c === topChunk ? Math.min(top - this.firstOf(c), gapStarts.length) : gapStarts.length - 1;
      const prevChunk = c > 0 ? this.chunks[c - 1]! : undefined;
      const blocks = this.blockMax[c]!;
      for (let i = from; i >= 0; i--) {
        if (i < gapStarts.length) {
          // The gaps in front of the chunk's VMAs are all within maxGap (the top one clipped to highLimit, if anything),
          if (maxGap[c]! < length) break;
          // and those in front of a block's VMAs within its blockMax: a block too full is passed over.
          if (blocks[i >> BLOCK_SHIFT]! < length) {
            i = (i >> BLOCK_SHIFT) << BLOCK_SHIFT;
            continue;
          }
        }
        const end = i < gapStarts.length ? Math.min(gapStarts[i]!, highLimit) : highLimit;
        const start = i > 0 ? ends[i - 1]! : prevChunk ? prevChunk.ends[prevChunk.ends.length - 1]! : 0;
        if (end - start < length || end < length) continue;
        const addr = end - length;
        if (addr >= lowLimit) return addr;
        if (start <= lowLimit) return undefined;
      }
    }
    return undefined;
  }

  /** The first VMA that ends after page `page` (its last page is at or above it). */
  private indexAfterPage(page: number): number {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const ends = this.chunks[mid]!.ends;
      if (ends[ends.length - 1]! <= page) lo = mid + 1;
      else hi = mid;
    }
    if (lo === this.chunks.length) return this.count;
    return this.firstOf(lo) + upperBound(this.chunks[lo]!.ends, page);
  }

  /** Chunk c, copied first if a clone shares it. */
  private writable(c: number): Chunk {
    if (!this.owned[c]) {
      this.chunks[c] = copyChunk(this.chunks[c]!);
      this.blockMax[c] = this.blockMax[c]?.slice() ?? [];
      this.owned[c] = true;
    }
    return this.chunks[c]!;
  }

  private chunkOf(index: number): number {
    let lo = 0;
    let hi = this.firstIndex.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.firstOf(mid) <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The largest gap in front of chunk c's VMAs; its blocks' largest gaps go to blockMax. */
  private chunkGap(c: number): number {
    const count = (this.chunks[c]!.vmas.length + (1 << BLOCK_SHIFT) - 1) >> BLOCK_SHIFT;
    const blocks = this.writableBlocks(c);
    blocks.length = count;
    let max = 0;
    for (let b = 0; b < count; b++) {
      const gap = this.blockGap(c, b);
      blocks[b] = gap;
      if (gap > max) max = gap;
    }
    this.blockMax[c] = blocks;
    return max;
  }

  /** Chunk c's largest gap after the gap in front of its first VMA changed: only its first block is recomputed. */
  private firstBlockGap(c: number): number {
    const blocks = this.writableBlocks(c);
    blocks[0] = this.blockGap(c, 0);
    this.blockMax[c] = blocks;
    return largest(blocks);
  }

  /** The largest gap in front of the VMAs of block b of chunk c (the first one's after the previous chunk's last VMA). */
  private blockGap(c: number, b: number): number {
    const { gapStarts, ends } = this.chunks[c]!;
    const from = b << BLOCK_SHIFT;
    const prev = c > 0 ? this.chunks[c - 1]!.ends : undefined;
    let prevEnd = from > 0 ? ends[from - 1]! : prev ? prev[prev.length - 1]! : 0;
    let max = 0;
    for (let i = from; i < gapStarts.length && i < from + (1 << BLOCK_SHIFT); i++) {
      if (gapStarts[i]! - prevEnd > max) max = gapStarts[i]! - prevEnd;
      prevEnd = ends[i]!;
    }
    return max;
  }

  /** Chunk c's block gaps, to change: in place when this tree alone holds the chunk (writable() copied them), else a copy (a clone may share them). */
  private writableBlocks(c: number): number[] {
    const blocks = this.blockMax[c] ?? [];
    return this.owned[c] ? blocks : blocks.slice();
  }

  /** The index of chunk c's first VMA. */
  private firstOf(c: number): number {
    return this.firstIndex[c]! + (c > this.shiftedAfter ? this.shift : 0);
  }

  /** Sets the index of chunk c's first VMA, whatever shift is pending. */
  private setFirstOf(c: number, index: number): void {
    this.firstIndex[c] = index - (c > this.shiftedAfter ? this.shift : 0);
  }

  /** The chunks after chunk c moved by delta VMAs: added to the pending shift, moved to start after c first. */
  private shiftAfter(c: number, delta: number): void {
    if (delta === 0) return;
    if (this.shift !== 0 && this.shiftedAfter !== c) this.moveShift(c);
    this.shiftedAfter = c;
    this.shift += delta;
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

  /**
   * Recomputes the first indexes from chunk `from` on (no shift pending), the gaps of chunks
   * [from - 1, gapTo), and the gap index (chunks moved).
   */
  private reindex(from: number, gapTo: number): void {
    const n = this.chunks.length;
    this.firstIndex.length = n;
    this.maxGap.length = n;
    this.blockMax.length = n;
    let index = from > 0 ? this.firstIndex[from - 1]! + this.chunks[from - 1]!.vmas.length : 0;
    for (let c = from; c < n; c++) {
      this.firstIndex[c] = index;
      index += this.chunks[c]!.vmas.length;
    }
    const gapFrom = Math.max(0, from - 1);
    for (let c = gapFrom; c < Math.min(n, gapTo); c++) this.maxGap[c] = this.chunkGap(c);
    this.gapIndex.rebuild(this.maxGap);
  }

  /** Recomputes the gaps of chunks [from, to). */
  private regap(from: number, to: number): void {
    const end = Math.min(this.chunks.length, to);
    for (let c = from; c < end; c++) this.setGap(c, this.chunkGap(c));
  }

  private setGap(c: number, gap: number): void {
    this.maxGap[c] = gap;
    this.gapIndex.set(c, gap);
  }
}
