/** VMA flags with the kernel's bit values (include/linux/mm.h). */
export const VM_READ = 0x1;
export const VM_WRITE = 0x2;
export const VM_EXEC = 0x4;
export const VM_SHARED = 0x8;
export const VM_MAYREAD = 0x10;
export const VM_MAYWRITE = 0x20;
export const VM_MAYEXEC = 0x40;
export const VM_MAYSHARE = 0x80;
export const VM_GROWSDOWN = 0x100;
export const VM_PFNMAP = 0x400;
export const VM_LOCKED = 0x2000;
export const VM_IO = 0x4000;
/** MADV_SEQUENTIAL: VmFlags `sr`. */
export const VM_SEQ_READ = 0x8000;
/** MADV_RANDOM: no readahead on a read fault; VmFlags `rr`. */
export const VM_RAND_READ = 0x10000;

/**
 * vma_has_recency: a VM_SEQ_READ or VM_RAND_READ mapping's accessed bits say nothing of reuse, so
 * reclaim's folio_referenced leaves its PTEs out, and unmapping one does not mark the folio accessed.
 */
export const hasRecency = (flags: number): boolean => !(flags & (VM_SEQ_READ | VM_RAND_READ));
/** MADV_DONTFORK: fork leaves the VMA out of the child (VmFlags dc). */
export const VM_DONTCOPY = 0x20000;
export const VM_DONTEXPAND = 0x40000;
export const VM_ACCOUNT = 0x100000;
/** MAP_NORESERVE honoured (not under vm.overcommit_memory=2): not charged; VmFlags `nr`. */
export const VM_NORESERVE = 0x200000;
export const VM_DONTDUMP = 0x4000000;
export const VM_SOFTDIRTY = 0x8000000;
export const VM_MIXEDMAP = 0x10000000;
/** VM_SPECIAL: mappings the kernel's own code fills (no merging, mlock or THP for them). */
export const VM_SPECIAL = VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP;
/** MADV_HUGEPAGE: VmFlags `hg`. */
export const VM_HUGEPAGE = 0x20000000;
/** MADV_NOHUGEPAGE, and MAP_STACK since 6.7 (calc_vm_flag_bits): VmFlags `nh`. */
export const VM_NOHUGEPAGE = 0x40000000;

/** VM_DATA_DEFAULT_FLAGS for a 64-bit x86 task without READ_IMPLIES_EXEC. */
export const VM_DATA_DEFAULT_FLAGS = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
/** VM_STACK_FLAGS = VM_GROWSDOWN | VM_STACK_DEFAULT_FLAGS | VM_ACCOUNT. */
export const VM_STACK_FLAGS = VM_GROWSDOWN | VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT;

export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;

/** calc_vm_prot_bits: PROT_* to VM_READ/WRITE/EXEC. */
export function protToVmFlags(prot: number): number {
  return (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0) | (prot & PROT_EXEC ? VM_EXEC : 0);
}

/** The four permission characters of a maps line (show_vma_header_prefix). */
export function permissionString(flags: number): string {
  return (
    (flags & VM_READ ? 'r' : '-') +
    (flags & VM_WRITE ? 'w' : '-') +
    (flags & VM_EXEC ? 'x' : '-') +
    (flags & VM_MAYSHARE ? 's' : 'p')
  );
}
