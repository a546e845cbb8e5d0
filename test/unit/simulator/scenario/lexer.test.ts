// The lexer: words with exact 1-based columns, comments, blanks, line endings, BOM.
import { describe, expect, it } from 'vitest';
import { lex, lexLine, splitLines } from '../../../../simulator/scenario/lexer';

const words = (raw: string) => lexLine(raw, 1).tokens.map((t) => [t.text, t.column, t.endColumn]);

describe('lexer', () => {
  it('splits on blanks and counts columns from 1, endColumn one past the end', () => {
    expect(words('P = exec ./prog')).toEqual([['P', 1, 2], ['=', 3, 4], ['exec', 5, 9], ['./prog', 10, 16]]);
  });
  it('treats tabs and runs of blanks as separators, one column per tab', () => {
    expect(words('\tread\t \tP  R')).toEqual([['read', 2, 6], ['P', 9, 10], ['R', 12, 13]]);
  });
  it('starts a comment at # anywhere, even inside a word', () => {
    const line = lexLine('  read P R   # the whole mapping', 1);
    expect(line.tokens.map((t) => t.text)).toEqual(['read', 'P', 'R']);
    expect(line.text).toBe('read P R');
    expect(line.commentColumn).toBe(14);
    expect(words('exec P R#comment')).toEqual([['exec', 1, 5], ['P', 6, 7], ['R', 8, 9]]);
    expect(words('# only a comment')).toEqual([]);
    expect(lexLine('#', 1).text).toBe('');
  });
  it('keeps inner spacing in the statement text', () => {
    expect(lexLine('\t expect P R  Rss=4K\tPss=4K  # c', 1).text).toBe('expect P R  Rss=4K\tPss=4K');
  });
  it('splits lines at \\n, \\r\\n and a lone \\r, and drops a BOM', () => {
    expect(splitLines('a\nb\r\nc\rd')).toEqual(['a', 'b', 'c', 'd']);
    expect(splitLines('\uFEFFset seed 1\r\n')).toEqual(['set seed 1', '']);
    expect(splitLines('')).toEqual(['']);
  });
  it('numbers lines from 1, blank lines included, and columns after a BOM start at 1', () => {
    const lines = lex('\uFEFFset seed 1\r\n\r\n   \n  exit P\r');
    expect(lines.map((l) => [l.line, l.text])).toEqual([[1, 'set seed 1'], [2, ''], [3, ''], [4, 'exit P'], [5, '']]);
    expect(lines[0]?.tokens[0]).toEqual({ text: 'set', line: 1, column: 1, endColumn: 4 });
    expect(lines[3]?.tokens[1]).toEqual({ text: 'P', line: 4, column: 8, endColumn: 9 });
  });
  it('treats other white space (form feed, no-break space) as blanks', () => {
    expect(words('a\fb\u00a0c\vd')).toEqual([['a', 1, 2], ['b', 3, 4], ['c', 5, 6], ['d', 7, 8]]);
  });
});
