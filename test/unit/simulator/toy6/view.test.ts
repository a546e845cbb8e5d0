// The panel's view of a toy6 step: cells, page-table frames, tables with bits, the walk at the line;
// and the webview's check of it gives back what the host sent.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runToy6 } from '../../../../simulator/toy6/run';
import { toy6View } from '../../../../simulator/toy6/view';
import { checkToy6View } from '../../../../webview/scenario/toy6-checks';
import { REPO_ROOT } from '../../../support/exec-layout';

function run(text: string) {
  const outcome = runToy6(text);
  if (!outcome.ok) throw new Error(outcome.diagnostics[0]?.message);
  return outcome.run;
}

describe('toy6View', () => {
  const r = run(['set machine toy6', 'poke 8 0b011101', 'A = process cr3 8', 'poke 29 7', 'read A 5', 'write A 5 1', 'show pagetable A 13', 'poke 8 0b011111'].join('\n'));

  it('before the first statement: all zero, no process, no walk', () => {
    const v = toy6View(r, -1);
    expect(v.cells).toEqual(Array(64).fill(0));
    expect(v.processes).toEqual([]);
    expect(v.walk).toBeNull();
  });

  it('a read: its walk, the table frame and the mapped frame', () => {
    const v = toy6View(r, r.indexAtLine(5));
    expect(v.walk).toEqual({ process: 'A', kind: 'read', privilege: 'user', va: 5, page: 0, offset: 5, cr3: 8, pteAddress: 8, pte: 29, fault: null, pa: 29, statement: 'read' });
    expect(v.frames[1]).toEqual({ tableOf: ['A'], mappedBy: [] });
    expect(v.frames[3]).toEqual({ tableOf: [], mappedBy: ['A:0'] });
    expect(v.processes[0]?.entries[0]).toEqual({ address: 8, pte: 29, frame: 3, u: true, w: false, p: true, pokeLine: 2 });
    expect(v.cells[29]).toBe(7);
  });

  it('a faulting write stores nothing and says which bit; show pagetable P VA walks as a user read; the last poke of a PTE is named', () => {
    expect(toy6View(r, r.indexAtLine(6)).walk).toMatchObject({ kind: 'write', fault: 'W', statement: 'write' });
    expect(toy6View(r, r.indexAtLine(6)).cells[29]).toBe(7);
    expect(toy6View(r, r.indexAtLine(7)).walk).toMatchObject({ va: 13, fault: 'P', statement: 'show' });
    expect(toy6View(r, r.indexAtLine(8)).processes[0]?.entries[0]).toMatchObject({ pte: 31, w: true, pokeLine: 8 });
  });

  it('the webview check gives back every example step as sent', () => {
    for (const name of ['toy6-writable-page-table.aspace', 'toy6-aliasing.aspace']) {
      const ex = run(readFileSync(resolve(REPO_ROOT, 'examples', name), 'utf8'));
      for (let step = -1; step < ex.statements.length; step++) {
        const view = toy6View(ex, step);
        expect(checkToy6View(JSON.parse(JSON.stringify(view)))).toEqual(view);
      }
    }
  });

  it('the webview check refuses a cell out of range', () => {
    const view = JSON.parse(JSON.stringify(toy6View(r, 3))) as { cells: number[] };
    view.cells[0] = 64;
    expect(() => checkToy6View(view)).toThrow(/cells/);
  });
});
