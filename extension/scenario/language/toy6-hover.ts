// The hover of a toy6 statement (set machine toy6): the walk it made or asserted, its fault,
// a failed expect, and what a `show` printed. Pure (no `vscode`).
import { describeAccess, describeOutcome, describePte } from '../../../simulator/toy6/show';
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
  if (s.kind === 'poke') parts.push(escapeMarkdown(pokeMeaning(run, index, s.pa, s.value)));
  for (const note of step.notes) parts.push(`$(warning) ${escapeMarkdown(note.message)}`);
  for (const failure of step.failures) parts.push(`$(error) ${escapeMarkdown(failure.replace(/^line \d+:\d+: /, ''))}`);
  if (step.output !== undefined) parts.push(codeBlock(step.output.trimEnd()));
  return parts.join('\n\n');
}

/** What a poked cell is: a PTE of a process's table (with its bits), or a cell of a frame. */
function pokeMeaning(run: Toy6Run, index: number, pa: number, value: number): string {
  const machine = run.machineAfter(index);
  const owners = [...machine.processes.values()].filter((p) => pa >> 3 === p.cr3 >> 3).map((p) => p.name);
  if (owners.length === 0) return `cell ${pa} (frame ${pa >> 3}, offset ${pa & 7}) holds ${value}; as a PTE it would be ${describePte(value)}`;
  return `cell ${pa} is the PTE of page ${pa & 7} in the table of ${owners.join(', ')}: ${describePte(value)}`;
}
