import { removeLargeMapping } from './folio-mm-ids';
import { chargeRss, type Inode, type Kernel, type Task } from './kernel';
import { basePteFlags, deleteFromSwapCache, mapFolio, pteMapsFolio, putFolio, readPte, writePte, PTE_PROTNONE } from './memory';
import { stackGrowthRefusal } from './commit';
import { rlimit } from './rlimit';
import { newAnonFolio } from './page-alloc';
import { addCachePage, asyncMmapReadahead, completeReads, filePages, syncMmapReadahead } from './page-cache';
import { PG_ANON, PG_DIRTY, PG_LARGE, PG_MLOCKED, PG_SWAPCACHE, PG_UPTODATE, PG_WRITTEN } from './page-flags';
import { PTE_ACCESSED, PTE_DIRTY, PTE_NX, PTE_PRESENT, PTE_RW, PTE_SPECIAL, PTE_SWAP, PTE_SWP_EXCLUSIVE } from './pte';
import { anonVmaCompatible } from './mm-struct';
import type { PteTable } from './page-table';
import { doHugePmdAnonymousPage, doHugePmdWpPage, setHugeAccessBits } from './huge-memory';
import { doFilePmdFault } from './huge-file';
import { hugepageReadahead, markFolioDirty } from './file-folio';
import { doFaultAround, fileIndexOf, finishFault } from './filemap-map';
import { batchReferences, pendingMlocks } from './lru-batch';
import { largeFolioExclusive, largeHead } from './huge-split';
import { expandDownwards } from './stack';
import { swapInPage } from './swap-in';
import { specialMappingFault } from './vdso';
import { VM_EXEC, VM_GROWSDOWN, VM_HUGEPAGE, VM_LOCKED, VM_RAND_READ, VM_READ, VM_SEQ_READ, VM_SHARED, VM_WRITE } from './vm-flags';
import { mlockFaultedPages, mlockFolio, munlockFolio } from './mlock';
import { PAGE_SHIFT, type Vma } from './vma';

export type Access = 'read' | 'write' | 'exec';

/** x86 #PF error code bits (asm/trap_pf.h). */
export const PF_PROT = 0x1;
export const PF_WRITE = 0x2;
export const PF_USER = 0x4;
export const PF_INSTR = 0x10;

const TASK_SIZE_MAX = (1n << 47n) - 0x1000n;
const VSYSCALL_PAGE = 0xffffffffff600000n;

export type FaultKind = 'hit' | 'anonymous' | 'zero-page' | 'cow' | 'reuse' | 'file' | 'file-major' | 'shared-write' | 'swap-in' | 'stack-growth' | 'sigsegv' | 'sigbus';

/** How a fault was resolved, without where: the hot paths return shared constants (no object per fault). */
export interface FaultOutcome {
  /** 'hit': no fault; otherwise how the fault was resolved. */
  readonly kind: FaultKind;
  /** PTEs the fault mapped (fault-around maps several). */
  readonly mapped: number;
  readonly signal?: { signal: 'SIGSEGV' | 'SIGBUS'; code: 'SEGV_MAPERR' | 'SEGV_ACCERR' | 'SI_KERNEL' | 'BUS_ADRERR' };
  readonly explanation: string;
}

/** What one access did, for the fault panel and hovers. */
export interface FaultRecord extends FaultOutcome {
  readonly address: bigint;
  readonly access: Access;
  readonly errorCode: number;
}

