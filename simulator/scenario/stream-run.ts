// A one-shot run (asx run, asx twin --compare): each statement's record is handed on as it is made and
// none is kept, nor the statements already run. What such a run holds is the simulated machine, not
// the run: 20,000 mmap statements keep no record of their own (the editor's runs keep every record
// and state for the panels: run.ts).
import type { Statement } from './ast';
import { hasErrors, type Diagnostic } from './diagnostics';
import { executeStatement } from './execute';
import { parseScenarioOnce } from './parser';
import { prepare, type ScenarioFiles } from './prepare';
import { Slices, type SliceControl } from './run-slices';
import { newState, type ScenarioSettings } from './state';
import type { StepRecord } from './step-record';

export interface StreamControl extends SliceControl {
  /** The host machine's defaults, before any `set` statement (machineFromCpuinfo). */
  host?: Partial<ScenarioSettings>;
}

/**
 * Parses, prepares and runs a scenario, handing every statement and its record to `take` in order.
 * A scenario that does not parse runs nothing: its diagnostics come back instead.
 */
export async function streamScenario(text: string, files: ScenarioFiles, control: StreamControl, take: (statement: Statement, step: StepRecord) => void): Promise<{ ok: true } | { ok: false; diagnostics: readonly Diagnostic[] }> {
  const { statements, diagnostics } = parseScenarioOnce(text);
  if (hasErrors(diagnostics)) return { ok: false, diagnostics };
  const prepared = await prepare(statements, files, control.host);
  const state = newState(prepared.initialSettings);
  const pending = statements as (Statement | undefined)[];
  const slices = new Slices(control, pending.length);
  for (let i = 0; i < pending.length; i++) {
    const statement = pending[i] as Statement;
    pending[i] = undefined;
    take(statement, executeStatement(state, statement, prepared));
    if (slices.due()) await slices.pause(i + 1);
  }
  slices.finish();
  return { ok: true };
}
