import { VM_ACCOUNT, VM_DONTEXPAND, VM_EXEC, VM_IO, VM_MIXEDMAP, VM_PFNMAP, VM_READ, VM_SOFTDIRTY, VM_WRITE } from './vm-flags';
import { PAGE_SHIFT, vmaPages, vpnOf, type Vma } from './vma';
import { startGap, VmaTree } from './vma-tree';

export { STACK_GUARD_GAP, startGap } from './vma-tree';

const VM_SPECIAL = VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP;
/** DEFAULT_MMAP_MIN_ADDR on x86-64 Debian kernels. */
export const MMAP_MIN_ADDR = 0x1000n;

/** Memory-layout fields of struct mm_struct that /proc and brk need. */
export interface MmLayout {
  mmapBase: bigint;
  taskSize: bigint;
  startCode: bigint;
  endCode: bigint;
  startData: bigint;
  endData: bigint;
  startBrk: bigint;
  brk: bigint;
  startStack: bigint;
  argStart: bigint;
  argEnd: bigint;
  envStart: bigint;
  envEnd: bigint;
}

/** A VMA request: where, how big, with which flags and backing. */
export type NewVma = Omit<Vma, 'end'> & { readonly end: bigint };

/** mm_struct: the sorted VMA list of one address space plus its layout fields. */
/** Which neighbours a new VMA may merge with. */
export interface MergeSides {
  readonly prev: boolean;
  readonly next: boolean;
  /**
   * The VMA grew in place (mremap's vma_merge_extend: no existing middle VMA), so a fork child's
   * anon_vma on it does not stop a merge with a neighbour that has none (is_mergeable_anon_vma).
   */
  readonly extended?: boolean;
}
const BOTH_SIDES: MergeSides = { prev: true, next: true };

export class MmStruct {
  /** Sorted by start, never overlapping. */
  private vmas = new VmaTree();
  /** [vsyscall] lives outside the VMA tree (get_gate_vma). */
  gateVma?: Vma;
  readonly layout: MmLayout;

  constructor(layout: Partial<MmLayout> & Pick<MmLayout, 'mmapBase' | 'taskSize'>) {
    this.layout = { startCode: 0n, endCode: 0n, startData: 0n, endData: 0n, startBrk: 0n, brk: 0n, startStack: 0n, argStart: 0n, argEnd: 0n, envStart: 0n, envEnd: 0n, ...layout };
  }

  clone(): MmStruct {
    const copy = new MmStruct({ ...this.layout });
    copy.vmas = this.vmas.clone();
    copy.gateVma = this.gateVma;
    return copy;
  }

  /** Replaces one VMA object by an updated copy covering the same range. */
  updateVma(old: Vma, patch: Partial<Vma>): Vma {
    const i = this.indexOf(old);
    const updated = { ...old, ...patch };
    this.vmas.set(i, updated);
    return updated;
  }

  /** The VMA just below this one, if any. */
  previous(vma: Vma): Vma | undefined {
    return this.vmas.at(this.indexOf(vma) - 1);
  }

  /** The VMAs overlapping [start, end), in address order. */
  vmasIn(start: bigint, end: bigint): Vma[] {
    const out: Vma[] = [];
    for (let i = this.indexAfter(start); i < this.vmas.size && (this.vmas.at(i) as Vma).start < end; i++) out.push(this.vmas.at(i) as Vma);
    return out;
  }

  /** The VMA containing addr, if any. */
  vmaAt(addr: bigint): Vma | undefined {
    const vma = this.findVma(addr);
    return vma && vma.start <= addr ? vma : undefined;
  }

  /** Splits VMAs so that start and end fall on VMA boundaries (__split_vma). */
  splitAt(addr: bigint): void {
    const i = this.indexAfter(addr);
    const vma = this.vmas.at(i);
    if (!vma || vma.start >= addr) return;
    this.vmas.splice(i, 1, splitVma(vma, vma.start, addr), splitVma(vma, addr, vma.end));
  }