const outcome = (kind: FaultKind, mapped: number, explanation: string): FaultOutcome => ({ kind, mapped, explanation });
const ZERO_PAGE = outcome('zero-page', 1, 'read fault on untouched anonymous memory: the shared zero page is mapped read-only (not counted in Rss)');
const anonymous = (what: string, how: string) => outcome('anonymous', 1, `${what} on untouched anonymous memory: a new zeroed page, mapped ${how}`);
const ANON_WRITE_RW = anonymous('write fault', 'writable and dirty');
const ANON_WRITE_RO = anonymous('write fault', 'read-only and clean');
const ANON_NO_ZERO_RW = anonymous('read fault (the zero page is forbidden on this machine)', 'writable and dirty');
const ANON_NO_ZERO_RO = anonymous('read fault (the zero page is forbidden on this machine)', 'read-only and clean');
export const REUSE = outcome('reuse', 0, 'write to an anonymous page no one else maps: it is reused, now writable (no copy)');
const COW_ZERO = outcome('cow', 1, 'write to the zero page: copy-on-write to a new private page');
const COW_CACHE = outcome('cow', 1, 'write to a page-cache page: copy-on-write to a new private page');
export const COW_ANON = outcome('cow', 1, 'write to a shared anonymous page: copy-on-write to a new private page');
const WP_SHARED = outcome('shared-write', 0, 'write to a clean shared page: it is made writable and dirty (write notification)');
const REACCESSIBLE = outcome('hit', 0, 'the PTE was made accessible again');
const NX_REFETCH: FaultOutcome = { kind: 'sigsegv', mapped: 0, signal: { signal: 'SIGSEGV', code: 'SEGV_ACCERR' }, explanation: 'the page is mapped without execute permission (NX): the refetch faults with error 0x15, SEGV_ACCERR' };

export const errorCodeOf = (access: Access, present: boolean) => PF_USER | (present ? PF_PROT : 0) | (access === 'write' ? PF_WRITE : 0) | (access === 'exec' ? PF_INSTR : 0);

function segv(address: bigint, access: Access, errorCode: number, code: 'SEGV_MAPERR' | 'SEGV_ACCERR' | 'SI_KERNEL', explanation: string): FaultRecord {
  return { address, access, kind: 'sigsegv', errorCode, mapped: 0, signal: { signal: 'SIGSEGV', code }, explanation };
}

/** Whether a present PTE allows the access without a fault (the MMU's check). */
function pteAllows(flags: number, access: Access): boolean {
  if (!(flags & PTE_PRESENT)) return false;
  if (access === 'write') return (flags & PTE_RW) !== 0;
  if (access === 'exec') return !(flags & PTE_NX);
  return true;
}

/**
 * One user-mode load, store or instruction fetch at `address`: the MMU check,
 * then do_user_addr_fault / handle_mm_fault (arch/x86/mm/fault.c, mm/memory.c)
 * when it faults, then the accessed/dirty bits the hardware sets. `stores` false: a write fault that
 * writes no data (GUP's, for mlock's populate), so a large folio's subpage stays zero-filled.
 */
export function userAccess(k: Kernel, task: Task, address: bigint, access: Access, stores = access === 'write'): FaultRecord {
  const vpn = Number(address >> PAGE_SHIFT);
  if (address >= TASK_SIZE_MAX) return kernelAddressFault(address, access);
  const flags = pteFlagsAt(task, vpn);
  if (pteAllows(flags, access)) {
    setAccessBits(k, task, vpn, access, stores);
    return { address, access, kind: 'hit', errorCode: 0, mapped: 0, explanation: `the PTE already allows the ${access}: no fault` };
  }
  const present = (flags & (PTE_PRESENT | PTE_PROTNONE)) !== 0;
  const errorCode = errorCodeOf(access, present);
  let vma = task.mm.findVma(address);
  let grew = false;
  if (vma && vma.start > address) {
    if (!(vma.flags & VM_GROWSDOWN)) vma = undefined;
    else {
      // acct_stack_growth: RLIMIT_AS, RLIMIT_STACK and the overcommit charge (commit.ts).
      const grown = stackGrowthRefusal(k, task, vma, address) ?? expandDownwards(task.mm, vma, address, rlimit(task, 'stack') ?? 1n << 62n);
      if (typeof grown === 'string') return segv(address, access, errorCode, 'SEGV_MAPERR', `${grown}: SEGV_MAPERR`);
      vma = grown;
      grew = true;
    }
  }
  if (!vma) return segv(address, access, errorCode, 'SEGV_MAPERR', `no VMA contains 0x${address.toString(16)}: SEGV_MAPERR`);
  const denied = accessError(vma, access, present);
  if (denied) return segv(address, access, errorCode, 'SEGV_ACCERR', denied);
  const result = faultInVma(k, task, vma, vpn, access, flags, stores);
  if (result.kind === 'sigbus') return { ...result, address, access, errorCode };
  if (result === NX_REFETCH) return { ...result, address, access, errorCode: errorCodeOf('exec', true) };
  return grew
    ? { ...result, address, access, kind: result.kind === 'hit' ? 'stack-growth' : result.kind, explanation: `the stack grew down to 0x${vma.start.toString(16)}; ${result.explanation}`, errorCode }
    : { ...result, address, access, errorCode };
}

