// A PTE bit toggled in the panel becomes an edit of the scenario, so that the file stays the truth:
// the value of the `poke` that last set the cell, or a new `poke` line when a `write` set it since.
import type { Span } from '../scenario/ast';
import type { Toy6Run } from './run';

export type PokeEdit =
  /** Replace the VALUE of the poke at `span`. */
  | { readonly kind: 'replace'; readonly span: Span; readonly text: string }
  /** Insert a line `text` after line `after`. */
  | { readonly kind: 'insert'; readonly after: number; readonly text: string };

/** `0b011101`: a PTE as the notes write it. */
export const pteText = (value: number) => `0b${value.toString(2).padStart(6, '0')}`;

/** The edit that makes cell `address` hold `value` in the machine after statement `step`. */
export function pokeEdit(run: Toy6Run, step: number, address: number, value: number): PokeEdit | undefined {
  const last = Math.min(step, run.statements.length - 1);
  if (last < 0 || address < 0 || address > 63 || value < 0 || value > 63) return undefined;
  for (let i = last; i >= 0; i--) {
    const s = run.statements[i];
    if (s?.kind === 'poke' && s.pa === address) return { kind: 'replace', span: s.valueSpan, text: pteText(value) };
    const walk = run.steps[i]?.walk;
    // A successful write set the cell since: a poke after the step line says the new value.
    if (s?.kind === 'access' && s.access.kind === 'write' && walk && walk.walk.fault === undefined && walk.walk.pa === address) break;
  }
  return { kind: 'insert', after: (run.statements[last] as { line: number }).line, text: `poke ${address} ${pteText(value)}` };
}