  /** Merges a VMA with its neighbours where the kernel would (vma_merge_existing_range). */
  mergeAround(vma: Vma, merge: MergeSides = BOTH_SIDES): Vma {
    let i = this.indexOf(vma);
    let merged = vma;
    // A neighbour that does not touch the VMA or differs in flags cannot merge (canMerge): its object is not made.
    const prev = merge.prev && this.mayMerge(i - 1, vpnOf(merged.start), merged.flags) ? this.vmas.at(i - 1) : undefined;
    const source = merge.extended ? vma : undefined;
    if (prev && prev.end === merged.start && canMerge(prev, merged, source) && prev.pgoff + vmaPages(prev) === merged.pgoff) {
      merged = { ...prev, end: merged.end, ...anonVmaOfMerge(prev, merged) };
      this.vmas.splice(i - 1, 2, merged);
      i--;
    }
    const next = merge.next && this.mayMerge(i + 1, vpnOf(merged.end), merged.flags) ? this.vmas.at(i + 1) : undefined;
    if (next && next.start === merged.end && canMerge(merged, next, source) && merged.pgoff + vmaPages(merged) === next.pgoff) {
      merged = { ...merged, end: next.end, ...anonVmaOfMerge(merged, next) };
      this.vmas.splice(i, 2, merged);
    }
    return merged;
  }

  /** Whether the VMA at index (if any) starts or ends at `page` with flags that canMerge may accept. */
  private mayMerge(index: number, page: number, flags: number): boolean {
    if (index < 0 || index >= this.vmas.size) return false;
    const touches = this.vmas.endPageAt(index) === page || this.vmas.startPageAt(index) === page;
    return touches && ((this.vmas.flagsAt(index) ^ flags) & ~VM_SOFTDIRTY) === 0;
  }

  /** Changes with every change to the VMAs: a VMA found earlier is still the one while it stays the same. */
  get generation(): number {
    return this.vmas.generation;
  }

  /** map_count: how many VMAs the mm has. */
  get vmaCount(): number {
    return this.vmas.size;
  }

  /** The VMAs in address order, all at once (made anew after a change, and kept while none comes). */
  get vmaList(): readonly Vma[] {
    return this.vmas.toArray();
  }

  /** The VMAs in address order, each made as the loop reaches it: a walk over 100k VMAs keeps one at a time. */
  get eachVma(): Iterable<Vma> {
    return this.vmas;
  }

  /** The first and last VMA (undefined when there is none). */
  get firstVma(): Vma | undefined {
    return this.vmas.at(0);
  }

  get lastVma(): Vma | undefined {
    return this.vmas.at(this.vmas.size - 1);
  }

  private indexOf(vma: Vma): number {
    const i = this.indexAfter(vma.start);
    if (!this.vmas.holds(i, vma)) throw new Error('VMA not in this mm');
    return i;
  }

  /** find_vma: the first VMA whose end is above addr. */
  findVma(addr: bigint): Vma | undefined {
    return this.vmas.at(this.indexAfter(addr));
  }

  /** Index of the first VMA with end > addr. */
  private indexAfter(addr: bigint): number {
    return this.vmas.indexAfter(addr);
  }

  /** True if any VMA overlaps [start, end). */
  overlaps(start: bigint, end: bigint): boolean {
    const vma = this.findVma(start);
    return vma !== undefined && vma.start < end;
  }

  /** do_vmi_munmap: removes [start, end), splitting VMAs that straddle the edges. */
  munmap(start: bigint, end: bigint): void {
    if (end <= start) return;
    const first = this.indexAfter(start);
    let last = first;
    const kept: Vma[] = [];
    // VMAs start on page boundaries: the page of `end` rounded up tells which start below it.
    const endPage = vpnOf(end + 0xfffn);
    while (last < this.vmas.size && this.vmas.startPageAt(last) < endPage) {
      const vma = this.vmas.at(last) as Vma;
      if (vma.start < start) kept.push(splitVma(vma, vma.start, start));
      if (vma.end > end) kept.push(splitVma(vma, end, vma.end));
      last++;
    }
    this.vmas.splice(first, last - first, ...kept);
  }