/**
 * The common case of userAccess, without objects: a page below TASK_SIZE_MAX inside `vma`
 * (the caller found it; no stack growth). Returns undefined for an access the PTE allows
 * (no fault), or the outcome, with its error code in `errorCodeOut[0]`. Accesses the VMA
 * refuses return undefined in `errorCodeOut[1] = 1`: the caller takes userAccess for them.
 */
export function accessInVma(k: Kernel, task: Task, vma: Vma, vpn: number, access: Access, out: Int32Array): FaultOutcome | undefined {
  const flags = pteFlagsAt(task, vpn);
  out[1] = 0;
  if (pteAllows(flags, access)) {
    setAccessBits(k, task, vpn, access);
    return undefined;
  }
  const present = (flags & (PTE_PRESENT | PTE_PROTNONE)) !== 0;
  if (accessRefused(vma, access, present)) {
    out[1] = 1;
    return undefined;
  }
  const result = faultInVma(k, task, vma, vpn, access, flags);
  out[0] = result === NX_REFETCH ? errorCodeOf('exec', true) : errorCodeOf(access, present);
  return result;
}

/** handle_mm_fault for an access the VMA allows, then the NX refetch and the accessed/dirty bits. */
function faultInVma(k: Kernel, task: Task, vma: Vma, vpn: number, access: Access, flags: number, stores = access === 'write'): FaultOutcome {
  const result = handleMmFault(k, task, vma, vpn, access, flags);
  if (result.kind === 'sigbus') return result;
  // folio_add_*_rmap → mlock_vma_folio: what a fault maps in a locked VMA is mlocked at once.
  if (vma.flags & VM_LOCKED) mlockFaultedPages(k, task, vma, vpn);
  // An instruction fetch from a non-executable VMA faults the page in, then hits NX.
  if (access === 'exec' && pteFlagsAt(task, vpn) & PTE_NX) return NX_REFETCH;
  setAccessBits(k, task, vpn, access, stores);
  return result;
}

/** The flags of vpn's PTE (0 for pte_none), without a tuple. */
function pteFlagsAt(task: Task, vpn: number): number {
  const t = task.pt.table(vpn);
  return t ? t.flags[vpn % 512]! : 0;
}

export function setAccessBits(k: Kernel, task: Task, vpn: number, access: Access, stores = access === 'write'): void {
  const bits = PTE_ACCESSED | (access === 'write' ? PTE_DIRTY : 0);
  const t = task.pt.table(vpn);
  if (!t) return;
  // A store into a subpage of a large folio: it is no longer zero-filled (a split maps those to the zero page).
  if (stores && k.phys.flags[t.value[vpn % 512]!]! & PG_LARGE) k.phys.flags[t.value[vpn % 512]!]! |= PG_WRITTEN;
  if ((t.flags[vpn % 512]! & bits) === bits) return;
  if (t.pmd && !t.pmdTouched) return setHugeAccessBits(task, vpn, bits);
  (task.pt.writableTable(vpn) as PteTable).flags[vpn % 512]! |= bits;
}

