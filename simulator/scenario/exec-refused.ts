// `P = exec PATH` refused by the overcommit policy (mm/exec-commit.ts), said as the kernel and ld.so
// would have it: execve's ENOMEM, a SIGSEGV past the point of no return, or ld.so's exit 127.
import type { ExecCommitRefusal } from '../mm/exec-commit';
import { exitTask } from '../mm/fork';
import type { Kernel } from '../mm/kernel';
import type { MmStruct } from '../mm/mm-struct';
import { SyscallError } from '../mm/syscalls';
import type { Statement } from './ast';
import { addEvent, killedByFault, reasonOf } from './events';
import type { StepRecord } from './step-record';

/** Refused before the point of no return: execve fails and the exec'ing process goes on as it was. */
export function bprmRefusal(refusal: Extract<ExecCommitRefusal, { stage: 'bprm' }>): SyscallError {
  return new SyscallError('ENOMEM', `${reasonOf(refusal.error)} (bprm_mm_init: the new stack's first page)`);
}

/**
 * Refused past the point of no return (the old image is gone): the process `name` exists, with a
 * new pid as every exec statement gives, and ends at once: killed by SIGSEGV in the kernel's stage,
 * exit 127 in ld.so's.
 */
export function diedInExec(k: Kernel, s: Extract<Statement, { kind: 'exec' }>, mm: MmStruct, program: string, refusal: Exclude<ExecCommitRefusal, { stage: 'bprm' }>, step: StepRecord): void {
  const name = s.process.name;
  const task = k.newTask(name, mm, program, s.line);
  k.tasks.set(name, task);
  exitTask(k, task);
  const reason = reasonOf(refusal.error);
  if (refusal.stage === 'kernel') {
    task.death = { signal: 'SIGSEGV', code: 'SI_KERNEL', address: 0n, errorCode: 0, explanation: `execve failed past the point of no return, mapping ${refusal.what}: ${reason}`, line: s.line };
    addEvent(step, killedByFault(s, task, task.death));
    return;
  }
  task.exitedAt = s.line;
  addEvent(step, { kind: 'syscall-failed', column: s.column, message: `mmap failed with ENOMEM: ${reason}; ${refusal.message} (ld.so exits with status 127)`, call: 'mmap', errno: 'ENOMEM', process: name });
}