  /**
   * mmap_region: replaces whatever is in the range (MAP_FIXED semantics) and
   * inserts the VMA, merging with compatible neighbours as vma_merge_new_range does.
   * do_brk_flags merges only into the VMA it was given: it passes its own flags.
   */
  mapRegion(vma: Vma, merge: MergeSides = BOTH_SIDES): Vma {
    this.munmap(vma.start, vma.end);
    this.vmas.splice(this.indexAfter(vma.start), 0, vma);
    return this.mergeAround(vma, merge);
  }


  /** Replaces a VMA that exists with the same range (used for flag changes at setup). */
  replaceVma(old: Vma, updated: Vma): void {
    this.vmas.splice(this.indexOf(old), 1);
    this.munmap(updated.start, updated.end);
    this.vmas.splice(this.indexAfter(updated.start), 0, updated);
  }

  /**
   * get_unmapped_area for a 64-bit task with MMF_TOPDOWN
   * (arch_get_unmapped_area_topdown → vm_unmapped_area). `thpAlign` applies
   * __thp_get_unmapped_area's PMD alignment first (file mappings on filesystems
   * that use thp_get_unmapped_area, and PMD-multiple anonymous mappings).
   */
  getUnmappedArea(length: bigint, hint: bigint, pgoff: bigint, thpAlign: boolean): bigint | undefined {
    if (thpAlign) {
      const aligned = this.thpUnmappedArea(length, hint, pgoff);
      if (aligned !== undefined) return aligned;
    }
    return this.plainUnmappedArea(length, hint);
  }

  private plainUnmappedArea(length: bigint, hint: bigint): bigint | undefined {
    if (length > this.layout.taskSize) return undefined;
    if (hint) {
      const addr = hint & ~((1n << PAGE_SHIFT) - 1n);
      const next = this.findVma(addr);
      if (addr >= MMAP_MIN_ADDR && this.layout.taskSize - length >= addr && (!next || addr + length <= startGap(next))) return addr;
    }
    return this.unmappedAreaTopdown(length, this.layout.mmapBase) ?? this.unmappedAreaBottomUp(length);
  }

  /** __thp_get_unmapped_area with PMD_SIZE: pad the search, then align the file offset to 2 MiB. */
  private thpUnmappedArea(length: bigint, hint: bigint, pgoff: bigint): bigint | undefined {
    const size = 0x200000n;
    const off = pgoff << PAGE_SHIFT;
    const offEnd = off + length;
    const offAlign = (off + size - 1n) & ~(size - 1n);
    if (offEnd <= offAlign || offEnd - offAlign < size) return undefined;
    const found = this.plainUnmappedArea(length + size, hint);
    if (found === undefined) return undefined;
    if (hint && found === (hint & ~((1n << PAGE_SHIFT) - 1n))) return found;
    const offSub = (off - found) & (size - 1n);
    return offSub === 0n ? found + size : found + offSub;
  }

  /** unmapped_area_topdown: the highest gap below highLimit (page-aligned, as mmap_base is) that fits `length` (a page multiple). */
  private unmappedAreaTopdown(length: bigint, highLimit: bigint): bigint | undefined {
    const page = this.vmas.highestGap(Number((length + 0xfffn) >> PAGE_SHIFT), Number(MMAP_MIN_ADDR >> PAGE_SHIFT), Number(highLimit >> PAGE_SHIFT));
    return page === undefined ? undefined : BigInt(page) << PAGE_SHIFT;
  }

