import { MMAP_MIN_ADDR, STACK_GUARD_GAP, type MmStruct } from './mm-struct';
import { VM_EXEC, VM_GROWSDOWN, VM_READ, VM_WRITE } from './vm-flags';
import { PAGE_MASK, PAGE_SHIFT, type Vma } from './vma';

/**
 * expand_downwards (mm/mmap.c): grow a VM_GROWSDOWN VMA down to cover addr.
 * Returns the grown VMA, or why the kernel refuses: below mmap_min_addr,
 * within stack_guard_gap of an accessible VMA below, or past RLIMIT_STACK.
 */
export function expandDownwards(mm: MmStruct, stack: Vma, addr: bigint, stackRlimit: bigint): Vma | string {
  const start = addr & PAGE_MASK;
  if (start < MMAP_MIN_ADDR) return 'the stack would grow below mmap_min_addr';
  const prev = mm.previous(stack);
  if (prev && !(prev.flags & VM_GROWSDOWN) && prev.flags & (VM_READ | VM_WRITE | VM_EXEC) && start - prev.end < STACK_GUARD_GAP) {
    return `the stack may not grow within ${STACK_GUARD_GAP >> 10n} KiB (stack_guard_gap) of the VMA ending at 0x${prev.end.toString(16)}`;
  }
  if (stack.end - start > stackRlimit) return `a stack of ${stack.end - start} bytes would exceed RLIMIT_STACK (${stackRlimit} bytes)`;
  const grown: Vma = { ...stack, start, pgoff: start >> PAGE_SHIFT };
  mm.replaceVma(stack, grown);
  return grown;
}
