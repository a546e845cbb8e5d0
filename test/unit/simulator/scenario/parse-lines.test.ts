// As you type, a scenario is parsed again only where it changed: the result is the whole parse's.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario, type ParseResult } from '../../../../simulator/scenario/parser';
import { lineChange, lineStarts } from '../../../../simulator/scenario/text-change';
import { EXAMPLES } from '../inspect/run-scenario';

let fresh = 0;
/** A parse with no earlier version of the file to reuse. */
const whole = (text: string): ParseResult => parseScenario(text, `whole-${fresh++}.aspace`);

/** Parses `before` then `after` as one file being edited; the second parse must be the whole parse of `after`. */
function edited(before: string, after: string): ParseResult {
  parseScenario(before, 'edited.aspace');
  const result = parseScenario(after, 'edited.aspace');
  expect(result).toEqual(whole(after));
  return result;
}

const base = ['set swap 16M', 'P = exec hello/hello', 'A = mmap P 64K rw- private anon', 'write P A', 'Q = fork P', 'write Q A 4K 4K', 'exit Q', 'read P A', 'munmap P A 0 4K', 'show smaps P A'];
const text = (lines: string[]) => `${lines.join('\n')}\n`;
const withLine = (i: number, line: string) => text(base.map((l, j) => (j === i ? line : l)));

describe('incremental parsing', () => {
  it('a keystroke in the last statement keeps every other statement object', () => {
    const before = parseScenario(text(base), 'edited.aspace');
    const after = edited(text(base), withLine(9, 'show smaps P'));
    expect(after.statements.slice(0, 9).every((s, i) => s === before.statements[i])).toBe(true);
    expect(after.statements[9]).not.toBe(before.statements[9]);
  });

  it('lines after an edit that changes the names are parsed again (undefined names, exits, redefinitions)', () => {
    const after = edited(text(base), withLine(2, 'B = mmap P 64K rw- private anon'));
    expect(after.diagnostics.map((d) => d.span.line)).toEqual([4, 6, 8, 9, 10]);
    expect(edited(text(base), withLine(6, 'exit P')).diagnostics.map((d) => [d.span.line, d.severity])).toEqual([[8, 'warning'], [9, 'warning'], [10, 'warning']]);
    expect(edited(text(base), withLine(6, '# exit Q')).diagnostics).toEqual([]);
    expect(edited(text(base), withLine(5, 'A = mmap Q 4K r-- private anon')).diagnostics.map((d) => d.message)).toEqual([expect.stringContaining("'A' is already defined")]);
    expect(edited(text(base), withLine(0, 'set ram 64M')).diagnostics).toEqual([]);
    expect(edited(text(base), text(['set ram 64M', ...base.slice(1), 'set ram 32M'])).diagnostics.map((d) => d.span.line)).toEqual([11]);
  });

  it('lines added or removed move the lines after them', () => {
    const inserted = edited(text(base), text([...base.slice(0, 4), 'write P A 8K', ...base.slice(4)]));
    expect(inserted.statements.map((s) => s.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const removed = edited(text(base), text([...base.slice(0, 3), ...base.slice(4)]));
    expect(removed.statements.map((s) => s.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    edited(text(base), `\uFEFF${text(base).replace(/\n/g, '\r\n')}`);
    edited(text(base), '');
    edited('', text(base));
  });

  it('every example edited line by line (a line removed, a line doubled) parses as a whole', () => {
    for (const file of readdirSync(EXAMPLES).filter((f) => f.endsWith('.aspace'))) {
      const lines = readFileSync(join(EXAMPLES, file), 'utf8').split('\n');
      for (let i = 0; i < lines.length; i += 3) {
        edited(lines.join('\n'), [...lines.slice(0, i), ...lines.slice(i + 1)].join('\n'));
        edited(lines.join('\n'), [...lines.slice(0, i), lines[i]!, ...lines.slice(i)].join('\n'));
        edited(lines.join('\n'), lines.map((l, j) => (j === i ? `${l}x` : l)).join('\n'));
      }
    }
  });

  it('random edits of characters, new lines among them, parse as a whole after each one', () => {
    // A seeded generator: the same edits on every run.
    let seed = 12345;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pieces = ['\n', ' ', 'K', '4', 'P', 'A', 'x', '#', '=', 'write P A', 'exit Q', 'B = mmap P 8K rw- private anon', '\n\n'];
    for (const file of readdirSync(EXAMPLES).filter((f) => f.endsWith('.aspace')).slice(0, 6)) {
      let current = readFileSync(join(EXAMPLES, file), 'utf8');
      const name = `random-${file}`;
      parseScenario(current, name);
      for (let i = 0; i < 60; i++) {
        const at = random(current.length + 1);
        const cut = random(3) === 0 ? random(12) : 0;
        const next = current.slice(0, at) + (random(4) === 0 ? '' : pieces[random(pieces.length)]) + current.slice(at + cut);
        expect(parseScenario(next, name)).toEqual(whole(next));
        current = next;
      }
    }
  });

  it('the lines a change keeps and the ones it makes are those of the new text split whole', () => {
    const texts = ['', '\n', 'a', 'a\nb', 'a\nb\n', 'a\n\nb\nc', 'abc\nabc\nabc\n', 'x\ny\nz'];
    for (const old of texts) {
      for (const text of texts) {
        const change = lineChange(old, lineStarts(old)!, text)!;
        const kept = old.split('\n');
        const lines = [...kept.slice(0, change.head), ...change.middle, ...kept.slice(kept.length - change.tail)];
        expect(lines, `${JSON.stringify(old)} -> ${JSON.stringify(text)}`).toEqual(text.split('\n'));
        expect(change.starts).toEqual(lineStarts(text));
      }
    }
    expect(lineChange('a', lineStarts('a')!, 'a\r\nb')).toBeUndefined();
    expect(lineStarts('\uFEFFa')).toBeUndefined();
  });
});
