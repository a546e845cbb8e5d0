// Threads as glibc 2.36's nptl makes them (nptl/allocatestack.c, nptl/nptl-stack.c, nptl/pthread_create.c):
// a stack of their own below a guard page, written at the top when the thread starts, partly
// freed at exit (advise_stack_range) and kept in glibc's stack cache for the next thread.
import type { Kernel, Task } from './kernel';
import { doMadvise } from './madvise';
import { userAccess, type FaultRecord } from './fault';
import { doBrk, doMprotect, doMunmap, SyscallError } from './syscalls';
import { PROT_READ, PROT_WRITE, VM_MAYEXEC, VM_MAYREAD, VM_MAYWRITE, VM_NOHUGEPAGE } from './vm-flags';
import { pageAlign, PAGE_SHIFT, type Vma } from './vma';

/** PTHREAD_STACK_MIN (sysdeps/unix/sysv/linux/x86_64: 16384): pthread_attr_setstacksize refuses less. */
export const PTHREAD_STACK_MIN = 16384n;
/** stack_cache_maxsize (nptl-stack.c): 40 MiB of cached stacks at most. */
export const STACK_CACHE_MAXSIZE = 40n << 20n;
/** ARCH_STACK_DEFAULT_SIZE (x86_64 pthreaddef.h): the default when RLIMIT_STACK is unlimited. */
export const ARCH_STACK_DEFAULT_SIZE = 2n << 20n;
/** The reference machine's RLIMIT_STACK (ulimit -s 8192). */
export const DEFAULT_RLIMIT_STACK = 8n << 20n;
const PAGE = 4096n;
/** __static_tls_align_m1 + 1: allocate_stack rounds the size down to it (64 for libc's TLS on x86-64). */
const STATIC_TLS_ALIGN = 64n;
/** attr->guardsize: one page by default (__pthread_attr_init). */
const GUARD_SIZE = PAGE;
/**
 * How far below the stack block's end a new thread writes before it first sleeps: struct pthread,
 * the static TLS and start_thread's frames. Measured (mincore of a detached thread that sleeps):
 * the block's last two pages, the thread function's frame at end - 0x1141.
 */
const STARTUP_DEPTH = 0x1400n;
/** The stack pointer in start_thread when it calls advise_stack_range, below the block's end (end - 0x1141 measured). */
const EXIT_SP_DEPTH = 0x1141n;
/** malloc's first sbrk (sysmalloc: request + top_pad 128 KiB + MINSIZE, page-aligned) when the DTV is calloc'd. */
const FIRST_HEAP = 0x21000n;

/** struct pthread's stackblock, stackblock_size and guardsize: [mem, mem + size) with the guard at mem. */
export interface ThreadStack {
  readonly mem: bigint;
  readonly size: bigint;
  readonly guard: bigint;
}

/** A thread the scenario created with `T = thread P`. */
export interface Thread {
  readonly name: string;
  readonly tid: number;
  readonly stack: ThreadStack;
  readonly line: number;
  /** The line of `exit T`. */
  readonly exitedLine?: number;
}

/** A process's threads and glibc's stack cache (GL(dl_stack_cache), newest first). Immutable: copies of a state share it. */
export interface ThreadGroup {
  readonly threads: readonly Thread[];
  readonly cache: readonly ThreadStack[];
}

const EMPTY: ThreadGroup = { threads: [], cache: [] };

/** The rw part above the guard: what `stack` names for a thread. */
export function usableStack(stack: ThreadStack): { start: bigint; end: bigint } {
  return { start: stack.mem + stack.guard, end: pageAlign(stack.mem + stack.size) };
}

/** Threads: in /proc/PID/status (get_nr_threads): the main thread and the live threads. */
export function threadCount(task: Task): number {
  return 1 + (task.threads?.threads.filter((t) => t.exitedLine === undefined).length ?? 0);
}

/** __pthread_initialize_minimal: the default stack size from RLIMIT_STACK, page-aligned. */
export function defaultStackSize(rlimitStack: bigint | undefined): bigint {
  const limit = rlimitStack === undefined ? ARCH_STACK_DEFAULT_SIZE : rlimitStack < PTHREAD_STACK_MIN ? PTHREAD_STACK_MIN : rlimitStack;
  return pageAlign(limit);
}

/** get_cached_stack: the smallest free cached stack of at least `size` bytes (an exact one at once), not over 4 times it. */
function getCachedStack(cache: readonly ThreadStack[], size: bigint): ThreadStack | undefined {
  let result: ThreadStack | undefined;
  for (const s of cache) {
    if (s.size < size) continue;
    if (s.size === size) return s;
    if (!result || result.size > s.size) result = s;
  }
  return result && result.size <= 4n * size ? result : undefined;
}

export interface ThreadCreation {
  readonly thread: Thread;
  readonly reused: boolean;
  readonly faults: FaultRecord[];
}

/**
 * pthread_create of a detached thread (allocate_stack, create_thread): a cached stack of the size if
 * there is one, else mmap(size + guard, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK) and mprotect of
 * all but the guard to rw-; the DTV is calloc'd (the first malloc makes the heap); the thread writes the top.
 */
