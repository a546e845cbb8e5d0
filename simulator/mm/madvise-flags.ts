// madvise calls that change VMA flags (madvise_update_vma): MADV_HUGEPAGE / MADV_NOHUGEPAGE,
// MADV_DONTFORK / MADV_DOFORK, MADV_RANDOM / MADV_SEQUENTIAL / MADV_NORMAL, each VMA split and merged as mprotect does.
import { settleHugePmds } from './huge-memory';
import type { Kernel, Task } from './kernel';
import { specialSplitRefusal } from './limits';
import { SyscallError } from './syscalls';
import { VM_DONTCOPY, VM_HUGEPAGE, VM_IO, VM_NOHUGEPAGE, VM_RAND_READ, VM_SEQ_READ } from './vm-flags';
import type { Vma } from './vma';

/** MADV_HUGEPAGE / MADV_NOHUGEPAGE (hugepage_madvise): set one flag, clear the other, VMA by VMA (split and merge as mprotect does). */
export function hugepageMadvise(k: Kernel, task: Task, start: bigint, end: bigint, advice: 'hugepage' | 'nohugepage', line: number): void {
  try {
    adviseVmaFlags(task, start, end, (flags) => (advice === 'hugepage' ? (flags | VM_HUGEPAGE) & ~VM_NOHUGEPAGE : (flags | VM_NOHUGEPAGE) & ~VM_HUGEPAGE), line);
  } finally {
    settleHugePmds(k);
  }
}

/** MADV_DONTFORK / MADV_DOFORK (madvise_behavior): VM_DONTCOPY set or cleared; MADV_DOFORK on a VM_IO mapping is EINVAL. */
export function forkMadvise(task: Task, start: bigint, end: bigint, advice: 'dontfork' | 'dofork', line: number): void {
  if (advice === 'dofork') for (const vma of task.mm.vmasIn(start, end)) if (vma.flags & VM_IO) throw new SyscallError('EINVAL', `MADV_DOFORK on the VM_IO mapping 0x${vma.start.toString(16)}-0x${vma.end.toString(16)}`);
  adviseVmaFlags(task, start, end, (flags) => (advice === 'dontfork' ? flags | VM_DONTCOPY : flags & ~VM_DONTCOPY), line);
}

/** madvise_walk_vmas for a flag change: each VMA's flags updated over [start, end), split and merged as mprotect does. */
function adviseVmaFlags(task: Task, start: bigint, end: bigint, update: (flags: number) => number, line: number): void {
  let hole: bigint | undefined;
  for (let addr = start; addr < end; ) {
    const vma = task.mm.findVma(addr);
    if (!vma || vma.start >= end) {
      hole ??= addr;
      break;
    }
    if (vma.start > addr) hole ??= addr;
    const from = vma.start > addr ? vma.start : addr;
    const to = vma.end < end ? vma.end : end;
    const flags = update(vma.flags);
    if (flags !== vma.flags) {
      // madvise changes the flags of special mappings too, and splitting one fails (EINVAL).
      specialSplitRefusal(task, from, to);
      task.mm.splitAt(from);
      task.mm.splitAt(to);
      task.mm.mergeAround(task.mm.updateVma(task.mm.vmaAt(from) as Vma, { flags, line }));
    }
    addr = to;
  }
  // madvise_walk_vmas: the mapped parts are advised, and the call fails with ENOMEM for the hole.
  if (hole !== undefined) throw new SyscallError('ENOMEM', `[0x${start.toString(16)}, 0x${end.toString(16)}) is not entirely mapped: nothing at 0x${hole.toString(16)}`);
}

/**
 * MADV_RANDOM / MADV_SEQUENTIAL / MADV_NORMAL (madvise_behavior): VM_RAND_READ or VM_SEQ_READ set
 * (the other cleared), or both cleared. A read fault in a VM_RAND_READ mapping reads the faulting page
 * alone, with no read-around and no asynchronous readahead after it; in a VM_SEQ_READ mapping it reads
 * ahead from the page (do_sync_mmap_readahead, do_async_mmap_readahead).
 */
export function readMadvise(task: Task, start: bigint, end: bigint, advice: 'random' | 'sequential' | 'normal', line: number): void {
  const set = advice === 'random' ? VM_RAND_READ : advice === 'sequential' ? VM_SEQ_READ : 0;
  adviseVmaFlags(task, start, end, (flags) => (flags & ~(VM_RAND_READ | VM_SEQ_READ)) | set, line);
}
