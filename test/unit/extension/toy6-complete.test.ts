// Completions of toy6 scenarios: statements, process names, and each statement's next words.
import { describe, expect, it } from 'vitest';
import { completeAt } from '../../../extension/scenario/language/complete';

const LINES = ['set machine toy6', 'poke 8 0b011111', 'A = process cr3 8', 'B = process cr3 16', ''];
const at = (text: string) => {
  const lines = [...LINES.slice(0, -1), text];
  return completeAt(lines, lines.length - 1, text.length).entries.map((e) => e.label);
};

describe('toy6 completions', () => {
  it('offers the toy6 statements at the start of a line, not the Linux ones', () => {
    expect(at('')).toEqual(['poke', 'process', 'read', 'write', 'expect', 'show']);
  });

  it('offers processes, privileges, expectations and fault bits in turn', () => {
    expect(at('read ')).toEqual(['B', 'A']);
    expect(at('read A 5 ')).toEqual(['user', 'kernel']);
    expect(at('write A 5 1 ')).toEqual(['user', 'kernel']);
    expect(at('expect A 5 ')).toEqual(['read', 'write']);
    expect(at('expect A 5 write ')).toEqual(['user', 'kernel', 'pa', 'value', 'fault']);
    expect(at('expect A 5 write kernel ')).toEqual(['pa', 'value', 'fault']);
    expect(at('expect A 5 write kernel fault ')).toEqual(['P', 'U', 'W']);
    expect(at('show ')).toEqual(['pagetable', 'physmem']);
    expect(at('show pagetable ')).toEqual(['B', 'A']);
    expect(at('C = ')).toEqual(['process']);
    expect(at('C = process ')).toEqual(['cr3']);
  });

  it('a Linux scenario keeps its own completions', () => {
    expect(completeAt(['P = exec hello/hello', ''], 1, 0).entries.map((e) => e.label)).toContain('mmap anon');
  });
});
