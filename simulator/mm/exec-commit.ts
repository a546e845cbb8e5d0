// Overcommit during execve: the new mm's accountable mappings are charged one by one, as the kernel
// and then ld.so make them, and where the policy refuses decides what the caller sees.
//
//   1. bprm_mm_init (fs/exec.c): the stack's first page, a VM_STACK_FLAGS VMA (VM_ACCOUNT), charged by
//      insert_vm_struct while the old mm still exists. Refused: execve returns ENOMEM, nothing changes.
//   2. After begin_new_exec (the point of no return; the old mm is gone): setup_arg_pages grows the
//      stack (acct_stack_growth), load_elf_binary maps the program's segments and bss, then
//      load_elf_interp ld.so's. Refused: the exec fails past the point of no return and the kernel
//      kills the process with SIGSEGV (bprm_execve: force_fatal_sig).
//   3. ld.so, in the process: each library's writable segment (MAP_FIXED over the read-only
//      reservation) and zero-fill pages, and its own allocations. Refused: ld.so prints why and exits 127.
import { enoughMemoryFor } from './commit';
import type { Kernel } from './kernel';
import type { MmStruct } from './mm-struct';
import { SyscallError } from './syscalls';
import { VM_ACCOUNT } from './vm-flags';
import { vmaPageCount, type Vma } from './vma';

export type ExecCommitRefusal =
  | { readonly stage: 'bprm'; readonly error: SyscallError }
  | { readonly stage: 'kernel'; readonly error: SyscallError; readonly what: string }
  | { readonly stage: 'ld.so'; readonly error: SyscallError; readonly message: string };

/** The VMAs the kernel maps during execve, by origin, in the order it maps them: the program's, ld.so's, the vDSO. */
const ORDER: Record<string, number> = { segment: 0, bss: 0, heap: 0, 'interpreter-segment': 1, 'interpreter-bss': 1, vdso: 2, vsyscall: 2 };
const KERNEL_ORIGINS: ReadonlySet<string> = new Set(Object.keys(ORDER));

/**
 * What ld.so says when a mapping of its stage is refused (_dl_map_segments's error string, through
 * _dl_signal_error with no errno): the object by its l_name, `nameOf` of the file's path.
 */
function ldsoMessage(program: string, vma: Vma, below: Vma | undefined, nameOf: (path: string) => string): string {
  const file = vma.file ?? below?.file;
  const what = vma.file ? 'failed to map segment from shared object' : file ? 'cannot map zero-fill pages' : 'cannot allocate memory';
  return `${program}: error while loading shared libraries: ${file ? nameOf(file.path) : program}: ${what}`;
}

/**
 * Where the overcommit policy refuses the exec of `mm` (the image at its entry point), or undefined.
 * `oldAccounted` is the exec'ing process's own charge (pages), released when its old mm goes;
 * `nameOf` gives a mapped file's l_name (the path ld.so opened it by) for ld.so's message.
 */
export function execCommitRefusal(k: Kernel, mm: MmStruct, program: string, oldAccounted: number, nameOf: (path: string) => string = (path) => path): ExecCommitRefusal | undefined {
  const vmas = mm.vmaList;
  const stack = vmas.find((v) => v.origin.kind === 'stack');
  let pending = 0;
  let totalVm = 0;
  const charge = (vma: Vma, pages = vmaPageCount(vma)): SyscallError | undefined => {
    try {
      if (vma.flags & VM_ACCOUNT) enoughMemoryFor(k, totalVm, pages, pending);
    } catch (error) {
      if (error instanceof SyscallError) return error;
      throw error;
    }
    if (vma.flags & VM_ACCOUNT) pending += pages;
    totalVm += pages;
    return undefined;
  };
  if (stack) {
    const first = charge(stack, 1);
    if (first) return { stage: 'bprm', error: first };
  }
  // The old mm goes at the point of no return: its charge with it.
  pending -= oldAccounted;
  if (stack) {
    const grown = charge(stack, vmaPageCount(stack) - 1);
    if (grown) return { stage: 'kernel', error: grown, what: 'the stack (setup_arg_pages)' };
  }
  const kernel = vmas.filter((v) => KERNEL_ORIGINS.has(v.origin.kind)).sort((a, b) => (ORDER[a.origin.kind] ?? 0) - (ORDER[b.origin.kind] ?? 0));
  for (const vma of kernel) {
    const refused = charge(vma);
    if (refused) return { stage: 'kernel', error: refused, what: vma.origin.description };
  }
  // ld.so maps top-down: the objects it loads first are the highest.
  const user = vmas.filter((v) => v !== stack && !KERNEL_ORIGINS.has(v.origin.kind));
  for (let i = user.length - 1; i >= 0; i--) {
    const vma = user[i]!;
    const refused = charge(vma);
    if (refused) return { stage: 'ld.so', error: refused, message: ldsoMessage(program, vma, vmas[vmas.indexOf(vma) - 1], nameOf) };
  }
  return undefined;
}