export function pthreadCreate(k: Kernel, task: Task, name: string, stackSize: bigint | undefined, rlimitStack: bigint | undefined, line: number): ThreadCreation {
  if (stackSize !== undefined && stackSize < PTHREAD_STACK_MIN) {
    throw new SyscallError('EINVAL', `pthread_attr_setstacksize: ${stackSize} bytes is below PTHREAD_STACK_MIN (${PTHREAD_STACK_MIN})`);
  }
  const group = task.threads ?? EMPTY;
  // allocate_stack: the size rounded down to the static TLS alignment, plus the guard.
  const size = ((stackSize ?? defaultStackSize(rlimitStack)) & ~(STATIC_TLS_ALIGN - 1n)) + GUARD_SIZE;
  const cached = getCachedStack(group.cache, size);
  let stack: ThreadStack;
  if (cached) {
    stack = cached;
    task.threads = { ...group, cache: group.cache.filter((s) => s !== cached) };
  } else {
    stack = { mem: mapStack(task, pageAlign(size), name, line), size, guard: GUARD_SIZE };
    // setup_stack_prot: everything above the guard becomes rw-.
    doMprotect(k, task, stack.mem + GUARD_SIZE, stack.mem + size, PROT_READ | PROT_WRITE, line);
  }
  const faults: FaultRecord[] = [];
  // _dl_allocate_tls → allocate_dtv: calloc; the first malloc of the process creates the heap and writes its first chunk.
  // With a malloc of the program's own (__rtld_calloc finds it), glibc makes no heap.
  if (!cached && !task.mallocInterposer && task.mm.layout.brk === task.mm.layout.startBrk) {
    const heap = task.mm.layout.startBrk;
    doBrk(k, task, FIRST_HEAP, line);
    faults.push(userAccess(k, task, heap, 'write'));
  }
  // The new thread writes struct pthread, its static TLS and start_thread's frames at the top of the block.
  const end = stack.mem + stack.size;
  for (let page = (end - STARTUP_DEPTH) & ~(PAGE - 1n); page < end; page += PAGE) faults.push(userAccess(k, task, page, 'write'));
  const thread: Thread = { name, tid: k.nextPid++, stack, line };
  k.threadsMade++;
  const now = task.threads ?? EMPTY;
  task.threads = { ...now, threads: [...now.threads.filter((t) => t.name !== name), thread] };
  return { thread, reused: cached !== undefined, faults };
}

/** do_mmap of the PROT_NONE block with MAP_STACK: VM_NOHUGEPAGE (calc_vm_flag_bits), not accounted (PROT_NONE). */
function mapStack(task: Task, len: bigint, name: string, line: number): bigint {
  // __get_unmapped_area: an anonymous length that is a multiple of PMD_SIZE is THP-aligned.
  const start = task.mm.getUnmappedArea(len, 0n, 0n, len % 0x200000n === 0n);
  if (start === undefined) throw new SyscallError('ENOMEM', `pthread_create: no room for a ${len >> 10n} KiB stack`);
  const vma: Vma = {
    start,
    end: start + len,
    flags: VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_NOHUGEPAGE,
    pgoff: start >> PAGE_SHIFT,
    origin: { kind: 'mmap', region: name, description: `stack of thread ${name}: mmap of ${len >> 10n} KiB, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK (allocate_stack)` },
    line,
  };
  task.mm.mapRegion(vma);
  return start;
}

export interface ThreadExit {
  /** Bytes advise_stack_range gave back with MADV_DONTNEED. */
  readonly released: bigint;
  /** Stacks __nptl_free_stacks unmapped because the cache grew past 40 MiB. */
  readonly unmapped: ThreadStack[];
}

/**
 * The end of a detached thread (start_thread): advise_stack_range frees all of its stack but the
 * 16 KiB below its stack pointer and what lies above it; then queue_stack puts the stack in the
 * cache, and __nptl_free_stacks unmaps the oldest free stacks while the cache holds over 40 MiB.
 */
export function pthreadExit(k: Kernel, task: Task, thread: Thread, line: number): ThreadExit {
  const { mem, size } = thread.stack;
  const sp = mem + size - EXIT_SP_DEPTH;
  const freesize = (sp - mem) & ~(PAGE - 1n);
  let released = 0n;
  if (freesize > PTHREAD_STACK_MIN) {
    released = freesize - PTHREAD_STACK_MIN;
    doMadvise(k, task, mem, mem + released, 'dontneed');
  }
  const group = task.threads ?? EMPTY;
  let cache = [thread.stack, ...group.cache];
  const unmapped: ThreadStack[] = [];
  let cached = cache.reduce((sum, s) => sum + s.size, 0n);
  // __nptl_free_stacks: from the oldest (the list's tail) while over the limit.
  while (cached > STACK_CACHE_MAXSIZE && cache.length) {
    const oldest = cache[cache.length - 1]!;
    cache = cache.slice(0, -1);
    cached -= oldest.size;
    doMunmap(k, task, oldest.mem, oldest.mem + oldest.size);
    unmapped.push(oldest);
  }
  task.threads = { cache, threads: group.threads.map((t) => (t === thread ? { ...t, exitedLine: line } : t)) };
  return { released, unmapped };
}

/**
 * The child of a fork has one thread, the one that called fork (`from`; the main thread when absent).
 * __nptl_reclaim_stacks: the stacks of the parent's other threads join the child's stack cache, at its head.
 */
export function inheritThreads(parent: Task, child: Task, from?: Thread): void {
  const group = parent.threads;
  if (!group) return;
  const running = group.threads.filter((t) => t.exitedLine === undefined && t !== from).reverse().map((t) => t.stack);
  child.threads = { threads: [], cache: [...running, ...group.cache] };
}

/** The thread a scenario name stands for, in any process: the last one created with that name. */
export function findThread(k: Kernel, name: string): { task: Task; thread: Thread } | undefined {
  if (k.threadsMade === 0) return undefined;
  let found: { task: Task; thread: Thread } | undefined;
  for (const task of k.tasks.values()) {
    for (const thread of task.threads?.threads ?? []) {
      if (thread.name === name && (!found || thread.line >= found.thread.line)) found = { task, thread };
    }
  }
  return found;
}
