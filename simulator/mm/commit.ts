// Overcommit accounting (mm/util.c __vm_enough_memory, vm_commit_limit; mm/shmem.c shmem_acct_size).
//
// The books: vm_committed_as is what the VM_ACCOUNT VMAs of every mm cover, plus the shmem objects
// charged whole at creation (MAP_SHARED|MAP_ANONYMOUS, shared /dev/zero). The simulator derives the
// first part from the VMAs themselves (MmStruct.accountedPages, kept by the VMA tree as VMAs come and go),
// so a VMA that grows, shrinks, splits, merges, moves or goes is charged or uncharged by what it is:
// nothing to undo by hand.
//
// For the mremap engineer: before a VM_ACCOUNT VMA grows by N pages (mremap's vrm_calc_charge /
// security_vm_enough_memory_mm), call `accountPages(k, task, N, 'mremap')`; it throws the kernel's
// ENOMEM when the overcommit policy refuses. Once the VMA is bigger, Committed_AS follows by itself.
// `mayExpandVm` (rlimit.ts) is the RLIMIT_AS/RLIMIT_DATA check, and `mapCountRefusal` the
// vm.max_map_count one.
import type { Inode, Kernel, Task } from './kernel';
import { freeSwapCacheIfUnused, putFolio } from './memory';
import { mayExpandVm, rlimit, sizeText } from './rlimit';
import { SyscallError } from './syscalls';
import { VM_ACCOUNT, VM_DONTCOPY } from './vm-flags';
import type { Vma } from './vma';

const bytes = (pages: number) => BigInt(pages) << 12n;

/** A SyscallError's reason without the ` (ERRNO)` its message ends with. */
function reasonText(error: SyscallError): string {
  const reason = (error as { reason?: unknown }).reason;
  return typeof reason === 'string' ? reason : error.message.replace(/ \([A-Z]+\)$/, '');
}

/** totalram_pages(): every frame of the simulated machine (MemTotal). */
export const totalramPages = (k: Kernel): number => k.phys.frames;

/** total_swap_pages: the swap device's usable slots (SwapTotal). */
export const totalSwapPages = (k: Kernel): number => k.swap.totalSlots;

/** vm_commit_limit: overcommit_kbytes, or overcommit_ratio percent of RAM, plus swap. */
export function vmCommitLimit(k: Kernel): number {
  const { overcommitKbytes, overcommitRatio } = k.sysctl;
  const ram = overcommitKbytes ? Math.floor(overcommitKbytes / 4) : Math.floor((totalramPages(k) * overcommitRatio) / 100);
  return ram + totalSwapPages(k);
}

/** vm_memory_committed(): Committed_AS in pages. */
export function committedPages(k: Kernel): number {
  let pages = k.shmemCommitted;
  for (const task of k.tasks.values()) pages += Number(task.mm.accountedPages);
  return pages;
}

/** sysctl_user_reserve_kbytes as init_user_reserve sets it: min(free memory / 32, 128 MiB), in pages. */
export function userReservePages(k: Kernel): number {
  return Math.min(Math.floor(totalramPages(k) / 32), 32768);
}

/**
 * __vm_enough_memory for a task with CAP_SYS_ADMIN (the simulated processes are root, as the oracle's):
 * mode 1 always agrees; mode 0 refuses one request larger than RAM + swap; mode 2 refuses when
 * Committed_AS with the request would reach CommitLimit less min(total_vm / 32, user_reserve).
 * `pending` is what the same call charged already (fork's VMAs before this one).
 */
export function vmEnoughMemory(k: Kernel, task: Task | undefined, pages: number, pending = 0): void {
  enoughMemoryFor(k, task ? Number(task.mm.totalVm >> 12n) : 0, pages, pending);
}

/** __vm_enough_memory for an mm of `totalVmPages` pages (total_vm): exec asks it for an mm no task has yet. */
export function enoughMemoryFor(k: Kernel, totalVmPages: number, pages: number, pending = 0): void {
  const mode = k.sysctl.overcommitMemory;
  if (mode === 1 || pages <= 0) return;
  if (mode === 0) {
    const limit = totalramPages(k) + totalSwapPages(k);
    if (pages > limit) throw new SyscallError('ENOMEM', `overcommit: ${sizeText(bytes(pages))} requested, RAM + swap is ${sizeText(bytes(limit))}`);
    return;
  }
  const limit = vmCommitLimit(k);
  const reserve = Math.min(Math.floor(totalVmPages / 32), userReservePages(k));
  const committed = committedPages(k) + pending + pages;
  if (committed < limit - reserve) return;
  const kept = reserve ? ` less ${sizeText(bytes(reserve))} kept back (min(total_vm/32, user_reserve_kbytes))` : '';
  throw new SyscallError('ENOMEM', `overcommit: ${sizeText(bytes(pages))} requested, Committed_AS would be ${sizeText(bytes(committed))}, CommitLimit is ${sizeText(bytes(limit))}${kept} (vm.overcommit_memory=2)`);
}

