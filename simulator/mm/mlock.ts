// mlock(2) and munlock(2) (mm/mlock.c), and the populate that mlock does (mm/gup.c __mm_populate).
//
// A locked VMA has VM_LOCKED (VmFlags `lo`, VmLck in status, Locked: in smaps). Its folios are
// mlocked: PG_mlocked and on the unevictable LRU, where reclaim never looks. The kernel keeps an
// mlock_count per folio; here a folio stays mlocked while some VM_LOCKED VMA maps it, which is
// what the count tracks.
import { PMD_THP, setHugeAccessBits, settleHugePmds } from './huge-memory';
import { markFolioDirty } from './file-folio';
import { folioOf } from './huge-split';
import { batchMlock, lruAddDrain } from './lru-batch';
import type { Kernel, Task } from './kernel';
import { addrOf, markAccessed, pteMapsFolio, readPte, vpnOf, vpnsWithTables } from './memory';
import { PG_ACTIVE, PG_MLOCKED, PG_UNEVICTABLE, PG_ZERO } from './page-flags';
import { PTE_ACCESSED, PTE_DIRTY, PTE_PRESENT, PTE_RW } from './pte';
import { memlockRlimit } from './rlimit';
import { folioMappings, type Mapping } from './rmap';
import { SyscallError } from './syscalls';
import { userAccess } from './fault';
import { VM_EXEC, VM_IO, VM_LOCKED, VM_PFNMAP, VM_READ, VM_SHARED, VM_SPECIAL, VM_WRITE } from './vm-flags';
import { pageAlign, type Vma } from './vma';


/**
 * capable(CAP_IPC_LOCK): the simulated processes run as root, as the oracle's workers do, so
 * RLIMIT_MEMLOCK never refuses (can_do_mlock, and the limit test in do_mlock).
 */
export const SCENARIO_CAP_IPC_LOCK = true;

const hex = (n: bigint) => `0x${n.toString(16)}`;

/** do_mlock / sys_munlock for [start, start + len): start rounded down, the length up to whole pages. */
export function doMlock(k: Kernel, task: Task, start: bigint, len: bigint, lock: boolean, line: number): void {
  const call = lock ? 'mlock' : 'munlock';
  const end = pageAlign(start + len);
  start &= ~0xfffn;
  if (end < start) throw new SyscallError('EINVAL', `${call}: the range wraps around`);
  if (end === start) return;
  if (lock) checkMemlockLimit(task, end - start);
  applyVmaLockFlags(k, task, start, end, lock, line, call);
  // __mm_populate(start, len, 0): mlock faults the whole range in; its error is reported as ENOMEM.
  if (lock) mmPopulate(k, task, start, end);
}

/** do_mlock's limit test: locked_vm plus the request against RLIMIT_MEMLOCK, unless CAP_IPC_LOCK. */
function checkMemlockLimit(task: Task, bytes: bigint): void {
  if (SCENARIO_CAP_IPC_LOCK) return;
  const limit = memlockRlimit(task);
  if (limit === undefined) return;
  if (limit === 0n) throw new SyscallError('EPERM', 'mlock: RLIMIT_MEMLOCK is 0 and the process lacks CAP_IPC_LOCK');
  const locked = lockedBytes(task) + bytes;
  if (locked > limit) throw new SyscallError('ENOMEM', `mlock: ${locked >> 10n} KiB would be locked, RLIMIT_MEMLOCK is ${limit >> 10n} KiB`);
}

/** mm->locked_vm in bytes: the size of the VM_LOCKED VMAs. */
function lockedBytes(task: Task): bigint {
  let bytes = 0n;
  for (const v of task.mm.eachVma) if (v.flags & VM_LOCKED) bytes += v.end - v.start;
  return bytes;
}

/**
 * apply_vma_lock_flags: every VMA of the range gets or loses VM_LOCKED (mlock_fixup splits and
 * merges); a hole fails with ENOMEM after the VMAs before it were changed.
 */
function applyVmaLockFlags(k: Kernel, task: Task, start: bigint, end: bigint, lock: boolean, line: number, call: string): void {
  const first = task.mm.vmaAt(start);
  if (!first) throw new SyscallError('ENOMEM', `${call}: nothing is mapped at ${hex(start)}`);
  for (let addr = start; addr < end; ) {
    const vma = task.mm.findVma(addr);
    if (!vma || vma.start > addr) throw new SyscallError('ENOMEM', `${call}: [${hex(start)}, ${hex(end)}) is not entirely mapped: nothing at ${hex(addr)}`);
    const to = vma.end < end ? vma.end : end;
    mlockFixup(k, task, vma, addr, to, lock, line);
    addr = to;
  }
}

