// What went wrong in a statement, said out loud: a failed system call, a process killed by a fault
// or by the OOM killer. `asx run` prints each as `FILE:LINE:COL: note: MESSAGE` on stderr, the editor
// as an Information diagnostic on the line, the panel on its timeline.
import type { Death, Task } from '../mm/kernel';
import type { SyscallError } from '../mm/syscalls';
import type { Statement } from './ast';
import type { StepRecord } from './step-record';

export type StepEventKind = 'syscall-failed' | 'killed' | 'oom-kill' | 'oom-no-victim' | 'skipped' | 'dlopen-failed';

/** One failure or death in a statement, with the column `asx run` reports it at. */
export interface StepEvent {
  readonly kind: StepEventKind;
  /** 1-based column of the statement's first character. */
  readonly column: number;
  /** The note after `note: `, e.g. `mmap failed with ENOMEM: no room for 1 GiB`. */
  readonly message: string;
  /** A failed call: its name and errno. */
  readonly call?: string;
  readonly errno?: string;
  /** A death: the process's scenario name. */
  readonly process?: string;
}

/** The system call a statement makes, as `strace` would name it. */
export function callOf(s: Statement): string {
  switch (s.kind) {
    case 'exec': return 'execve';
    case 'access': return s.op;
    case 'set': return `set ${s.setting}`;
    default: return s.kind;
  }
}

/** SyscallError's reason, without the ` (ERRNO)` its message ends with. */
export function reasonOf(error: SyscallError): string {
  const reason = (error as { reason?: unknown }).reason;
  if (typeof reason === 'string') return reason;
  const suffix = ` (${error.errno})`;
  return error.message.endsWith(suffix) ? error.message.slice(0, -suffix.length) : error.message;
}

/** `mmap failed with ENOMEM: overcommit: 1 GiB requested, RAM + swap is 64 MiB`. */
export function syscallFailed(s: Statement, error: SyscallError): StepEvent {
  const call = callOf(s);
  return { kind: 'syscall-failed', column: s.column, message: `${call} failed with ${error.errno}: ${reasonOf(error)}`, call, errno: error.errno };
}

/** A fault killed a process: signal, si_code, address and why (force_sig_fault). */
export function killedByFault(s: Statement, task: Task, death: Death): StepEvent {
  const message = `${task.name} (pid ${task.pid}) killed by ${death.signal} (si_code ${death.code}, si_addr 0x${death.address.toString(16)}, error ${death.errorCode}): ${death.explanation}`;
  return { kind: 'killed', column: s.column, message, process: task.name };
}

/** The OOM killer's line (__oom_kill_process). */
export function oomKilled(s: Statement, task: Task, kernelLine: string): StepEvent {
  return { kind: 'oom-kill', column: s.column, message: kernelLine, process: task.name };
}

/** out_of_memory with nothing eligible: the kernel panics; the simulator stops the statement. */
export function oomNoVictim(s: Statement): StepEvent {
  return { kind: 'oom-no-victim', column: s.column, message: 'Out of memory and no killable processes... (the kernel panics: "System is deadlocked on memory"); statement stopped' };
}

/** How `asx run` prints an event on stderr. */
export function formatEvent(fileName: string, line: number, event: StepEvent): string {
  return `${fileName}:${line}:${event.column}: note: ${event.message}`;
}

/** Records an event in a step, and its message among the step's notes (hovers, --json). */
export function addEvent(step: StepRecord, event: StepEvent): void {
  (step.events ??= []).push(event);
  // The notes may be the records' shared empty array: a new one.
  step.notes = [...step.notes, event.message];
}

/**
 * A statement that did not run (a dead process or thread, an undefined name): its note, said as a
 * `skipped` event too (`asx run` prints it, the editor marks the line, `expect failed` reports it).
 */
export function addSkipped(s: Statement, step: StepRecord, note: string): void {
  addEvent(step, { kind: 'skipped', column: s.column, message: note });
}

/** What `show` of a process that is not running says: how and at which line it ended. */
export function notRunningText(task: Task): string {
  const d = task.death;
  if (d?.code === 'OOM') return `${task.name} is not running: the OOM killer killed it (SIGKILL) at line ${d.line}`;
  if (d) return `${task.name} is not running: it was killed by ${d.signal} (${d.code}) at 0x${d.address.toString(16)} at line ${d.line}`;
  return `${task.name} is not running: it exited at line ${task.exitedAt ?? '?'}`;
}
