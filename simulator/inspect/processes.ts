import { rssPages, type Task } from '../mm/kernel';
import type { ScenarioState } from '../scenario/state';
import { hex, isLive, regionsOf } from './common';
import { processPssKb } from './pss';
import type { ProcessSummary } from './view-models';

/** How a process died, in one line: "SIGSEGV (SEGV_ACCERR) at 0x… on line 12". */
export function deathText(task: Task): string | undefined {
  const d = task.death;
  if (!d) return undefined;
  if (d.code === 'OOM') return `SIGKILL (OOM killer) on line ${d.line}`;
  return `${d.signal} (${d.code}) at ${hex(d.address)} on line ${d.line}`;
}

/** Every process the scenario created, in creation order, with VmRSS, rollup Pss and VmSwap. */
export function listProcesses(state: ScenarioState): ProcessSummary[] {
  const k = state.kernel;
  return [...k.tasks.values()].map((task) => {
    const live = isLive(task);
    const death = deathText(task);
    return {
      name: task.name,
      pid: task.pid,
      state: task.death ? 'killed' : task.exited ? 'exited' : 'running',
      ...(death ? { death } : {}),
      line: task.createdAt,
      rssKb: live ? rssPages(task) * 4 : 0,
      pssKb: live ? processPssKb(k, task) : 0,
      swapKb: live ? task.rss.swapEnts * 4 : 0,
      // The rows of its maps, [vsyscall] included.
      vmaCount: regionsOf(task).length,
    };
  });
}
