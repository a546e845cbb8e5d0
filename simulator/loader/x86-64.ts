/** x86-64 (4-level paging, 64-bit task) constants that execve uses. See kernel-reference.md A.1. */
export const DEFAULT_MAP_WINDOW = (1n << 47n) - 0x1000n;
export const TASK_SIZE = DEFAULT_MAP_WINDOW;
export const STACK_TOP = DEFAULT_MAP_WINDOW;
export const STACK_TOP_MAX = TASK_SIZE;
/** ELF_ET_DYN_BASE = DEFAULT_MAP_WINDOW / 3 * 2 (asm/elf.h). */
export const ELF_ET_DYN_BASE = (DEFAULT_MAP_WINDOW / 3n) * 2n;
/** STACK_RND_MASK in pages (asm/elf.h __STACK_RND_MASK(0)). */
export const STACK_RND_MASK = 0x3fffffn;
export const MMAP64_RND_BITS = 28n;
/** setup_arg_pages' extra room below the arguments (fs/exec.c). */
export const STACK_EXPAND = 0x20000n;
export const VSYSCALL_ADDR = 0xffffffffff600000n;
export const EM_X86_64 = 62;
/** vdso image size (vdso64) and the data pages in front of it (6.15+ generic datastore). */
export const VDSO_TEXT_SIZE = 0x2000n;
export const VVAR_SIZE = 0x4000n;
export const VVAR_VCLOCK_SIZE = 0x2000n;
/** brk randomization range for 64-bit tasks (arch_randomize_brk, 6.9+). */
export const BRK_RANDOM_RANGE = 1n << 30n;
/** _STK_LIM: the default RLIMIT_STACK (8 MiB). */
export const DEFAULT_STACK_RLIMIT = 8n << 20n;
export const RLIM_INFINITY = (1n << 64n) - 1n;
/** MAX_ARG_STRLEN: one argument or environment string at most (32 pages). */
export const MAX_ARG_STRLEN = 0x20000n;
export const ARG_MAX = 0x20000n;
export const PMD_SIZE = 0x200000n;
