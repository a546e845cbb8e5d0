// The extension host's share of a keystroke at the end of the generated scenario (part of npm run
// bench): the parse and the re-run the host does for it, and the views the panel is sent with the
// new run (the regions and smaps of A at the last step), measured in Node without VS Code. The
// workbench bench's keystroke row is this plus VS Code's own round trip, which varies far more.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { RunViews } from '../../../extension/scenario-panel/panel-views';
import { scenarioFilesOnDisk } from '../../../simulator/cli/node-file-access';
import { parseScenario } from '../../../simulator/scenario/parser';
import { runScenario, type ScenarioRun } from '../../../simulator/scenario/run';

/** Keystrokes timed, Backspace and `K` in turn at the end of the last line, as the workbench bench types. */
const KEYS = 40;

/** Milliseconds per keystroke: the parse, the re-run from the last run, and the panel's views of the last step. */
export async function keystrokeShare(path: string): Promise<number[]> {
  const files = scenarioFilesOnDisk(path);
  let text = readFileSync(path, 'utf8');
  const first = await runScenario(text, path, files);
  if (!first.ok) throw new Error(`the generated scenario does not parse: ${first.diagnostics[0]?.message}`);
  let run: ScenarioRun = first.run;
  const times: number[] = [];
  for (let i = 0; i < KEYS; i++) {
    text = i % 2 === 0 ? text.replace(/K\n$/, '\n') : text.replace(/\n$/, 'K\n');
    const start = performance.now();
    parseScenario(text, path);
    const outcome = await runScenario(text, path, files, { previous: run });
    if (!outcome.ok) throw new Error('an edit of the generated scenario does not parse');
    run = outcome.run;
    const views = new RunViews(i + 2, run);
    const step = run.statements.length - 1;
    const { rows } = views.answer('regions', { run: i + 2, step, process: 'P' });
    const a = rows.find((r) => r.region === 'A');
    if (a) views.answer('smaps', { run: i + 2, step, process: 'P', region: a.index });
    times.push(performance.now() - start);
  }
  return times;
}