  /** The bottom-up fallback of arch_get_unmapped_area. */
  private unmappedAreaBottomUp(length: bigint): bigint | undefined {
    let candidate = this.layout.taskSize / 3n & ~((1n << PAGE_SHIFT) - 1n);
    for (const vma of this.vmas.toArray()) {
      if (vma.end <= candidate) continue;
      if (candidate + length <= startGap(vma)) return candidate;
      candidate = vma.end > candidate ? vma.end : candidate;
    }
    return candidate + length <= this.layout.taskSize ? candidate : undefined;
  }

  /** Whether a VMA of this mm maps the inode (file or shmem object) `id`. */
  mapsInode(id: number): boolean {
    return this.vmas.sums.mapsInode(id);
  }

  /** Total size of all VMAs (total_vm), in bytes. */
  get totalVm(): bigint {
    return this.vmas.sums.totalBytes;
  }

  /** The VM_ACCOUNT VMAs' size in pages: this mm's share of vm_committed_as (commit.ts). */
  get accountedPages(): bigint {
    return this.vmas.sums.accountedBytes >> PAGE_SHIFT;
  }

  /** data_vm in bytes: the private writable VMAs that are not stacks (may_expand_vm, VmData). */
  get dataVm(): bigint {
    return this.vmas.sums.dataBytes;
  }
}

/** is_mergeable_vma for a new range next to an existing VMA (`extended`: the one that grew, if it did). */
function canMerge(a: Vma, b: Vma, extended?: Vma): boolean {
  if ((a.flags | b.flags) & VM_SPECIAL) return false;
  if (a.special || b.special) return false;
  if ((a.flags ^ b.flags) & ~VM_SOFTDIRTY) return false;
  if (a.file?.path !== b.file?.path || a.file?.identity.inode !== b.file?.identity.inode || a.inodeId !== b.inodeId) return false;
  // is_mergeable_vma compares the struct file: two mmap calls of one path opened it twice.
  if (a.openFile !== b.openFile) return false;
  // is_mergeable_anon_vma: two different anon_vmas never merge; a VMA without one merges with
  // one that has one only if that is not a fork child's (vma_is_fork_child, mm/vma.c).
  if (a.anonVma !== undefined && b.anonVma !== undefined && a.anonVma !== b.anonVma) return false;
  const withAnonVma = a.anonVma !== undefined ? a : b;
  if ((a.anonVma === undefined) !== (b.anonVma === undefined) && withAnonVma.anonVmaForked && withAnonVma !== extended) return false;
  // Kernel-made VMAs with different accounting (VM_ACCOUNT) never reach here with equal flags.
  return (a.flags & VM_ACCOUNT) === (b.flags & VM_ACCOUNT);
}

/** The anon_vma a merge of two VMAs keeps (dup_anon_vma into the one without). */
function anonVmaOfMerge(a: Vma, b: Vma): Pick<Vma, 'anonVma' | 'anonVmaForked'> {
  const from = a.anonVma !== undefined ? a : b;
  return { anonVma: from.anonVma, anonVmaForked: from.anonVmaForked };
}

/**
 * anon_vma_compatible (mm/rmap.c): adjacent, same file, flags equal but for
 * read/write/exec and soft-dirty, contiguous offsets.
 */
export function anonVmaCompatible(a: Vma, b: Vma): boolean {
  return (
    a.end === b.start &&
    a.inodeId === b.inodeId &&
    ((a.flags ^ b.flags) & ~(VM_READ | VM_WRITE | VM_EXEC | VM_SOFTDIRTY)) === 0 &&
    b.pgoff === a.pgoff + vmaPages(a)
  );
}

/** The part [start, end) of a VMA, with vm_pgoff advanced as __split_vma does. */
export function splitVma(vma: Vma, start: bigint, end: bigint): Vma {
  return { ...vma, start, end, pgoff: vma.pgoff + ((start - vma.start) >> PAGE_SHIFT) };
}

