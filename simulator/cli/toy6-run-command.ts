import { formatDiagnostic } from '../scenario/diagnostics';
import { runToy6 } from '../toy6/run';
import type { Output } from './main';

/**
 * asx run for a toy6 scenario (`set machine toy6`): each show's output under `# LINE: STATEMENT`,
 * faults as `FILE:LINE:COL: note: fault …` on stderr (the run goes on), failed expects on stderr.
 * Exit 0 (every expect held), 1 (one failed) or 2 (the scenario cannot run).
 */
export function runToy6Command(text: string, file: string, json: boolean, out: Output, err: Output): number {
  const outcome = runToy6(text);
  if (!outcome.ok) {
    for (const d of outcome.diagnostics) err.write(`${formatDiagnostic(file, d)}\n`);
    return 2;
  }
  for (const d of outcome.warnings) err.write(`${formatDiagnostic(file, d)}\n`);
  const run = outcome.run;
  if (json) {
    const shows = run.steps.flatMap((step, i) => (step.output === undefined ? [] : [{ line: step.line, statement: run.statements[i]?.text, output: step.output }]));
    const notes = run.steps.flatMap((s) => s.notes.map((note) => ({ line: s.line, column: note.column, note: note.message })));
    out.write(`${JSON.stringify({ file, machine: 'toy6', shows, failures: run.failures, notes }, null, 2)}\n`);
  }
  for (const [i, step] of run.steps.entries()) {
    if (!json && step.output !== undefined) out.write(`# ${step.line}: ${run.statements[i]?.text}\n${step.output}`);
    for (const note of step.notes) err.write(`${file}:${step.line}:${note.column}: note: ${note.message}\n`);
    for (const failure of step.failures) err.write(`${file}:${failure.replace(/^line /, '')}\n`);
  }
  return run.failures.length ? 1 : 0;
}
