// Runs scenarios for the inspect tests: bundled examples by name, or inline text
// resolved against examples/ (so `exec hello/hello` and `data/notes.txt` work).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { scenarioFilesOnDisk } from '../../../../simulator/cli/node-file-access';
import { runScenario, type ScenarioRun } from '../../../../simulator/scenario/run';
import { REPO_ROOT } from '../../../support/exec-layout';

export const EXAMPLES = resolve(REPO_ROOT, 'examples');

export async function runText(text: string, path = resolve(EXAMPLES, 'inline.aspace')): Promise<ScenarioRun> {
  const outcome = await runScenario(text, path, scenarioFilesOnDisk(path));
  if (!outcome.ok) throw new Error(outcome.diagnostics.map((d) => d.message).join('\n'));
  return outcome.run;
}

/**
 * A bundled example, with exec stopped at the first instruction (`set exec start`) so that the
 * example's regions stand alone: at the entry point ld.so's anonymous areas merge with them.
 * The setting replaces the example's first line, its title comment, so that no line moves.
 */
export async function runExample(name: string): Promise<ScenarioRun> {
  const path = resolve(EXAMPLES, name);
  return runText(readFileSync(path, 'utf8').replace(/^#[^\n]*/, 'set exec start'), path);
}

/** The step index of the first statement whose text starts with `prefix`. */
export function stepOf(run: ScenarioRun, prefix: string): number {
  const i = run.statements.findIndex((s) => s.text.startsWith(prefix));
  if (i < 0) throw new Error(`no statement ${prefix}`);
  return i;
}
