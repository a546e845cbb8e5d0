import type { ScenarioRun } from '../scenario/run';
import type { StepRecord } from '../scenario/execute';
import { errorCodeText, hex } from './common';
import type { FaultView } from './view-models';

/** The page faults of one statement, or of the whole run (accesses that hit without a fault are left out). */
export function faultsOf(run: ScenarioRun, stepIndex?: number): FaultView[] {
  const steps = stepIndex === undefined ? run.steps : run.steps.slice(Math.max(0, stepIndex), stepIndex + 1);
  return steps.flatMap(faultViews);
}

function faultViews(step: StepRecord): FaultView[] {
  const out: FaultView[] = [];
  for (const f of step.faults) {
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
  return out;
}
