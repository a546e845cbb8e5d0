import { MMAP_MIN_ADDR, type MmStruct } from '../mm/mm-struct';
import { expandDownwards } from '../mm/stack';
import { VM_EXEC, VM_STACK_FLAGS } from '../mm/vm-flags';
import { PAGE_MASK, PAGE_SHIFT, pageAlign, pageStart, type Vma } from '../mm/vma';
import { ExecError } from './exec-error';
import type { ExecutableStack } from './image';
import type { Randomization } from './randomization';
import { ARG_MAX, DEFAULT_STACK_RLIMIT, MAX_ARG_STRLEN, STACK_EXPAND, STACK_RND_MASK, STACK_TOP, STACK_TOP_MAX } from './x86-64';

const utf8 = new TextEncoder();
const POINTER = 8n;

/** The strings execve copies to the top of the new stack. */
export interface ArgStrings {
  readonly filename: string;
  readonly argv: readonly string[];
  readonly envp: readonly string[];
}

/** Sizes of the copied strings, after bprm_stack_limits and copy_strings' checks (fs/exec.c). */
export interface CopiedStrings {
  readonly argc: number;
  readonly envc: number;
  readonly argBytes: bigint;
  readonly envBytes: bigint;
  /** All strings including the filename: what lies between bprm->p and the top. */
  readonly totalBytes: bigint;
}

export function copyArgStrings(args: ArgStrings, stackRlimit: bigint): CopiedStrings {
  const size = (s: string) => BigInt(utf8.encode(s).length + 1);
  const argc = Math.max(args.argv.length, 1);
  const envc = args.envp.length;
  // bprm_stack_limits
  let limit = (DEFAULT_STACK_RLIMIT / 4n) * 3n;
  if (stackRlimit / 4n < limit) limit = stackRlimit / 4n;
  if (limit < ARG_MAX) limit = ARG_MAX;
  const pointers = BigInt(argc + envc) * POINTER;
  if (limit <= pointers) throw new ExecError('E2BIG', `${argc + envc} argument and environment pointers exceed the limit of ${limit} bytes`);
  limit -= pointers;
  const check = (s: string, what: string) => {
    const n = size(s);
    if (n > MAX_ARG_STRLEN) throw new ExecError('E2BIG', `${what} is ${n} bytes, longer than MAX_ARG_STRLEN (131072)`);
    return n;
  };
  const filenameBytes = check(args.filename, 'the file name');
  const envBytes = args.envp.reduce((sum, e, i) => sum + check(e, `environment string ${i}`), 0n);
  // Since 5.18 an empty argv gets one empty string so that argv[0] exists.
  const argv = args.argv.length ? args.argv : [''];
  const argBytes = argv.reduce((sum, a, i) => sum + check(a, `argument ${i}`), 0n);
  const totalBytes = filenameBytes + envBytes + argBytes;
  if (totalBytes > limit) throw new ExecError('E2BIG', `arguments and environment take ${totalBytes} bytes, over the limit of ${limit}`);
  return { argc, envc, argBytes, envBytes, totalBytes };
}

/** randomize_stack_top (mm/util.c). */
export function randomizeStackTop(random: Randomization, stackTop: bigint): bigint {
  let rnd = 0n;
  if (random.pfRandomize) rnd = (random.nextLong() & STACK_RND_MASK) << PAGE_SHIFT;
  return pageAlign(stackTop) - rnd;
}

/** arch_align_stack (arch/x86/kernel/process.c). */
export function archAlignStack(random: Randomization, sp: bigint): bigint {
  if (random.pfRandomize) sp -= random.below(8192n);
  return sp & ~0xfn;
}

export interface ArgPages {
  readonly stack: Vma;
  /** bprm->p after the shift: the lowest copied string (mm->arg_start). */
  readonly p: bigint;
}

/**
 * bprm_mm_init + setup_arg_pages (fs/exec.c): the temporary stack VMA at
 * STACK_TOP_MAX holds the strings; it is moved to the (randomized) stack top,
 * given its flags, and expanded by 128 KiB (bounded by RLIMIT_STACK).
 */
export function setupArgPages(mm: MmStruct, random: Randomization, strings: CopiedStrings, exec: ExecutableStack, stackRlimit: bigint, pinnedTop?: bigint): ArgPages {
  const vmEnd = STACK_TOP_MAX;
  const pInitial = vmEnd - POINTER - strings.totalBytes;
  const vmStart = pageStart(pInitial);
  // A pinned top (set layout stack_top) stands for what randomize_stack_top and arch_align_stack chose.
  let stackTop = pinnedTop ?? randomizeStackTop(random, STACK_TOP);
  if (pinnedTop === undefined) stackTop = pageAlign(archAlignStack(random, stackTop));
  if (stackTop < MMAP_MIN_ADDR) throw new ExecError('ENOMEM', 'stack top below mmap_min_addr');
  const shift = vmEnd - stackTop;
  const p = pInitial - shift;
  let flags = VM_STACK_FLAGS;
  if (exec === 'enable') flags |= VM_EXEC;
  else if (exec === 'disable') flags &= ~VM_EXEC;
  const stackSize = vmEnd - vmStart;
  const rlimit = stackRlimit & PAGE_MASK;
  const expand = rlimit < stackSize + STACK_EXPAND ? rlimit : stackSize + STACK_EXPAND;
  const end = stackTop;
  let start = vmStart - shift;
  if (end - expand < start) start = end - expand;
  const stack: Vma = { start, end, flags, pgoff: start >> PAGE_SHIFT, origin: { kind: 'stack', description: 'the initial stack: argument and environment strings, then 128 KiB of room (setup_arg_pages)' } };
  mm.mapRegion(stack);
  return { stack, p };
}

/** Entries create_elf_tables puts in the auxiliary vector on x86-64 6.x, AT_NULL included. */
const AUXV_ENTRIES = 23n;

/**
 * create_elf_tables (fs/binfmt_elf.c): the platform string, AT_RANDOM bytes,
 * auxv and the argv/envp arrays go below the strings; the stack VMA is
 * extended if they reach below it (find_extend_vma_locked). Returns the final sp.
 */
export function createElfTables(mm: MmStruct, random: Randomization, argPages: ArgPages, strings: CopiedStrings, stackRlimit: bigint): bigint {
  let p = archAlignStack(random, argPages.p);
  p -= BigInt('x86_64'.length + 1);
  p -= 16n;
  const sp = p - AUXV_ENTRIES * 2n * POINTER;
  const items = BigInt(strings.argc + 1 + strings.envc + 1 + 1);
  const finalSp = (sp - items * POINTER) & ~15n;
  mm.layout.argStart = argPages.p;
  mm.layout.argEnd = argPages.p + strings.argBytes;
  mm.layout.envStart = mm.layout.argEnd;
  mm.layout.envEnd = mm.layout.envStart + strings.envBytes;
  mm.layout.startStack = finalSp;
  const stack = mm.findVma(argPages.stack.start) ?? argPages.stack;
  if (finalSp < stack.start) {
    const grown = expandDownwards(mm, stack, finalSp, stackRlimit);
    if (typeof grown === 'string') throw new ExecError('EFAULT', grown);
  }
  return finalSp;
}

