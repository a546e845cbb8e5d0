// The toy6 parser on damaged lines: it never throws, and each bad line is one error on that line.
import { describe, expect, it } from 'vitest';
import { isToy6Scenario, parseToy6 } from '../../../../simulator/toy6/parser';
import { runToy6 } from '../../../../simulator/toy6/run';

const GOOD = [
  'set machine toy6',
  'poke 0x08 0b011101',
  'A = process cr3 8',
  'B = process cr3 0b010000',
  'read A 5',
  'write A 13 42 kernel',
  'expect A 5 read user pa 29',
  'expect B 0x3f write kernel fault P',
  'expect A 5 read value 0',
  'show pagetable A',
  'show pagetable B 63',
  'show physmem   # the whole memory',
];

function generator(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (Math.imul(a ^ (a >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return a / 4294967296;
  };
}

const JUNK = ['', ' ', '#', '=', '-1', '64', '0x', '0b', '0b102', '99999999999999999999999', 'A', 'C', 'user', 'kernel', 'fault', 'pa', 'value', 'exec', 'mmap', '\u00e9', '\t', 'process', 'cr3', 'X'];

/** One damage: a character dropped, doubled or changed, a word dropped, swapped or replaced. */
function damage(line: string, random: () => number): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
  const at = Math.floor(random() * (line.length + 1));
  const words = line.split(' ');
  const w = Math.floor(random() * words.length);
  switch (Math.floor(random() * 6)) {
    case 0:
      return line.slice(0, at) + line.slice(at + 1);
    case 1:
      return line.slice(0, at) + line.charAt(at) + line.slice(at);
    case 2:
      return line.slice(0, at) + String.fromCharCode(32 + Math.floor(random() * 95)) + line.slice(at + 1);
    case 3:
      words.splice(w, 1);
      return words.join(' ');
    case 4:
      words.splice(w, 0, pick(JUNK));
      return words.join(' ');
    default:
      words[w] = pick(JUNK);
      return words.join(' ');
  }
}

describe('toy6 parser fuzz', () => {
  it('the undamaged scenario parses and runs', () => {
    const text = GOOD.join('\n');
    expect(isToy6Scenario(text)).toBe(true);
    expect(parseToy6(text).diagnostics).toEqual([]);
    expect(runToy6(text).ok).toBe(true);
  });

  it('P=process, P =process and P= process read as P = process, as in Linux scenarios', () => {
    const { statements, diagnostics } = parseToy6('set machine toy6\nB=process cr3 8\nC =process cr3 16\nD= process cr3 0\n');
    expect(diagnostics).toEqual([]);
    expect(statements.flatMap((s) => (s.kind === 'process' ? [[s.name, s.cr3, s.cr3Span.column]] : []))).toEqual([['B', 8, 15], ['C', 16, 16], ['D', 0, 16]]);
  });

  it('a process defined again is a warning, and the name is the new process from there on', () => {
    const text = ['set machine toy6', 'poke 8 0b011111', 'A = process cr3 0', 'A = process cr3 8', 'expect A 0 read pa 24'].join('\n');
    expect(parseToy6(text).diagnostics).toEqual([{ severity: 'warning', message: `process 'A' was defined at line 3; from here on it is the process with this cr3`, span: { line: 4, column: 1, endColumn: 2 } }]);
    const outcome = runToy6(text);
    expect(outcome.ok && outcome.run.failures).toEqual([]);
  });

  it('damaged lines: no throw, at most one error per line, each on its line with a one-line message', () => {
    const random = generator(18);
    for (let round = 0; round < 3000; round++) {
      const lines = [...GOOD];
      const index = 1 + Math.floor(random() * (lines.length - 1));
      lines[index] = damage(lines[index] as string, random);
      if (random() < 0.3) lines[index] = damage(lines[index] as string, random);
      const text = lines.join('\n');
      const { diagnostics } = parseToy6(text);
      const perLine = new Map<number, number>();
      for (const d of diagnostics) {
        if (d.severity === 'error') perLine.set(d.span.line, (perLine.get(d.span.line) ?? 0) + 1);
        expect(d.message).not.toMatch(/\n|internal error|undefined|NaN/);
        expect(d.span.line).toBeGreaterThanOrEqual(1);
        expect(d.span.line).toBeLessThanOrEqual(lines.length);
        expect(d.span.column).toBeGreaterThanOrEqual(1);
        expect(d.span.column).toBeLessThanOrEqual((lines[d.span.line - 1] ?? '').length + 1);
      }
      for (const count of perLine.values()) expect(count).toBe(1);
      // Without errors it runs; either way nothing throws.
      const outcome = runToy6(text);
      expect(outcome.ok).toBe(!diagnostics.some((d) => d.severity === 'error'));
    }
  });
});
