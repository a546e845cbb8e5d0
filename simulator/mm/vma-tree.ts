import { MaxTree } from './max-tree';
import { upperBound } from './sorted';
import { vpnOf, type Vma } from './vma';
import { VmaSums } from './vma-sums';
import { ChunkStarts } from './chunk-starts';
import { Chunk, largest, splitEvenly } from './vma-chunk';

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
  /** For each chunk: the index of its first VMA. */
  private starts = new ChunkStarts();
  /**
   * toArray's VMA objects while nothing changed, held weakly: the columns are the VMAs, and an array of
   * 100k objects made for one look (a `show`) is not kept beside them.
   */
  private flat?: WeakRef<Vma[]>;
  /** The VMA at() made last, given again while nothing changed (a caller often asks twice). */
  private last?: Vma;
  private lastIndex = -1;
  private lastGeneration = 0;
  /** Set by chunkHolding. */
  private within = 0;
  private count = 0;
  /** total_vm, the accounted and data sums and the VMAs per inode, kept as they change. */
  private vmaSums = new VmaSums();
  /** Changes whenever the VMAs do, so callers may cache a lookup while it stays the same. */
  generation = ++changes;

  static from(vmas: readonly Vma[]): VmaTree {
    const tree = new VmaTree();
    for (let i = 0; i < vmas.length; i += CHUNK) tree.chunks.push(Chunk.of(vmas.slice(i, i + CHUNK)));
    tree.owned = tree.chunks.map(() => true);
    tree.count = vmas.length;
    for (const chunk of tree.chunks) for (let i = 0; i < chunk.length; i++) tree.vmaSums.count(chunk, i, 1);
    tree.reindex(0, tree.chunks.length);
    return tree;
  }

  clone(): VmaTree {
    const copy = new VmaTree();
    copy.chunks = this.chunks.slice();
    this.owned.fill(false);
    copy.owned = this.owned.slice();
    copy.maxGap = this.maxGap.slice();
    copy.blockMax = this.blockMax.slice();
    copy.gapIndex = this.gapIndex.clone();
    copy.starts = this.starts.clone();
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
    let flat = this.flat?.deref();
    if (flat === undefined) {
      flat = [];
      for (const chunk of this.chunks) for (let i = 0; i < chunk.length; i++) flat.push(chunk.vma(i));
      this.flat = new WeakRef(flat);
    }
    return flat;
  }

  /** The VMAs in order, each made as the loop reaches it (toArray makes them all at once). */
  *[Symbol.iterator](): Generator<Vma> {
    const flat = this.flat?.deref();
    if (flat !== undefined) return yield* flat;
    const generation = this.generation;
    for (const chunk of this.chunks) {
      for (let i = 0; i < chunk.length; i++) {
        if (this.generation !== generation) throw new Error('the VMAs changed while they were walked');
        yield chunk.vma(i);
      }
    }
  }

  at(index: number): Vma | undefined {
    if (index < 0 || index >= this.count) return undefined;
    const flat = this.flat?.deref();
    if (flat !== undefined) return flat[index];
    if (this.last !== undefined && this.lastIndex === index && this.lastGeneration === this.generation) return this.last;
    this.last = this.chunkHolding(index).vma(this.within);
    this.lastIndex = index;
    this.lastGeneration = this.generation;
    return this.last;
  }

  /** Whether the VMA at index is the one `vma` describes (the tree makes its VMA objects anew, so by value). */
  holds(index: number, vma: Vma): boolean {
    return index >= 0 && index < this.count && this.chunkHolding(index).holds(this.within, vma);
  }

  /** The flags, start page and end page of the VMA at index, without making its object (index in range). */
  flagsAt(index: number): number {
    return this.chunkHolding(index).flags(this.within);
  }

  startPageAt(index: number): number {
    return this.chunkHolding(index).startPage(this.within);
  }

  endPageAt(index: number): number {
    return this.chunkHolding(index).ends[this.within]!;
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
      this.chunks.push(new Chunk(16));
      this.owned = [true];
      this.starts = new ChunkStarts();
      this.starts.renumber(0, this.chunks);
      this.maxGap = [0];
      this.blockMax = [[]];
      this.gapIndex.rebuild(this.maxGap);
    }
    const first = index >= this.count ? this.chunks.length - 1 : this.starts.chunkOf(index);
    let c = first;
    let offset = index - this.starts.firstOf(c);
    let left = remove;
    while (left > 0 && c < this.chunks.length) {
      const chunk = this.writable(c);
      const n = Math.min(left, chunk.length - offset);
      for (let i = offset; i < offset + n; i++) this.vmaSums.count(chunk, i, -1);
      chunk.remove(offset, n);
      left -= n;
      if (left > 0) {
        c++;
        offset = 0;
      }
    }
    if (items.length) {
      const chunk = this.writable(first);
      const at = index - this.starts.firstOf(first);
      chunk.openGap(at, items.length);
      for (let i = 0; i < items.length; i++) {
        chunk.write(at + i, items[i]!);
        this.vmaSums.count(chunk, at + i, 1);
      }
    }
    this.count += items.length - remove;
    let emptied = false;
    for (let k = first; k <= c; k++) emptied ||= this.chunks[k]!.length === 0;
    if (emptied || this.chunks[first]!.length > CHUNK * 2) {
      this.rechunk(first, c);
    } else if (c === first) {
      this.starts.shiftAfter(first, items.length - remove);
      // Only this chunk's VMAs changed: the next chunk's first gap (after this chunk's last end) is the other one that can.
      this.setGap(first, this.chunkGap(first));
      if (first + 1 < this.chunks.length) this.setGap(first + 1, this.firstBlockGap(first + 1));
    } else if (c === first + 1) {
      // The removal ran into the start of the next chunk (a merge across a chunk boundary; as a pass
      // of mprotects moves along, the boundary moves with it): that chunk now starts where this one
      // ends, the chunks after it moved by the net change, and the two chunks' gaps changed.
      this.starts.shiftAfter(first, items.length - remove);
      this.starts.setFirstOf(c, this.starts.firstOf(first) + this.chunks[first]!.length);
      this.setGap(first, this.chunkGap(first));
      this.setGap(c, this.chunkGap(c));
      if (c + 1 < this.chunks.length) this.setGap(c + 1, this.firstBlockGap(c + 1));
    } else {
      this.reindex(first, c + 2);
    }
  }

  /** Chunks first..last with the empty ones dropped and an oversized one split; the rest keep their gaps. */
  private rechunk(first: number, last: number): void {
    const pieces: Chunk[] = [];
    const owned: boolean[] = [];
    for (let k = first; k <= last; k++) {
      const chunk = this.chunks[k]!;
      if (chunk.length > CHUNK * 2) {
        for (const piece of splitEvenly(chunk, CHUNK)) {
          pieces.push(piece);
          owned.push(true);
        }
      } else if (chunk.length) {
        pieces.push(chunk);
        owned.push(this.owned[k]!);
      }
    }
    const gone = last - first + 1;
    this.chunks.splice(first, gone, ...pieces);
    this.owned.splice(first, gone, ...owned);
    this.maxGap.splice(first, gone, ...pieces.map(() => 0));
    this.blockMax.splice(first, gone, ...pieces.map(() => []));
    this.starts.replace(first, gone, pieces.length);
    this.reindex(first, first + pieces.length + 1);
  }

  /** Replaces the VMA at index by one with the same range. */
  set(index: number, vma: Vma): void {
    const c = this.starts.chunkOf(index);
    const i = index - this.starts.firstOf(c);
    const chunk = this.writable(c);
    this.vmaSums.count(chunk, i, -1);
    // Most replacements change no page number (the same range, VM_GROWSDOWN as it was): then no gap changed.
    const gapStart = chunk.gapStarts[i];
    const end = chunk.ends[i];
    chunk.write(i, vma);
    this.vmaSums.count(chunk, i, 1);
    this.flat = undefined;
    this.generation = ++changes;
    if (gapStart === chunk.gapStarts[i] && end === chunk.ends[i]) return;
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
    const topChunk = top >= this.count ? this.chunks.length - 1 : this.starts.chunkOf(top);
    const maxGap = this.maxGap;
    for (let c = topChunk; c >= 0; c--) {
      // Chunks too full for the length are passed over: the max tree gives the next one below with a gap that fits.
      if (c !== topChunk) c = this.gapIndex.lastAtLeast(c, length);
      if (c < 0) break;
      const { gapStarts, ends, length: used } = this.chunks[c]!;
      const from = c === topChunk ? Math.min(top - this.starts.firstOf(c), used) : used - 1;
      const prevChunk = c > 0 ? this.chunks[c - 1]! : undefined;
      const blocks = this.blockMax[c]!;
      for (let i = from; i >= 0; i--) {
        if (i < used) {
          // The gaps in front of the chunk's VMAs are all within maxGap (the top one clipped to highLimit, if anything),
          if (maxGap[c]! < length) break;
          // and those in front of a block's VMAs within its blockMax: a block too full is passed over.
          if (blocks[i >> BLOCK_SHIFT]! < length) {
            i = (i >> BLOCK_SHIFT) << BLOCK_SHIFT;
            continue;
          }
        }
        const end = i < used ? Math.min(gapStarts[i]!, highLimit) : highLimit;
        const start = i > 0 ? ends[i - 1]! : prevChunk ? prevChunk.ends[prevChunk.length - 1]! : 0;
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
      const chunk = this.chunks[mid]!;
      if (chunk.ends[chunk.length - 1]! <= page) lo = mid + 1;
      else hi = mid;
    }
    if (lo === this.chunks.length) return this.count;
    const chunk = this.chunks[lo]!;
    return this.starts.firstOf(lo) + upperBound(chunk.ends, page, chunk.length);
  }

  /** Chunk c, copied first if a clone shares it. */
  private writable(c: number): Chunk {
    if (!this.owned[c]) {
      this.chunks[c] = this.chunks[c]!.copy();
      this.blockMax[c] = this.blockMax[c]?.slice() ?? [];
      this.owned[c] = true;
    }
    return this.chunks[c]!;
  }

  /** The chunk holding VMA `index`; the VMA's place in it goes to `within`. */
  private chunkHolding(index: number): Chunk {
    const c = this.starts.chunkOf(index);
    this.within = index - this.starts.firstOf(c);
    return this.chunks[c]!;
  }

  /** The largest gap in front of chunk c's VMAs; its blocks' largest gaps go to blockMax. */
  private chunkGap(c: number): number {
    const count = (this.chunks[c]!.length + (1 << BLOCK_SHIFT) - 1) >> BLOCK_SHIFT;
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
    const { gapStarts, ends, length } = this.chunks[c]!;
    const from = b << BLOCK_SHIFT;
    const prev = c > 0 ? this.chunks[c - 1]! : undefined;
    let prevEnd = from > 0 ? ends[from - 1]! : prev ? prev.ends[prev.length - 1]! : 0;
    let max = 0;
    for (let i = from; i < length && i < from + (1 << BLOCK_SHIFT); i++) {
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

  /**
   * Recomputes the first indexes from chunk `from` on, the gaps of chunks
   * [from - 1, gapTo), and the gap index (chunks moved).
   */
  private reindex(from: number, gapTo: number): void {
    const n = this.chunks.length;
    this.starts.renumber(from, this.chunks);
    this.maxGap.length = n;
    this.blockMax.length = n;
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