/** mlock_fixup for [start, end) inside one VMA. */
function mlockFixup(k: Kernel, task: Task, vma: Vma, start: bigint, end: bigint, lock: boolean, line: number): void {
  const flags = lock ? vma.flags | VM_LOCKED : vma.flags & ~VM_LOCKED;
  // Special mappings ([vvar], [vdso]) and unchanged VMAs stay as they are: no split, no count.
  if (flags === vma.flags || vma.flags & VM_SPECIAL || vma.special) return;
  task.mm.splitAt(start);
  task.mm.splitAt(end);
  // vma_adjust_trans_huge: a PMD the new boundaries cut is split now, before the populate touches its pages.
  settleHugePmds(k);
  const updated = task.mm.updateVma(task.mm.vmaAt(start) as Vma, { flags, line });
  // mlock_vma_pages_range: the pages mapped now are mlocked or munlocked at once, between two
  // lru_add_drain()s (so no request of theirs stays pending).
  lruAddDrain(k);
  for (const vpn of vpnsWithTables(task, vpnOf(start), vpnOf(end))) {
    const [pte, pfn] = readPte(task, vpn);
    if (!pteMapsFolio(pte) || k.phys.flags[pfn]! & PG_ZERO) continue;
    // allow_mlock_munlock: a large folio the VMA holds only in part is not mlocked (munlocked, it may be).
    if (lock) {
      if (folioWithinVma(k, updated, vpn, pfn)) mlockFolio(k, pfn);
    } else munlockFolio(k, pfn);
  }
  lruAddDrain(k);
  task.mm.mergeAround(updated);
}

/**
 * __mm_populate → populate_vma_page_range: GUP every page of the locked VMAs in the range, with
 * FOLL_WRITE in private writable mappings (to break copy-on-write) and a read elsewhere.
 */
function mmPopulate(k: Kernel, task: Task, start: bigint, end: bigint): void {
  for (const vma of task.mm.vmasIn(start, end)) {
    if (vma.flags & (VM_IO | VM_PFNMAP) || vma.special) continue;
    // check_vma_flags: GUP (FOLL_FORCE only for accessible VMAs) refuses PROT_NONE: EFAULT, reported as ENOMEM.
    if (!(vma.flags & (VM_READ | VM_WRITE | VM_EXEC))) throw new SyscallError('ENOMEM', `mlock: the PROT_NONE mapping ${hex(vma.start)}-${hex(vma.end)} cannot be faulted in (it is locked all the same)`);
    const from = vma.start > start ? vma.start : start;
    const to = vma.end < end ? vma.end : end;
    populateVmaPageRange(k, task, vpnOf(from), vpnOf(to), (vma.flags & (VM_WRITE | VM_SHARED)) === VM_WRITE);
  }
}

/**
 * __get_user_pages with FOLL_TOUCH over [from, to): follow_page_pte, or handle_mm_fault and follow again.
 * The folios it faulted in are on the LRU lists when it returns, after their access marks (kpageflags'
 * LRU and unevictable bits after mlock, after mprotect's populate and after MADV_POPULATE_WRITE,
 * checked on this kernel; a store's fault leaves its folio waiting in the mlock batch instead).
 */
export function populateVmaPageRange(k: Kernel, task: Task, from: number, to: number, write: boolean): void {
  for (let vpn = from; vpn < to; vpn++) {
    if (!followPage(k, task, vpn, write)) {
      // GUP's write fault stores nothing: a subpage of a large folio it faulted in stays zero-filled.
      userAccess(k, task, addrOf(vpn), write ? 'write' : 'read', false);
      followPage(k, task, vpn, write);
    }
    const [pte, pfn] = readPte(task, vpn);
    const vma = task.mm.vmaAt(addrOf(vpn));
    // mlock_new_folio (folio_add_lru_vma in a VM_LOCKED VMA): a folio faulted in here is mlocked.
    if (vma && vma.flags & VM_LOCKED && pteMapsFolio(pte) && !(k.phys.flags[pfn]! & PG_ZERO) && folioWithinVma(k, vma, vpn, pfn)) mlockFolio(k, pfn);
  }
  lruAddDrain(k);
}

