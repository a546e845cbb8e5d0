import { VM_ACCOUNT, VM_GROWSDOWN, VM_SHARED, VM_WRITE } from './vm-flags';
import type { Vma } from './vma';

/** stack_guard_gap: 256 pages (mm/mmap.c). */
export const STACK_GUARD_GAP = 256n << 12n;

const CHUNK = 256;

/** Changes of any tree so far: a tree's generation changes with every change to it. */
let changes = 0;

/** vm_start_gap: a VM_GROWSDOWN VMA keeps stack_guard_gap free below it. */
export function startGap(vma: Vma): bigint {
  if (!(vma.flags & VM_GROWSDOWN)) return vma.start;
  const gap = vma.start - STACK_GUARD_GAP;
  return gap > vma.start ? 0n : gap;
}

/**
 * The VMAs of one mm in address order, stored in chunks that each know the
 * largest free gap in front of their VMAs — a two-level stand-in for the
 * kernel's maple tree, so that inserting and finding a gap stay fast with
 * 100k VMAs.
 */
export class VmaTree {
  private chunks: Vma[][] = [];
  /**
   * For each chunk: whether this tree alone holds its array. A clone shares every chunk with its
   * original (a checkpoint costs a pointer per chunk, not one per VMA); whichever of them changes
   * a chunk first copies it, as the page tables do between a state and its checkpoints.
   */
  private owned: boolean[] = [];
  /** For each chunk: the largest gap (vm_start_gap minus the previous VMA's end) before any of its VMAs. */
  private maxGap: bigint[] = [];
  private firstIndex: number[] = [];
  private flat?: Vma[];
  private count = 0;
  /** The VMAs' sizes summed (total_vm in bytes), kept as they change. */
  private bytes = 0n;
  /** The sizes of the VM_ACCOUNT VMAs (their share of vm_committed_as) and of the data VMAs (data_vm), kept alike. */
  private accounted = 0n;
  private data = 0n;
  /** Changes whenever the VMAs do, so callers may cache a lookup while it stays the same. */
  generation = ++changes;

  static from(vmas: readonly Vma[]): VmaTree {
    const tree = new VmaTree();
    for (let i = 0; i < vmas.length; i += CHUNK) tree.chunks.push(vmas.slice(i, i + CHUNK));
    tree.owned = tree.chunks.map(() => true);
    tree.count = vmas.length;
    tree.bytes = vmas.reduce((sum, v) => sum + (v.end - v.start), 0n);
    for (const vma of vmas) tree.countSums(vma, 1n);
    tree.reindex(0, tree.chunks.length);
    return tree;
  }

  clone(): VmaTree {
    const copy = new VmaTree();
    copy.chunks = this.chunks.slice();
    this.owned.fill(false);
    copy.owned = this.owned.slice();
    copy.maxGap = this.maxGap.slice();
    copy.firstIndex = this.firstIndex.slice();
    copy.count = this.count;
    copy.bytes = this.bytes;
    copy.accounted = this.accounted;
    copy.data = this.data;
    copy.flat = this.flat;
    return copy;
  }

  get size(): number {
    return this.count;
  }

  /** The VMAs' sizes summed, in bytes. */
  get totalBytes(): bigint {
    return this.bytes;
  }

  /** The VM_ACCOUNT VMAs' sizes summed, in bytes. */
  get accountedBytes(): bigint {
    return this.accounted;
  }

  /** The data VMAs' sizes summed (is_data_mapping: private, writable, not a stack), in bytes. */
  get dataBytes(): bigint {
    return this.data;
  }

  /** Adds (sign 1n) or removes (-1n) a VMA's share of the accounted and data sums. */
  private countSums(vma: Vma, sign: bigint): void {
    const size = (vma.end - vma.start) * sign;
    if (vma.flags & VM_ACCOUNT) this.accounted += size;
    if ((vma.flags & (VM_WRITE | VM_SHARED | VM_GROWSDOWN)) === VM_WRITE) this.data += size;
  }

  /** All VMAs as one array (rebuilt after a change). */
  toArray(): readonly Vma[] {
    this.flat ??= this.chunks.flat();
    return this.flat;
  }

  at(index: number): Vma | undefined {
    if (index < 0 || index >= this.count) return undefined;
    const c = this.chunkOf(index);
    return this.chunks[c]![index - this.firstIndex[c]!];
  }