/** Faults on kernel or non-canonical addresses. */
function kernelAddressFault(address: bigint, access: Access): FaultRecord {
  const top = address >> 47n;
  if (top !== 0n && top !== (1n << 17n) - 1n) {
    return segv(0n, access, 0, 'SI_KERNEL', `0x${address.toString(16)} is not canonical (bits 63:48 must copy bit 47): #GP, SIGSEGV with si_code SI_KERNEL`);
  }
  if (address >= VSYSCALL_PAGE && address < VSYSCALL_PAGE + 0x1000n && access === 'exec' && (address - VSYSCALL_PAGE) % 0x400n === 0n) {
    return { address, access, kind: 'hit', errorCode: 0, mapped: 0, explanation: 'a vsyscall entry point: the kernel emulates the call' };
  }
  // sanitize_error_code: user faults on kernel addresses always report PROT.
  return segv(address, access, errorCodeOf(access, true), 'SEGV_MAPERR', `0x${address.toString(16)} is a kernel address (at or above TASK_SIZE_MAX): SEGV_MAPERR`);
}

/** access_error without the reason. */
function accessRefused(vma: Vma, access: Access, present: boolean): boolean {
  if (access === 'write') return !(vma.flags & VM_WRITE);
  return present || !(vma.flags & (VM_READ | VM_WRITE | VM_EXEC));
}

/** access_error (arch/x86/mm/fault.c): why the VMA refuses this access, or undefined. */
function accessError(vma: Vma, access: Access, present: boolean): string | undefined {
  if (access === 'write') return vma.flags & VM_WRITE ? undefined : 'write to a VMA without write permission: SEGV_ACCERR';
  if (present) return `${access === 'exec' ? 'instruction fetch from a non-executable' : 'read of a protected'} page: SEGV_ACCERR`;
  if (!(vma.flags & (VM_READ | VM_WRITE | VM_EXEC))) return 'access to a PROT_NONE VMA: SEGV_ACCERR';
  return undefined;
}

/** handle_pte_fault. */
function handleMmFault(k: Kernel, task: Task, vma: Vma, vpn: number, access: Access, flags: number): FaultOutcome {
  if (!flags) {
    if (vma.special) return specialMappingFault(k, task, vma, vpn) ?? doAnonymousPage(k, task, vma, vpn, access);
    if (vma.inodeId === undefined) return doHugePmdAnonymousPage(k, task, vma, vpn, access) ?? doAnonymousPage(k, task, vma, vpn, access);
    return doFault(k, task, vma, vpn, access);
  }
  if (flags & PTE_SWAP) return doSwapPage(k, task, vma, vpn, access);
  // A file PMD is cleared on a write (not split): the fault goes on as if nothing were mapped.
  if (access === 'write' && !(flags & PTE_RW)) return doHugePmdWpPage(k, task, vma, vpn) ?? (pteFlagsAt(task, vpn) ? doWpPage(k, task, vma, vpn) : handleMmFault(k, task, vma, vpn, access, 0));
  return REACCESSIBLE;
}

/**
 * The anon_vma of a VMA, set on its first anonymous page (__anon_vma_prepare):
 * find_mergeable_anon_vma reuses a compatible neighbour's (next first, then
 * prev) if its anon_vma_chain is singular (reusable_anon_vma), else a new one.
 */
export function anonVmaOf(k: Kernel, task: Task, vma: Vma): number {
  if (vma.anonVma !== undefined) return vma.anonVma;
  const reusable = (near: Vma | undefined, a: Vma | undefined, b: Vma | undefined) =>
    near?.anonVma !== undefined && !near.anonVmaForked && a && b && anonVmaCompatible(a, b) ? near.anonVma : undefined;
  const next = task.mm.findVma(vma.end);
  const prev = task.mm.previous(vma);
  const id = reusable(next, vma, next) ?? reusable(prev, prev, vma) ?? k.nextId++;
  task.mm.updateVma(vma, { anonVma: id });
  return id;
}

/** do_anonymous_page: the zero page for reads (unless mm_forbids_zeropage), a new zeroed page otherwise. */
export function doAnonymousPage(k: Kernel, task: Task, vma: Vma, vpn: number, access: Access): FaultOutcome {
  if (access !== 'write' && !k.settings.forbidsZeroPage) {
    writePte(k, task, vpn, (basePteFlags(vma) & ~PTE_RW) | PTE_SPECIAL, k.phys.zeroPfn);
    return ZERO_PAGE;
  }
  const anonVma = anonVmaOf(k, task, vma);
  const pfn = newAnonFolio(k, anonVma, vpn);
  // mk_pte(vm_page_prot), then pte_mkwrite(pte_mkdirty()) if VM_WRITE: a read fault maps it dirty too.
  mapFolio(k, task, vpn, pfn, basePteFlags(vma) | (vma.flags & VM_WRITE ? PTE_RW | PTE_DIRTY : 0), false);
  return anonymousOutcome(vma, access);
}

