// The scenario's threads: `T = thread P [STACKSIZE]`, `exit T`, `Q = fork T`, and T standing for P
// in every other statement (the thread shares P's mm). The glibc and kernel work is in mm/thread.ts.
import { forkTask } from '../mm/fork';
import type { FaultLog } from '../mm/fault-log';
import type { Kernel, Task } from '../mm/kernel';
import { DEFAULT_RLIMIT_STACK, findThread, inheritThreads, pthreadCreate, pthreadExit, type Thread } from '../mm/thread';
import type { ThreadStatement } from './ast';

/** The thread a name stands for, unless a process of that name was defined after it. */
export function threadNamed(k: Kernel, name: string): { task: Task; thread: Thread } | undefined {
  const found = findThread(k, name);
  const process = k.tasks.get(name);
  return found && (!process || process.createdAt < found.thread.line) ? found : undefined;
}

/** The process a name stands for: a process, or the process a thread runs in. */
export function taskNamed(k: Kernel, name: string): Task | undefined {
  return threadNamed(k, name)?.task ?? k.tasks.get(name);
}

/** Why a statement on a thread that has exited does nothing, or undefined if the thread (or process) is live. */
export function exitedThreadNote(k: Kernel, name: string): string | undefined {
  const exited = threadNamed(k, name)?.thread.exitedLine;
  return exited === undefined ? undefined : `thread ${name} exited at line ${exited}: statement skipped`;
}

/** `T = thread P [STACKSIZE]` in the live process `task`. */
export function createThread(k: Kernel, task: Task, s: ThreadStatement, faults: FaultLog, note: (text: string) => void): void {
  const old = k.tasks.get(s.thread.name);
  // A process of the same name is named by the thread from here on.
  if (old && old !== task && (old.exited || old.death)) k.tasks.delete(s.thread.name);
  // glibc reads RLIMIT_STACK once, at start-up (__pthread_initialize_minimal): the 8 MiB every scenario
  // process starts with; a later `set rlimit P stack` (prlimit) does not change the threads' default.
  const rlimitStack = DEFAULT_RLIMIT_STACK;
  const created = pthreadCreate(k, task, s.thread.name, s.stackSize, rlimitStack, s.line);
  for (const fault of created.faults) if (fault.kind !== 'hit') faults.push({ ...fault, process: task.name });
  const { stack } = created.thread;
  const hex = (n: bigint) => `0x${n.toString(16)}`;
  note(
    `${s.thread.name}: thread ${created.thread.tid} of ${task.name}, stack ${hex(stack.mem + stack.guard)}-${hex(stack.mem + ((stack.size + 0xfffn) & ~0xfffn))} above a guard page at ${hex(stack.mem)}` +
      (created.reused ? ' (from glibc\'s stack cache: no mmap)' : ` (mmap of ${stack.size} bytes with MAP_STACK)`),
  );
}

/** `exit T` for a thread: true if `name` is a thread (then it is handled here). */
export function exitThread(k: Kernel, name: string, line: number, note: (text: string) => void, skip: (text: string) => void): boolean {
  const found = threadNamed(k, name);
  if (!found) return false;
  const { task, thread } = found;
  if (thread.exitedLine !== undefined) skip(`thread ${name} exited at line ${thread.exitedLine}: statement skipped`);
  else if (task.exited || task.death) skip(`${task.name}, the process of thread ${name}, is not running: statement skipped`);
  else {
    const done = pthreadExit(k, task, thread, line);
    note(`${name} exited: advise_stack_range released ${done.released >> 10n} KiB (MADV_DONTNEED), the stack went to glibc's stack cache` + (done.unmapped.length ? `; the cache was over 40 MiB: ${done.unmapped.length} cached stack(s) unmapped` : ''));
  }
  return true;
}

/** `Q = fork P` or `Q = fork T`: the child has one thread, and the other threads' stacks are in its stack cache. */
export function forkFrom(k: Kernel, parent: Task, parentName: string, child: string, line: number): Task {
  const forked = forkTask(k, parent, child, line);
  if (parent.mallocInterposer) forked.mallocInterposer = parent.mallocInterposer;
  inheritThreads(parent, forked, threadNamed(k, parentName)?.thread);
  return forked;
}
