// The hover of toy6 statements: the walk, the fault note, a failed expect, a show's output.
import { describe, expect, it } from 'vitest';
import { toy6HoverMarkdown } from '../../../extension/scenario/language/toy6-hover';
import { runToy6 } from '../../../simulator/toy6/run';

const TEXT = ['set machine toy6', 'poke 8 0b011101', 'A = process cr3 8', 'write A 5 1', 'expect A 5 read pa 30', 'show pagetable A 5'].join('\n');

describe('toy6 hovers', () => {
  const outcome = runToy6(TEXT);
  if (!outcome.ok) throw new Error('does not run');
  const run = outcome.run;

  it('a faulting write: the walk and the fault', () => {
    const md = toy6HoverMarkdown(run, run.indexAtLine(4));
    expect(md.startsWith('**Line 4** (step 4 of 6, toy6)')).toBe(true);
    expect(md).toContain('A: the write user of VA 5 gives fault W (PTE mem\\[8 + 0\\] = mem\\[8\\] = 29 = 0b011 101 (frame 3, U=1 W=0 P=1); W is clear: a read-only page)');
    expect(md).toContain('$(warning) fault W: user write of VA 5');
  });

  it('a poke of a page-table cell reads as a PTE', () => {
    expect(toy6HoverMarkdown(run, run.indexAtLine(2))).toContain('cell 8 (frame 1, offset 0) holds 29; as a PTE it would be 29 = 0b011 101 (frame 3, U=1 W=0 P=1)');
    const later = runToy6('set machine toy6\nA = process cr3 8\npoke 10 0b101011\n');
    if (!later.ok) throw new Error('does not run');
    expect(toy6HoverMarkdown(later.run, 2)).toContain('cell 10 is the PTE of page 2 in the table of A: 43 = 0b101 011 (frame 5, U=0 W=1 P=1)');
  });

  it('an expect that fails, and a show', () => {
    expect(toy6HoverMarkdown(run, run.indexAtLine(5))).toContain('$(error) expect failed: expect A 5 read pa 30: expected pa 30, but the read user gives PA 29');
    expect(toy6HoverMarkdown(run, run.indexAtLine(6))).toContain('```\nwalk of A VA 5 = 0b000 101: page 0, offset 5\n');
  });
});