/** How do_anonymous_page resolved a fault that allocated a page. */
export function anonymousOutcome(vma: Vma, access: Access): FaultOutcome {
  const writable = (vma.flags & VM_WRITE) !== 0;
  if (access === 'write') return writable ? ANON_WRITE_RW : ANON_WRITE_RO;
  return writable ? ANON_NO_ZERO_RW : ANON_NO_ZERO_RO;
}

/** do_fault: read, private write (CoW) or shared write on a file or shmem mapping. */
function doFault(k: Kernel, task: Task, vma: Vma, vpn: number, access: Access): FaultOutcome {
  const inode = k.inodes.get(vma.inodeId as number) as Inode;
  const index = fileIndexOf(vma, vpn);
  // filemap_fault / shmem_get_folio_gfp: a page at or past i_size is SIGBUS (a shmem object grown past by mremap too).
  if (index >= filePages(inode)) {
    return { kind: 'sigbus', mapped: 0, signal: { signal: 'SIGBUS', code: 'BUS_ADRERR' }, explanation: `page ${index} of the file is beyond its end (${inode.size} bytes): SIGBUS` };
  }
  if (access !== 'write') {
    const huge = doFilePmdFault(k, task, vma, vpn, inode, index);
    if (huge) return huge;
    const around = doFaultAround(k, task, vma, vpn, inode);
    if (readPte(task, vpn)[0]) return { kind: 'file', mapped: around, explanation: `read fault: page ${index} was in the page cache; fault-around mapped ${around} cached page${around === 1 ? '' : 's'}` };
    const major = !inode.cache.has(index) && !(inode.shmem && !inode.swapped.has(index));
    const { pfn } = filemapFault(k, inode, index, vma);
    if (major) {
      // The fault dropped mmap_lock for the read I/O and returns VM_FAULT_RETRY; the retry maps around again.
      const retried = doFaultAround(k, task, vma, vpn, inode);
      if (readPte(task, vpn)[0]) return { kind: 'file-major', mapped: retried, explanation: `read fault: page ${index} was not cached; readahead read it and its neighbours (${inode.cache.size} pages of the file are cached now), and the retried fault mapped ${retried} of them` };
    }
    const mapped = finishFault(k, task, vma, vpn, pfn);
    const folio = mapped > 1 ? ` and the other ${mapped - 1} pages of its large folio` : '';
    return { kind: major ? 'file-major' : 'file', mapped: around + mapped, explanation: `read fault on page ${index}${folio}${around ? `; fault-around mapped ${around} more` : ''}` };
  }
  const { pfn, major } = filemapFault(k, inode, index, vma);
  if (!(vma.flags & VM_SHARED)) {
    // do_cow_fault: copy the page-cache page into a new anonymous page.
    const anonVma = anonVmaOf(k, task, vma);
    const copy = newAnonFolio(k, anonVma, vpn);
    mapFolio(k, task, vpn, copy, basePteFlags(vma) | PTE_RW | PTE_DIRTY, false);
    return { kind: 'cow', mapped: 1, explanation: `write fault on a private file mapping: page ${index} ${major ? 'was read from the file and ' : ''}copied to a new anonymous page (copy-on-write)` };
  }
  // do_shared_fault: map the page-cache page writable and mark it dirty (a large folio whole, where it fits).
  const mapped = finishFault(k, task, vma, vpn, pfn, basePteFlags(vma) | PTE_RW | PTE_DIRTY);
  markFolioDirty(k, pfn);
  const folio = mapped > 1 ? ` with the other ${mapped - 1} pages of its large folio` : '';
  return { kind: 'shared-write', mapped, explanation: `write fault on a shared mapping: page ${index} of the page cache is mapped writable${folio} and marked dirty` };
}

