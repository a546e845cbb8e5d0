// What mmap, munmap, mprotect and brk refuse before they change anything: vm.max_map_count,
// TASK_SIZE, RLIMIT_AS/RLIMIT_DATA (may_expand_vm) and the overcommit charge (commit.ts).
import { chargeShmem, mapCountRefusal, splitRefusal, vmEnoughMemory } from './commit';
import type { Kernel, Task } from './kernel';
import { startGap } from './mm-struct';
import { dataRlimitRefusal, mayExpandVm, sizeText } from './rlimit';
import { SyscallError } from './syscalls';
import { PROT_WRITE, VM_ACCOUNT, VM_DATA_DEFAULT_FLAGS, VM_NORESERVE, VM_SHARED, VM_WRITE } from './vm-flags';
import type { Vma } from './vma';

const hex = (n: bigint) => `0x${n.toString(16)}`;
const pages = (bytes: bigint) => bytes >> 12n;

/**
 * do_mmap and mmap_region's refusals, in their order: too many mappings, a length beyond TASK_SIZE,
 * RLIMIT_AS/RLIMIT_DATA, then the charge — a private writable mapping (accountable_mapping) or a new
 * shmem object (shmem_acct_size) — unless MAP_NORESERVE is honoured. Returns the shmem object's charge.
 */
export function mmapLimits(k: Kernel, task: Task, len: bigint, prot: number, shared: boolean, shmemObject: boolean, noreserve: boolean): number {
  const tooMany = mapCountRefusal(k, task);
  if (tooMany) throw new SyscallError('ENOMEM', tooMany);
  const taskSize = task.mm.layout.taskSize;
  if (len > taskSize) throw new SyscallError('ENOMEM', `${sizeText(len)} is more than the address space's TASK_SIZE (${hex(taskSize)})`);
  const flags = (prot & PROT_WRITE ? VM_WRITE : 0) | (shared ? VM_SHARED : 0);
  const expand = mayExpandVm(task, flags, pages(len));
  if (expand) throw new SyscallError('ENOMEM', expand);
  if (shmemObject) return chargeShmem(k, task, Number(pages(len)), noreserve);
  if (!shared && prot & PROT_WRITE && !noreserve) vmEnoughMemory(k, task, Number(pages(len)));
  return 0;
}

/** The VM flags a new mapping gets from MAP_NORESERVE and the charge: VM_ACCOUNT or VM_NORESERVE. */
export function accountFlags(flags: number, noreserve: boolean): number {
  if (noreserve) return (flags & ~VM_ACCOUNT) | VM_NORESERVE;
  return flags;
}

/**
 * vms_gather_munmap_vmas: unmapping the middle of a VMA splits it in two, refused once map_count has
 * reached vm.max_map_count (the split at the end alone may pass it by one). The VMA at the start is
 * split before the one at the end: when the end's split is refused (a special mapping), the munmap
 * fails with the first VMA split all the same (checked on this kernel).
 */
export function munmapLimits(k: Kernel, task: Task, start: bigint, end: bigint): void {
  const first = task.mm.findVma(start);
  if (first && first.start < start && end < first.end) {
    const refused = splitRefusal(k, task);
    if (refused) throw new SyscallError('ENOMEM', refused);
  }
  const atStart = specialSplitAt(task, start);
  if (atStart) throw atStart;
  const atEnd = specialSplitAt(task, end);
  if (atEnd) {
    task.mm.splitAt(start);
    throw atEnd;
  }
}

/**
 * __split_vma → special_mapping_split: [vvar], [vvar_vclock] and [vdso] may not be split, so a
 * munmap, mprotect or madvise of part of one fails with EINVAL (checked on this kernel): the splits
 * a change of [start, end) needs, at either end, are refused before anything changes.
 */
export function specialSplitRefusal(task: Task, start: bigint, end: bigint): void {
  const refused = specialSplitAt(task, start) ?? specialSplitAt(task, end);
  if (refused) throw refused;
}

/** The refusal of a split at `at` inside a special mapping, if `at` cuts one. */
function specialSplitAt(task: Task, at: bigint): SyscallError | undefined {
  const v = task.mm.findVma(at);
  if (v?.special && v.start < at && at < v.end) return new SyscallError('EINVAL', `the special mapping ${v.special} (${hex(v.start)}-${hex(v.end)}) cannot be split at ${hex(at)}`);
  return undefined;
}

