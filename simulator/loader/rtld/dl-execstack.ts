// An object that needs an executable stack, loaded into a process whose stack is not
// (elf/dl-load.c _dl_map_object_from_fd, sysdeps/unix/sysv/linux/dl-execstack.c, glibc 2.36).
import { PT_GNU_STACK } from '../../elf/names';
import { PF_R, PF_W, PF_X, type ProgramHeader } from '../../elf/program-headers';
import { PROT_EXEC, PROT_READ, PROT_WRITE } from '../../mm/vm-flags';
import { pageStart, PAGE_SIZE } from '../../mm/vma';
import { mprotect, type MmanContext } from './dl-mman';

/** DEFAULT_STACK_PERMS: what an object without PT_GNU_STACK asks for. */
const DEFAULT_STACK_PERMS = PF_R | PF_W | PF_X;

/** GL(dl_stack_flags) and __libc_stack_end: what the stack allows now, and where it ends. */
export interface StackState {
  flags: number;
  readonly end: bigint;
}

/** The p_flags of an object's PT_GNU_STACK (the last one), DEFAULT_STACK_PERMS without one. */
export function stackFlags(phdrs: readonly ProgramHeader[]): number {
  return phdrs.reduce((flags, p) => (p.type === PT_GNU_STACK ? p.flags : flags), DEFAULT_STACK_PERMS);
}

/**
 * _dl_make_stack_executable when `needed` has PF_X the stack lacks: mprotect of the page
 * holding __libc_stack_end with __stack_prot, whose PROT_GROWSDOWN extends the change down to
 * the start of the stack VMA (do_mprotect_pkey).
 */
export function makeStackExecutableIfNeeded(ctx: MmanContext, stack: StackState, needed: number): void {
  if (!(needed & ~stack.flags & PF_X)) return;
  const page = pageStart(stack.end);
  const vma = ctx.mm.vmaAt(page);
  if (!vma) return;
  mprotect(ctx, vma.start, page + PAGE_SIZE - vma.start, PROT_READ | PROT_WRITE | PROT_EXEC);
  stack.flags |= PF_X;
}
