// The hover of a toy6 statement (set machine toy6): the walk it made or asserted, its fault,
// a failed expect, and what a `show` printed. Pure (no `vscode`).
import { describeAccess, describeOutcome } from '../../../simulator/toy6/show';
import type { Toy6Run } from '../../../simulator/toy6/run';
import { codeBlock, escapeMarkdown } from './hover-text';

export function toy6HoverMarkdown(run: Toy6Run, index: number): string {
  const s = run.statements[index];
  const step = run.steps[index];
  if (!s || !step) return '';
  const parts = [`**Line ${s.line}** (step ${index + 1} of ${run.statements.length}, toy6)`];
  if (step.walk) {
    const { process, access, walk } = step.walk;
    const verb = s.kind === 'expect' ? 'would give' : 'gives';
    parts.push(escapeMarkdown(`${process}: the ${describeAccess(access)} of VA ${walk.va} ${verb} ${describeOutcome(walk)}`));
  }
  for (const note of step.notes) parts.push(`$(warning) ${escapeMarkdown(note.message)}`);
  for (const failure of step.failures) parts.push(`$(error) ${escapeMarkdown(failure.replace(/^line \d+:\d+: /, ''))}`);
  if (step.output !== undefined) parts.push(codeBlock(step.output.trimEnd()));
  return parts.join('\n\n');
}