/** filemap_fault / shmem_fault: find or read the page, with the readahead logic. */
function filemapFault(k: Kernel, inode: Inode, index: number, vma: Vma): { pfn: number; major: boolean } {
  const cached = inode.cache.get(index);
  if (cached !== undefined) {
    // do_async_mmap_readahead: none in a VM_RAND_READ mapping (nor its mmap_miss count).
    if (!inode.shmem && !(vma.flags & VM_RAND_READ)) asyncMmapReadahead(k, inode, index, cached);
    // filemap_fault waits for a folio whose read is in flight (folio_lock): the readahead's reads are done.
    if (!(k.phys.flags[cached]! & PG_UPTODATE)) completeReads(k);
    return { pfn: cached, major: false };
  }
  if (inode.shmem) {
    const slot = inode.swapped.get(index);
    const pfn = slot === undefined ? addCachePage(k, inode, index) : swapInShmem(k, inode, index, slot);
    return { pfn, major: slot !== undefined };
  }
  // do_sync_mmap_readahead: an executable mapping reads from the faulting page to the VMA's end only.
  const exec = vma.flags & VM_EXEC ? { first: Number(vma.pgoff), end: Number(vma.pgoff) + Number((vma.end - vma.start) >> PAGE_SHIFT) } : undefined;
  if (vma.flags & VM_HUGEPAGE) hugepageReadahead(k, inode, index, (vma.flags & VM_RAND_READ) !== 0);
  else syncMmapReadahead(k, inode, index, vma.flags & VM_RAND_READ ? 'random' : vma.flags & VM_SEQ_READ ? 'sequential' : undefined, exec);
  return { pfn: inode.cache.get(index) ?? addCachePage(k, inode, index), major: true };
}

function swapInShmem(k: Kernel, inode: Inode, index: number, slot: number): number {
  const pfn = swapInPage(k, slot, inode.id, index, false);
  // shmem_swapin_folio: the swap copy is freed, so the folio is marked dirty.
  k.phys.flags[pfn] = (k.phys.flags[pfn]! & ~PG_ANON) | PG_DIRTY;
  inode.swapped.delete(index);
  inode.cache.set(index, pfn);
  k.swap.release(slot);
  // The swap cache's reference goes; the caller's becomes the page cache's.
  deleteFromSwapCache(k, pfn);
  return pfn;
}

/** do_wp_page: a write to a present read-only page in a writable VMA. */
export function doWpPage(k: Kernel, task: Task, vma: Vma, vpn: number): FaultOutcome {
  const table = task.pt.table(vpn) as PteTable;
  const flags = table.flags[vpn % 512]!;
  const pfn = table.value[vpn % 512]!;
  if (vma.flags & VM_SHARED) {
    // wp_page_shared: page_mkwrite, then the PTE becomes writable and the folio dirty.
    writePte(k, task, vpn, flags | PTE_RW | PTE_DIRTY, pfn);
    markFolioDirty(k, pfn);
    return WP_SHARED;
  }
  const isZero = (flags & PTE_SPECIAL) !== 0;
  if (!isZero && k.phys.flags[pfn]! & PG_ANON && canReuseAnonFolio(k, task, pfn)) {
    writePte(k, task, vpn, flags | PTE_RW | PTE_DIRTY, pfn);
    return REUSE;
  }
  // wp_page_copy
  const anonVma = anonVmaOf(k, task, vma);
  const copy = newAnonFolio(k, anonVma, vpn);
  if (pteMapsFolio(flags)) {
    k.phys.mapcount.add(pfn, -1);
    removeLargeMapping(k, pfn, task.pid);
    chargeRss(task, k.phys.flags[pfn]!, -1);
    putFolio(k, pfn);
  }
  writePte(k, task, vpn, 0, 0);
  mapFolio(k, task, vpn, copy, basePteFlags(vma) | PTE_RW | PTE_DIRTY, false);
  if (vma.flags & VM_LOCKED) {
    // folio_add_lru_vma → mlock_new_folio queues the copy before folio_remove_rmap_pte → munlock_vma_folio
    // queues the old folio (the batch drains on its 31st entry, so the order decides which waits).
    mlockFolio(k, copy);
    // Only when the VMA is VM_LOCKED: a fork child's copy of a locked VMA is not locked, and its copy-on-write
    // queues no munlock, which would hold the folio and make the parent's next write copy it instead of reusing it.
    if (k.phys.flags[pfn]! & PG_MLOCKED) munlockFolio(k, pfn);
  }
  return isZero ? COW_ZERO : k.phys.isAllocated(pfn) && !(k.phys.flags[pfn]! & PG_ANON) ? COW_CACHE : COW_ANON;
}