/** follow_page_pte with FOLL_TOUCH: false when the PTE cannot serve the access (GUP then faults). */
function followPage(k: Kernel, task: Task, vpn: number, write: boolean): boolean {
  const [pte, pfn] = readPte(task, vpn);
  if (!(pte & PTE_PRESENT)) return false;
  if (write && !(pte & PTE_RW)) return false;
  if (!pteMapsFolio(pte) || k.phys.flags[pfn]! & PG_ZERO) return true;
  // follow_huge_pmd: FOLL_TOUCH only makes a THP's PMD young (touch_pmd); the folio is not marked
  // accessed, so a fork child's old PMD shows Referenced 0 (checked on this kernel).
  if (task.pt.table(vpn)?.pmd === PMD_THP) {
    // touch_pmd(write): with FOLL_WRITE the PMD becomes dirty too (a lazily freed THP is then not lazy any more).
    if (write) setHugeAccessBits(task, vpn, PTE_ACCESSED | PTE_DIRTY);
    return true;
  }
  // FOLL_TOUCH: a write dirties the folio (not the PTE); either way the folio is marked accessed.
  if (write && !(pte & PTE_DIRTY)) markFolioDirty(k, pfn);
  // folio_mark_accessed marks the whole folio (a PTE-mapped THP's every page: markAccessed).
  markAccessed(k, pfn);
  return true;
}

/** A fault in a locked VMA mapped the page at vpn, and fault-around perhaps its neighbours: mlock them. */
export function mlockFaultedPages(k: Kernel, task: Task, vma: Vma, vpn: number): void {
  const from = Math.max(vpn - 16, vpnOf(vma.start));
  const to = Math.min(vpn + 16, vpnOf(vma.end));
  for (let v = from; v < to; v++) {
    const [pte, pfn] = readPte(task, v);
    if (pteMapsFolio(pte) && !(k.phys.flags[pfn]! & PG_ZERO) && folioWithinVma(k, vma, v, pfn)) mlockFolio(k, pfn);
  }
}

/**
 * allow_mlock_munlock / mlock_vma_folio: a large folio (a PTE-mapped THP, a large page-cache folio) is
 * mlocked only when it lies whole inside the locked VMA; one the VMA's edge cuts stays evictable, and
 * folio_mark_accessed goes on activating it.
 */
function folioWithinVma(k: Kernel, vma: Vma, vpn: number, pfn: number): boolean {
  const { head, pages } = folioOf(k, pfn);
  if (pages === 1) return true;
  const headVpn = vpn - (pfn - head);
  return headVpn >= vpnOf(vma.start) && headVpn + pages <= vpnOf(vma.end);
}

/** mlock_folio: PG_mlocked, off the active list and onto the unevictable one. */
export function mlockFolio(k: Kernel, pfn: number): void {
  if (k.phys.flags[pfn]! & PG_MLOCKED) return;
  batchMlock(k, pfn, true);
  k.phys.lruChange(pfn, PG_MLOCKED | PG_UNEVICTABLE, PG_ACTIVE);
}

/** munlock_folio: back to the (inactive) evictable LRU once no VM_LOCKED VMA maps the folio. */
export function munlockFolio(k: Kernel, pfn: number): void {
  if (!(k.phys.flags[pfn]! & PG_MLOCKED)) return;
  // munlock_vma_folio queues the request whether or not another locked VMA still maps the folio.
  batchMlock(k, pfn);
  if (lockedMapping(folioMappings(k, pfn))) return;
  k.phys.lruChange(pfn, 0, PG_MLOCKED | PG_UNEVICTABLE);
}

/** The first of the mappings that lies in a VM_LOCKED VMA (folio_referenced_one, try_to_unmap_one). */
export function lockedMapping(mappings: readonly Mapping[]): Mapping | undefined {
  return mappings.find(({ task, vpn }) => ((task.mm.vmaAt(addrOf(vpn))?.flags ?? 0) & VM_LOCKED) !== 0);
}

/**
 * Reclaim found a folio mapped in a VM_LOCKED VMA (folio_referenced_one → mlock_vma_folio): it is
 * moved to the unevictable list instead of being reclaimed. True if it was.
 */
export function cullMlockedFolio(k: Kernel, pfn: number, mappings: readonly Mapping[]): boolean {
  if (!lockedMapping(mappings)) return false;
  mlockFolio(k, pfn);
  return true;
}

