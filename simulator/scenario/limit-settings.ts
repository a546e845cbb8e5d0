// The limit settings of a scenario (version 1 additions): the vm.* sysctls and a process's rlimits.
import { setRlimit } from '../mm/rlimit';
import { taskNamed } from './threads';
import type { Statement } from './ast';
import type { SetRlimitStatement, SetSysctlStatement } from './ast-set';
import type { ScenarioState } from './state';

/** Applies `set overcommit|overcommit_ratio|overcommit_kbytes|max_map_count|rlimit ...`; false for other settings. */
export function applyLimitSetting(state: ScenarioState, s: Extract<Statement, { kind: 'set' }>, skip: (text: string) => void): boolean {
  if (s.setting === 'rlimit') {
    applyRlimit(state, s, skip);
    return true;
  }
  if (s.setting !== 'overcommit' && s.setting !== 'overcommit_ratio' && s.setting !== 'overcommit_kbytes' && s.setting !== 'max_map_count') return false;
  applySysctl(state, s);
  return true;
}

/** A write to /proc/sys/vm/...: from this statement on. */
function applySysctl(state: ScenarioState, s: SetSysctlStatement): void {
  const sysctl = state.kernel.sysctl;
  if (s.setting === 'overcommit') sysctl.overcommitMemory = s.value as 0 | 1 | 2;
  else if (s.setting === 'overcommit_ratio') {
    // overcommit_ratio_handler: writing the ratio clears overcommit_kbytes, and the other way round.
    sysctl.overcommitRatio = s.value;
    sysctl.overcommitKbytes = 0;
  } else if (s.setting === 'overcommit_kbytes') {
    sysctl.overcommitKbytes = s.value;
    sysctl.overcommitRatio = 0;
  } else sysctl.maxMapCount = s.value;
}

/** prlimit(pid, RESOURCE, {n, n}) on a running process. */
function applyRlimit(state: ScenarioState, s: SetRlimitStatement, skip: (text: string) => void): void {
  const task = taskNamed(state.kernel, s.process.name);
  if (!task || task.exited || task.death) {
    skip(`${s.process.name} is not running: set rlimit skipped`);
    return;
  }
  setRlimit(task, s.resource, s.value);
}
