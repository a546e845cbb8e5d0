import type { FileIdentity } from '../elf/file-access';

export const PAGE_SHIFT = 12n;
export const PAGE_SIZE = 1n << PAGE_SHIFT;
export const PAGE_MASK = ~(PAGE_SIZE - 1n);

export const pageAlign = (v: bigint): bigint => (v + PAGE_SIZE - 1n) & PAGE_MASK;
export const pageStart = (v: bigint): bigint => v & PAGE_MASK;
export const pageOffset = (v: bigint): bigint => v & (PAGE_SIZE - 1n);

/** 2^53: below it every address is a double exactly. */
const EXACT = 1n << 53n;

/**
 * The virtual page number of an address (addr >> PAGE_SHIFT) as a number, without a bigint for the
 * shift: below 2^53 the address converts exactly and a division by 4096 is exact, so its floor is
 * the shift's result (the VMA code asks for this several times a statement). Above, the shift.
 */
export function vpnOf(addr: bigint): number {
  return addr < EXACT ? Math.floor(Number(addr) / 4096) : Number(addr >> PAGE_SHIFT);
}

/** A file as a VMA refers to it: the path d_path prints and the inode it shows. */
export interface MappedFile {
  readonly path: string;
  readonly identity: FileIdentity;
}

/** Mappings that are not files but have a name of their own (vm_ops->name). */
export type SpecialMapping = '[vvar]' | '[vvar_vclock]' | '[vdso]' | '[vsyscall]';

/** Where a VMA came from, for explanations ("bss of segment 3", "interpreter"). */
export interface VmaOrigin {
  readonly kind: 'segment' | 'bss' | 'interpreter-segment' | 'interpreter-bss' | 'stack' | 'vdso' | 'vsyscall' | 'mmap' | 'heap';
  /** The scenario's name for an mmap region. */
  readonly region?: string;
  readonly phdrIndex?: number;
  readonly description: string;
}

/** struct vm_area_struct, reduced to what the simulator shows. Immutable: changes make new VMAs. */
export interface Vma {
  readonly start: bigint;
  readonly end: bigint;
  readonly flags: number;
  /** vm_pgoff: file offset in pages for file VMAs, start >> PAGE_SHIFT for anonymous ones. */
  readonly pgoff: bigint;
  readonly file?: MappedFile;
  readonly special?: SpecialMapping;
  readonly origin: VmaOrigin;
  /** The page cache (inode) behind a file or shmem VMA. */
  readonly inodeId?: number;
  /** The open file (struct file) an mmap call mapped: VMAs of two different ones never merge (is_mergeable_vma). */
  readonly openFile?: number;
  /** The file has ->page_mkwrite (a regular file, not shmem): shared writable PTEs start read-only (vma_wants_writenotify). */
  readonly writeNotify?: boolean;
  /** anon_vma: set once the VMA has had an anonymous page (anon_vma_prepare); fork copies only such VMAs' PTEs. */
  readonly anonVma?: number;
  /** The anon_vma_chain also links a parent's anon_vma (a fork child's VMA): not list_is_singular. */
  readonly anonVmaForked?: boolean;
  /** The scenario statement that created or last changed this VMA (for "reveal in editor"). */
  readonly line?: number;
}

export function vmaPages(vma: Vma): bigint {
  return (vma.end - vma.start) >> PAGE_SHIFT;
}

/** vma_pages as a number (a VMA's pages fit in 2^53). */
export function vmaPageCount(vma: Vma): number {
  return vpnOf(vma.end) - vpnOf(vma.start);
}