/**
 * security_vm_enough_memory_mm for a VM_ACCOUNT VMA about to grow by `pages` (mremap, and any other
 * caller that enlarges an accounted VMA itself). Throws SyscallError ENOMEM when refused; the charge
 * itself is the bigger VMA. `reason` names the call in nothing but the thrown message's prefix.
 */
export function accountPages(k: Kernel, task: Task, pages: number, reason = 'mremap'): void {
  try {
    vmEnoughMemory(k, task, pages);
  } catch (error) {
    if (error instanceof SyscallError) throw new SyscallError(error.errno, `${reason}: ${reasonText(error)}`);
    throw error;
  }
}

/**
 * accountable_mapping: a private writable mapping without VM_NORESERVE is charged (VM_ACCOUNT);
 * MAP_NORESERVE is honoured only when the policy is not strict (do_mmap).
 */
export function honoursNoreserve(k: Kernel, noreserve: boolean): boolean {
  return noreserve && k.sysctl.overcommitMemory !== 2;
}

/** shmem_acct_size for a new MAP_SHARED|MAP_ANONYMOUS object of `pages` pages (before it exists). */
export function chargeShmem(k: Kernel, task: Task, pages: number, noreserve: boolean): number {
  if (noreserve) return 0;
  vmEnoughMemory(k, task, pages);
  return pages;
}

/** Records the charge of a new shmem object (after chargeShmem agreed). */
export function recordShmemCharge(k: Kernel, inode: Inode, pages: number): void {
  if (!pages) return;
  inode.acctPages = pages;
  k.shmemCommitted += pages;
}

/** dup_mmap: each VM_ACCOUNT VMA of the parent is charged again for the child, one at a time. */
export function chargeFork(k: Kernel, parent: Task): void {
  let charged = 0;
  for (const vma of parent.mm.eachVma) {
    // dup_mmap skips a VM_DONTCOPY VMA before it charges.
    if (!(vma.flags & VM_ACCOUNT) || vma.flags & VM_DONTCOPY) continue;
    const pages = Number((vma.end - vma.start) >> 12n);
    vmEnoughMemory(k, parent, pages, charged);
    charged += pages;
  }
}

/** vma_count_remaining's test in do_mmap / do_brk_flags: a new VMA is refused once map_count is past the limit. */
export function mapCountRefusal(k: Kernel, task: Task): string | undefined {
  const max = k.sysctl.maxMapCount;
  return task.mm.vmaCount > max ? `vm.max_map_count: the process has ${task.mm.vmaCount} mappings, the limit is ${max}` : undefined;
}

/** split_vma's test: a split is refused once map_count has reached the limit. */
export function splitRefusal(k: Kernel, task: Task): string | undefined {
  const max = k.sysctl.maxMapCount;
  return task.mm.vmaCount >= max ? `vm.max_map_count: splitting a mapping would make ${task.mm.vmaCount + 1} mappings, the limit is ${max}` : undefined;
}

/** acct_stack_growth: RLIMIT_AS, RLIMIT_STACK and the overcommit charge of a stack growing down to `start`. */
export function stackGrowthRefusal(k: Kernel, task: Task, stack: Vma, start: bigint): string | undefined {
  const grow = (stack.start - (start & ~0xfffn)) >> 12n;
  if (grow <= 0n) return undefined;
  const expand = mayExpandVm(task, stack.flags, grow);
  if (expand) return expand;
  const limit = rlimit(task, 'stack');
  const size = stack.end - (start & ~0xfffn);
  if (limit !== undefined && size > limit) return `a stack of ${sizeText(size)} would exceed RLIMIT_STACK (${sizeText(limit)})`;
  try {
    vmEnoughMemory(k, task, Number(grow));
  } catch (error) {
    if (error instanceof SyscallError) return reasonText(error);
    throw error;
  }
  return undefined;
}

/**
 * The last mapping of shmem objects went (munmap, exit): shmem_evict_inode truncates them — their
 * pages leave the page cache and are freed, their swap entries are released — and shmem_unacct_size
 * gives their charge back.
 */
export function releaseUnmappedShmem(k: Kernel, inodeIds: ReadonlySet<number>): void {
  if (!inodeIds.size) return;
  const stillMapped = new Set<number>();
  for (const task of k.tasks.values()) for (const id of inodeIds) if (task.mm.mapsInode(id)) stillMapped.add(id);
  for (const id of inodeIds) {
    const inode = k.inodes.get(id);
    if (!inode?.shmem || stillMapped.has(id)) continue;
    k.shmemCommitted -= inode.acctPages ?? 0;
    inode.acctPages = 0;
    for (const pfn of inode.cache.values()) putFolio(k, pfn);
    inode.cache.clear();
    for (const slot of inode.swapped.values()) {
      k.swap.release(slot);
      freeSwapCacheIfUnused(k, slot);
    }
    inode.swapped.clear();
  }
}

/** The shmem objects behind VMAs in [start, end) (before they are unmapped). */
export function shmemInodesIn(k: Kernel, task: Task, start: bigint, end: bigint): Set<number> {
  const ids = new Set<number>();
  for (const vma of task.mm.vmasIn(start, end)) if (vma.inodeId !== undefined && k.inodes.get(vma.inodeId)?.shmem) ids.add(vma.inodeId);
  return ids;
}
