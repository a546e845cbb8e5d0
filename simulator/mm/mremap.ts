// mremap(2) (mm/mremap.c): shrink in place, grow in place when the space above is free, or move
// the mapping (copy_vma + move_page_tables) when MREMAP_MAYMOVE allows it.
import { accountPages } from './commit';
import type { Kernel, Task } from './kernel';
import { freeUnusedTables, readPte, tableToWrite, vpnOf, vpnsWithTables, writePte } from './memory';
import { HPAGE_PMD_NR, hugePmdsToMove, moveHugePmds } from './huge-memory';
import { populateVmaPageRange } from './mlock';
import { isAnonymousVma } from './madvise-free';
import { splitVma } from './mm-struct';
import { mayExpandVm } from './rlimit';
import { doMunmap, SyscallError } from './syscalls';
import { VM_ACCOUNT, VM_DONTEXPAND, VM_LOCKED, VM_PFNMAP, VM_SHARED, VM_WRITE } from './vm-flags';
import { pageAlign, PAGE_SHIFT, type Vma } from './vma';

const hex = (n: bigint) => `0x${n.toString(16)}`;
const THP_SIZE = 0x200000n;

/**
 * mremap(addr, oldLen, newLen, mayMove ? MREMAP_MAYMOVE : 0): the address of the mapping afterwards.
 * Throws SyscallError (nothing changed) when the kernel refuses.
 */
export function doMremap(k: Kernel, task: Task, addr: bigint, oldLenIn: bigint, newLenIn: bigint, mayMove: boolean, line: number): bigint {
  if (addr & 0xfffn) throw new SyscallError('EINVAL', `mremap address ${hex(addr)} is not page-aligned`);
  const oldLen = pageAlign(oldLenIn);
  const newLen = pageAlign(newLenIn);
  if (newLen === 0n) throw new SyscallError('EINVAL', 'mremap to a length of 0');
  const vma = task.mm.vmaAt(addr);
  if (!vma) throw new SyscallError('EFAULT', `mremap: nothing is mapped at ${hex(addr)}`);
  // mremap_shrink: the tail goes (do_vmi_munmap), the mapping stays where it is.
  if (newLen <= oldLen) {
    if (newLen < oldLen) doMunmap(k, task, addr + newLen, addr + oldLen);
    return addr;
  }
  // check_prep_vma / vma_to_resize: one VMA only, and not a special mapping.
  if (oldLen > vma.end - addr) throw new SyscallError('EFAULT', `mremap: [${hex(addr)}, ${hex(addr + oldLen)}) spans more than the mapping ${hex(vma.start)}-${hex(vma.end)}`);
  if (vma.flags & (VM_DONTEXPAND | VM_PFNMAP)) throw new SyscallError('EFAULT', `mremap: the mapping ${hex(vma.start)}-${hex(vma.end)} may not grow (VM_DONTEXPAND or VM_PFNMAP)`);
  const delta = newLen - oldLen;
  const refused = mayExpandVm(task, vma.flags, delta >> PAGE_SHIFT);
  if (refused) throw new SyscallError('ENOMEM', `mremap: ${refused}`);
  if (addr + oldLen === vma.end && vmaExpandable(task, vma, delta)) return expandInPlace(k, task, vma, addr, delta, line);
  if (!mayMove) throw new SyscallError('ENOMEM', `mremap: no room to grow ${hex(vma.start)}-${hex(vma.end)} by ${delta >> 10n} KiB in place${addr + oldLen === vma.end ? ` (${hex(vma.end)} onwards is mapped)` : ' (the range ends inside the VMA)'} and MREMAP_MAYMOVE was not given`);
  return moveVma(k, task, vma, addr, oldLen, newLen, line);
}

/** vma_expandable: nothing mapped in [vm_end, vm_end + delta), and below TASK_SIZE. */
function vmaExpandable(task: Task, vma: Vma, delta: bigint): boolean {
  const end = vma.end + delta;
  return end <= task.mm.layout.taskSize && !task.mm.overlaps(vma.end, end);
}

/**
 * expand_vma_in_place: charge the growth (VM_ACCOUNT), extend the VMA, populate it if locked. mremap
 * returns `addr`, where the range starts, not the start of the VMA it may have merged with.
 */