/** wp_can_reuse_anon_folio: reuse when ours is the only reference (after dropping the swap cache); a large folio when this mm maps it alone. */
export function canReuseAnonFolio(k: Kernel, task: Task, pfn: number): boolean {
  const head = largeHead(k, pfn);
  if (head !== undefined) return largeFolioExclusive(k, task, head);
  const swapcache = (k.phys.flags[pfn]! & PG_SWAPCACHE) !== 0;
  // The references of this CPU's folio batches count too (lru-batch.ts): pending munlocks make it a copy.
  if (k.phys.refcount.get(pfn) + pendingMlocks(k, pfn) > 3) return false;
  if (k.phys.refcount.get(pfn) + batchReferences(k, pfn) > 1 + (swapcache ? 1 : 0)) return false;
  if (swapcache && k.phys.mapcount.get(pfn) === 1) {
    const slot = k.phys.swapSlot(pfn);
    if (k.swap.count(slot) === 0) deleteFromSwapCache(k, pfn);
  }
  return k.phys.refcount.get(pfn) === 1;
}

/** do_swap_page: bring a page back from swap (or find it in the swap cache). */
function doSwapPage(k: Kernel, task: Task, vma: Vma, vpn: number, access: Access): FaultOutcome {
  const [flags, slot] = readPte(task, vpn);
  const anonVma = anonVmaOf(k, task, vma);
  const cached = k.swap.cachedPage(slot);
  const pfn = cached ?? swapInPage(k, slot, anonVma, vpn, true);
  // Our reference: the lookup's for a cached page, the allocation's for a fresh one.
  if (cached !== undefined) k.phys.refcount.add(pfn, 1);
  k.swap.release(slot);
  task.rss.swapEnts--;
  // should_try_to_free_swap: the swap-cache copy goes (folio_free_swap, which dirties the folio) when no
  // other PTE holds the slot, and the VMA is locked, the folio mlocked, or a write fault comes from its only user.
  const freeSwap = vma.flags & VM_LOCKED || k.phys.flags[pfn]! & PG_MLOCKED || (access === 'write' && k.phys.refcount.get(pfn) === 2);
  if (freeSwap && k.swap.count(slot) === 0) {
    deleteFromSwapCache(k, pfn);
    k.phys.flags[pfn]! |= PG_DIRTY;
  }
  const exclusive = (flags & PTE_SWP_EXCLUSIVE) !== 0 || k.phys.refcount.get(pfn) === 1;
  let pte = basePteFlags(vma);
  let written = false;
  if (exclusive && vma.flags & VM_WRITE) {
    pte |= PTE_RW;
    if (access === 'write') {
      pte |= PTE_DIRTY;
      written = true;
    }
  }
  mapFolio(k, task, vpn, pfn, pte, false);
  const source = cached !== undefined ? `it was still in the swap cache (slot ${slot}), so no I/O was needed` : `it was read back from swap slot ${slot}`;
  if (access === 'write' && !written) {
    const cow = doWpPage(k, task, vma, vpn);
    return { ...cow, explanation: `swap-in: ${source}; the page is shared, so the write copies it (copy-on-write)` };
  }
  const stays = k.phys.flags[pfn]! & PG_SWAPCACHE ? '; it stays in the swap cache, so it is clean (Private_Clean) until written' : '';
  return { kind: 'swap-in', mapped: 1, explanation: `swap-in: ${source}${stays}` };
}
