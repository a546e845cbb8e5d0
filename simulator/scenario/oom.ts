// The OOM killer as a statement meets it: an allocation failure kills a victim and says so in the step.
import { exitTask } from '../mm/fork';
import { OutOfMemory, type Kernel, type Task } from '../mm/kernel';
import { oomKillLine, selectBadProcess } from '../mm/oom-kill';
import type { Statement } from './ast';
import { addEvent, oomKilled, oomNoVictim } from './events';
import type { StepRecord } from './step-record';

/** Runs work that allocates; an allocation failure triggers the OOM killer and one retry. */
export function withOom<T>(k: Kernel, step: StepRecord, s: Statement, work: () => T): T | undefined {
  try {
    return work();
  } catch (error) {
    if (!(error instanceof OutOfMemory)) throw error;
    runOomKiller(k, step, s);
    return undefined;
  }
}

/** out_of_memory: select_bad_process (oom_badness), then __oom_kill_process's line, before the victim's memory goes. */
export function runOomKiller(k: Kernel, step: StepRecord, s: Statement): Task | undefined {
  const chosen = selectBadProcess(k);
  if (!chosen) {
    addEvent(step, oomNoVictim(s));
    return undefined;
  }
  const victim = chosen.victim;
  addEvent(step, oomKilled(s, victim, oomKillLine(victim)));
  victim.death = { signal: 'SIGKILL', code: 'OOM', address: 0n, errorCode: 0, explanation: `killed by the OOM killer (oom_badness ${chosen.points})`, line: s.line };
  exitTask(k, victim);
  return victim;
}
