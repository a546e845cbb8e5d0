// A PTE bit toggled in the panel: which line of the scenario changes, and the run after the edit.
import { describe, expect, it } from 'vitest';
import { pokeEdit } from '../../../../simulator/toy6/poke-edit';
import { runToy6 } from '../../../../simulator/toy6/run';

const TEXT = ['set machine toy6', 'poke 8 0b011101  # page 0', 'A = process cr3 8', 'poke 9 0b001111', 'write A 9 0b100111', 'read A 0'].join('\n');

function run(text: string) {
  const outcome = runToy6(text);
  if (!outcome.ok) throw new Error(outcome.diagnostics[0]?.message);
  return outcome.run;
}

function apply(text: string, edit: NonNullable<ReturnType<typeof pokeEdit>>): string {
  const lines = text.split('\n');
  if (edit.kind === 'replace') {
    const l = lines[edit.span.line - 1] as string;
    lines[edit.span.line - 1] = l.slice(0, edit.span.column - 1) + edit.text + l.slice(edit.span.endColumn - 1);
  } else {
    lines.splice(edit.after, 0, edit.text);
  }
  return lines.join('\n');
}

describe('pokeEdit', () => {
  it('replaces the value of the poke that last set the cell', () => {
    const r = run(TEXT);
    const edit = pokeEdit(r, r.indexAtLine(6), 8, 0b011111);
    expect(edit).toEqual({ kind: 'replace', span: { line: 2, column: 8, endColumn: 16 }, text: '0b011111' });
    const after = apply(TEXT, edit as NonNullable<typeof edit>);
    expect(after.split('\n')[1]).toBe('poke 8 0b011111  # page 0');
    const again = run(after);
    expect(again.machineAfter(again.indexAtLine(6)).memory[8]).toBe(0b011111);
  });

  it('inserts a poke after the step line when a write set the cell since its poke', () => {
    const r = run(TEXT);
    const edit = pokeEdit(r, r.indexAtLine(6), 9, 0b100101);
    expect(edit).toEqual({ kind: 'insert', after: 6, text: 'poke 9 0b100101' });
  });

  it('inserts a poke for a cell never poked, and refuses values out of range', () => {
    const r = run(TEXT);
    expect(pokeEdit(r, r.indexAtLine(3), 12, 1)).toEqual({ kind: 'insert', after: 3, text: 'poke 12 0b000001' });
    expect(pokeEdit(r, 2, 12, 64)).toBeUndefined();
    expect(pokeEdit(r, -1, 12, 1)).toBeUndefined();
  });
});