  /** Index of the first VMA with end > addr (vma_find). */
  indexAfter(addr: bigint): number {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const chunk = this.chunks[mid]!;
      if (chunk[chunk.length - 1]!.end <= addr) lo = mid + 1;
      else hi = mid;
    }
    if (lo === this.chunks.length) return this.count;
    const chunk = this.chunks[lo]!;
    let a = 0;
    let b = chunk.length;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (chunk[mid]!.end <= addr) a = mid + 1;
      else b = mid;
    }
    return this.firstIndex[lo]! + a;
  }

  /** Removes `remove` VMAs at `index` and inserts `items` there. */
  splice(index: number, remove: number, ...items: Vma[]): void {
    if (remove === 0 && items.length === 0) return;
    this.flat = undefined;
    this.generation = ++changes;
    if (!this.chunks.length) {
      this.chunks.push([]);
      this.owned = [true];
      this.firstIndex = [0];
      this.maxGap = [0n];
    }
    const first = index >= this.count ? this.chunks.length - 1 : this.chunkOf(index);
    let c = first;
    let offset = index - this.firstIndex[c]!;
    let left = remove;
    while (left > 0 && c < this.chunks.length) {
      const chunk = this.writable(c);
      const n = Math.min(left, chunk.length - offset);
      for (const gone of chunk.splice(offset, n)) {
        this.bytes -= gone.end - gone.start;
        this.countSums(gone, -1n);
      }
      left -= n;
      if (left > 0) {
        c++;
        offset = 0;
      }
    }
    if (items.length) this.writable(first).splice(index - this.firstIndex[first]!, 0, ...items);
    for (const vma of items) {
      this.bytes += vma.end - vma.start;
      this.countSums(vma, 1n);
    }
    this.count += items.length - remove;
    const reshaped = this.chunks.some((chunk) => !chunk.length || chunk.length > CHUNK * 2);
    if (reshaped) {
      const kept = this.chunks.map((chunk, i) => ({ chunk, owned: this.owned[i]! })).filter(({ chunk }) => chunk.length);
      const split = kept.flatMap((k) => (k.chunk.length > CHUNK * 2 ? splitEvenly(k.chunk).map((chunk) => ({ chunk, owned: true })) : [k]));
      this.chunks = split.map((k) => k.chunk);
      this.owned = split.map((k) => k.owned);
      this.reindex(0, this.chunks.length);
    } else {
      this.reindex(Math.max(0, first - 1), c + 2);
    }
  }

  /** Replaces the VMA at index by one with the same range. */
  set(index: number, vma: Vma): void {
    const c = this.chunkOf(index);
    const old = this.chunks[c]![index - this.firstIndex[c]!]!;
    this.bytes += vma.end - vma.start - (old.end - old.start);
    this.countSums(old, -1n);
    this.countSums(vma, 1n);
    this.writable(c)[index - this.firstIndex[c]!] = vma;
    this.flat = undefined;
    this.generation = ++changes;
    this.maxGap[c] = this.chunkGap(c);
  }

  /**
   * unmapped_area_topdown's search: the highest address where `length` bytes
   * (aligned down by alignMask) fit between two VMAs, below highLimit and
   * not below lowLimit.
   */
  highestGap(length: bigint, alignMask: bigint, lowLimit: bigint, highLimit: bigint): bigint | undefined {
    const top = this.indexAfter(highLimit - 1n);
    // Only the gap below `top` can reach past highLimit; every gap below it is whole.
    const topChunk = top >= this.count ? this.chunks.length - 1 : this.chunkOf(top);
    for (let c = topChunk; c >= 0; c--) {
      const chunk = this.chunks[c]!;
      const from = c === topChunk ? Math.min(top - this.firstIndex[c]!, chunk.length) : chunk.length - 1;
      if (c !== topChunk && this.maxGap[c]! < length) continue;
      for (let i = from; i >= 0; i--) {
        const next = chunk[i];
        const prev = i > 0 ? chunk[i - 1] : c > 0 ? this.chunks[c - 1]!.at(-1) : undefined;
        let end = next ? startGap(next) : highLimit;
        if (end > highLimit) end = highLimit;
        const start = prev ? prev.end : 0n;
        if (end - start < length || end < length) continue;
        const addr = (end - length) & ~alignMask;
        if (addr >= start && addr >= lowLimit) return addr;
        if (start <= lowLimit) return undefined;
      }
    }
    return undefined;
  }

  /** Chunk c, copied first if a clone shares it. */
  private writable(c: number): Vma[] {
    if (!this.owned[c]) {
      this.chunks[c] = this.chunks[c]!.slice();
      this.owned[c] = true;
    }
    return this.chunks[c]!;
  }

  private chunkOf(index: number): number {
    let lo = 0;
    let hi = this.firstIndex.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.firstIndex[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private chunkGap(c: number): bigint {
    const chunk = this.chunks[c]!;
    let prevEnd = c > 0 ? this.chunks[c - 1]!.at(-1)!.end : 0n;
    let max = 0n;
    for (const vma of chunk) {
      const gap = startGap(vma) - prevEnd;
      if (gap > max) max = gap;
      prevEnd = vma.end;
    }
    return max;
  }

  /** Recomputes the first indexes from a chunk on, and the gaps of chunks [gapFrom, gapTo). */
  private reindex(gapFrom: number, gapTo: number): void {
    this.firstIndex.length = this.chunks.length;
    this.maxGap.length = this.chunks.length;
    let index = gapFrom > 0 ? this.firstIndex[gapFrom - 1]! + this.chunks[gapFrom - 1]!.length : 0;
    for (let c = gapFrom; c < this.chunks.length; c++) {
      this.firstIndex[c] = index;
      index += this.chunks[c]!.length;
    }
    for (let c = gapFrom; c < Math.min(this.chunks.length, gapTo); c++) this.maxGap[c] = this.chunkGap(c);
  }
}

function splitEvenly(chunk: Vma[]): Vma[][] {
  const out: Vma[][] = [];
  for (let i = 0; i < chunk.length; i += CHUNK) out.push(chunk.slice(i, i + CHUNK));
  return out;
}