/**
 * mprotect_fixup for [addr, to) of `v` becoming `flags`: RLIMIT_DATA when the range turns into data,
 * then the charge when a private mapping without VM_ACCOUNT/VM_NORESERVE becomes writable.
 * Returns the flags with VM_ACCOUNT added when charged.
 */
export function mprotectCharge(k: Kernel, task: Task, v: Vma, addr: bigint, to: bigint, flags: number): number {
  if (!(flags & VM_WRITE)) return flags;
  const n = pages(to - addr);
  const refused = mayExpandVm(task, flags, n);
  if (refused && !mayExpandVm(task, v.flags, n)) throw new SyscallError('ENOMEM', refused);
  if (v.flags & (VM_ACCOUNT | VM_WRITE | VM_SHARED | VM_NORESERVE)) return flags;
  vmEnoughMemory(k, task, Number(n));
  return flags | VM_ACCOUNT;
}

/**
 * vma_modify → split_vma: each split mprotect needs is refused once map_count has reached
 * vm.max_map_count. A range at one end of the VMA that merges with the neighbour there needs none.
 */
export function mprotectSplitLimit(k: Kernel, task: Task, v: Vma, addr: bigint, to: bigint, flags: number): void {
  let splits = (v.start < addr ? 1 : 0) + (to < v.end ? 1 : 0);
  if (splits === 1) {
    const neighbour = v.start < addr ? task.mm.findVma(v.end) : task.mm.previous(v);
    const touches = neighbour && (v.start < addr ? neighbour.start === v.end : neighbour.end === v.start);
    if (touches && neighbour.flags === flags && neighbour.inodeId === v.inodeId && neighbour.file === v.file && neighbour.anonVma === v.anonVma) splits = 0;
  }
  for (let i = 0; i < splits; i++) {
    if (task.mm.vmaCount + i >= k.sysctl.maxMapCount) throw new SyscallError('ENOMEM', splitRefusal(k, task) ?? `vm.max_map_count: a split would make ${task.mm.vmaCount + i + 1} mappings, the limit is ${k.sysctl.maxMapCount}`);
  }
}

/** SYSCALL_DEFINE1(brk) returns the old break when it refuses: every brk failure says where the break stays. */
function brkRefused(task: Task, check: () => void): void {
  try {
    check();
  } catch (error) {
    if (!(error instanceof SyscallError)) throw error;
    const reason = (error as { reason?: unknown }).reason;
    const text = typeof reason === 'string' ? reason : error.message.replace(/ \([A-Z]+\)$/, '');
    throw new SyscallError(error.errno, `${text}; the break stays at ${hex(task.mm.layout.brk)}`);
  }
}

/** brk's check_data_rlimit, before anything: the heap and the data segment within RLIMIT_DATA. */
export function brkDataLimit(task: Task, newBrk: bigint): void {
  const refused = dataRlimitRefusal(task, newBrk);
  if (refused) throw new SyscallError('ENOMEM', `${refused}; the break stays at ${hex(task.mm.layout.brk)}`);
}

/**
 * brk growing the heap from oldEnd to newEnd: check_brk_limits (within TASK_SIZE), a page and the
 * stack guard gap clear below the next VMA, then do_brk_flags' may_expand_vm, map_count and charge.
 */
export function brkGrowLimits(k: Kernel, task: Task, oldEnd: bigint, newEnd: bigint): void {
  brkRefused(task, () => {
    const taskSize = task.mm.layout.taskSize;
    if (newEnd > taskSize || newEnd < oldEnd) throw new SyscallError('ENOMEM', `the heap would end at ${hex(newEnd)}, beyond TASK_SIZE (${hex(taskSize)})`);
    const next = task.mm.findVma(oldEnd);
    if (next && newEnd + 0x1000n > startGap(next)) throw new SyscallError('ENOMEM', `the heap would run into the mapping at ${hex(next.start)}`);
    const n = pages(newEnd - oldEnd);
    const expand = mayExpandVm(task, VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT, n);
    if (expand) throw new SyscallError('ENOMEM', expand);
    const tooMany = mapCountRefusal(k, task);
    if (tooMany) throw new SyscallError('ENOMEM', tooMany);
    vmEnoughMemory(k, task, Number(n));
  });
}
