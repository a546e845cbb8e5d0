import type { ScenarioRun } from '../scenario/run';
import type { StepRecord } from '../scenario/step-record';
import { errorCodeText, hex } from './common';
import type { FaultView } from './view-models';

/**
 * The page faults of one statement, or of the whole run (accesses that hit without a fault are
 * left out), at most `limit` of them: the views are built only for the faults returned.
 */
export function faultsOf(run: ScenarioRun, stepIndex?: number, limit = Infinity): FaultView[] {
  const steps = stepIndex === undefined ? run.steps : run.steps.slice(Math.max(0, stepIndex), stepIndex + 1);
  const out: FaultView[] = [];
  for (const step of steps) if (out.length < limit) faultViews(step, out, limit);
  return out;
}

/** How many faults (not hits) faultsOf would list without a limit. */
export function faultCount(run: ScenarioRun, stepIndex?: number): number {
  const steps = stepIndex === undefined ? run.steps : run.steps.slice(Math.max(0, stepIndex), stepIndex + 1);
  return steps.reduce((sum, step) => sum + step.faults.length - step.faults.countKind('hit'), 0);
}

function faultViews(step: StepRecord, out: FaultView[], limit: number): void {
  for (let i = 0; i < step.faults.length && out.length < limit; i++) {
    const f = step.faults.at(i)!;
    if (f.kind === 'hit') continue;
    out.push({
      line: step.line,
      process: f.process ?? '',
      address: hex(f.address),
      access: f.access,
      kind: f.kind,
      errorCode: errorCodeText(f.errorCode),
      ...(f.signal ? { siCode: f.signal.code } : {}),
      pagesMapped: f.mapped,
      explanation: f.explanation,
    });
  }
}