function expandInPlace(k: Kernel, task: Task, vma: Vma, addr: bigint, delta: bigint, line: number): bigint {
  if (vma.flags & VM_ACCOUNT) accountPages(k, task, Number(delta >> PAGE_SHIFT), 'mremap');
  const oldEnd = vma.end;
  const grown: Vma = { ...vma, end: vma.end + delta, line };
  task.mm.replaceVma(vma, grown);
  // vma_merge_extend: the grown VMA may now touch a compatible next one.
  task.mm.mergeAround(grown, { prev: false, next: true, extended: true });
  if (vma.flags & VM_LOCKED) populateLocked(k, task, oldEnd, oldEnd + delta, vma.flags);
  return addr;
}

/**
 * move_vma: a new place from get_unmapped_area (as mmap would choose for this file and offset),
 * copy_vma there (it may merge with its new neighbours), move_page_tables — the pages keep their
 * state — and unmap the old range, whose pages are already gone.
 */
function moveVma(k: Kernel, task: Task, vma: Vma, addr: bigint, oldLen: bigint, newLen: bigint, line: number): bigint {
  const anonymous = isAnonymousVma(vma);
  const piece = splitVma(vma, addr, addr + oldLen);
  const shmem = vma.inodeId !== undefined && k.inodes.get(vma.inodeId)?.shmem === true;
  // get_unmapped_area: PMD alignment for PMD-sized anonymous mappings and for files whose filesystem asks for it.
  const thp = (anonymous && !(vma.flags & VM_SHARED) && newLen % THP_SIZE === 0n) || (vma.inodeId !== undefined && !shmem);
  const newAddr = task.mm.getUnmappedArea(newLen, 0n, vma.inodeId !== undefined ? piece.pgoff : 0n, thp);
  if (newAddr === undefined) throw new SyscallError('ENOMEM', `mremap: no free range of ${newLen >> 10n} KiB to move the mapping to`);
  const delta = newLen - oldLen;
  if (vma.flags & VM_ACCOUNT) accountPages(k, task, Number(delta >> PAGE_SHIFT), 'mremap');
  // copy_vma: an anonymous VMA that never had a page takes the new address as its offset.
  const pgoff = anonymous && vma.anonVma === undefined ? newAddr >> PAGE_SHIFT : piece.pgoff;
  task.hiwaterVm = Math.max(task.hiwaterVm, Number(task.mm.totalVm >> PAGE_SHIFT));
  task.mm.mapRegion({ ...piece, start: newAddr, end: newAddr + newLen, pgoff, line });
  movePageTables(k, task, vpnOf(addr), vpnOf(newAddr), Number(oldLen >> PAGE_SHIFT));
  task.mm.munmap(addr, addr + oldLen);
  freeUnusedTables(k, task, addr, addr + oldLen);
  if (vma.flags & VM_LOCKED) populateLocked(k, task, newAddr + oldLen, newAddr + newLen, vma.flags);
  return newAddr;
}

/**
 * move_page_tables: each extent (up to the next PMD boundary of either side) whose old PMD has a table
 * gets one at its new place (pte_alloc) before move_ptes, even if none of its entries is present: no
 * THP can be faulted in there afterwards (the PMD is not none). Each entry (present, swap or none)
 * moves as it is, young and dirty bits included.
 */
function movePageTables(k: Kernel, task: Task, from: number, to: number, pages: number): void {
  const huge = hugePmdsToMove(k, task, from, pages, to);
  for (let i = 0; i < pages; ) {
    const extent = Math.min(HPAGE_PMD_NR - ((from + i) % HPAGE_PMD_NR), HPAGE_PMD_NR - ((to + i) % HPAGE_PMD_NR), pages - i);
    if (task.pt.table(from + i)) tableToWrite(k, task, to + i);
    i += extent;
  }
  const moves: [number, number, number][] = [];
  for (const vpn of vpnsWithTables(task, from, from + pages)) {
    const [flags, value] = readPte(task, vpn);
    if (!flags) continue;
    moves.push([vpn - from, flags, value]);
    writePte(k, task, vpn, 0, 0);
  }
  for (const [i, flags, value] of moves) writePte(k, task, to + i, flags, value);
  moveHugePmds(k, task, huge);
}

/** mremap of a locked mapping: mm_populate of the part that grew. */
function populateLocked(k: Kernel, task: Task, start: bigint, end: bigint, flags: number): void {
  populateVmaPageRange(k, task, vpnOf(start), vpnOf(end), (flags & (VM_WRITE | VM_SHARED)) === VM_WRITE);
}
