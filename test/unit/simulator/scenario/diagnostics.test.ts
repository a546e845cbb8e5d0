// Diagnostics: the file:line:column format and the "did you mean" suggestions.
import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, formatDiagnostic, hasErrors, quoteList, suggest } from '../../../../simulator/scenario/diagnostics';
import { binaryInputProblem } from '../../../../simulator/scenario/binary-input';
import { parseScenario } from '../../../../simulator/scenario/parser';

describe('diagnostics', () => {
  it('formats errors as file:line:column: message and warnings with warning:', () => {
    const span = { line: 12, column: 7, endColumn: 9 };
    expect(formatDiagnostic('cow.aspace', { severity: 'error', message: `expected 'private' or 'shared', found 'privat'`, span })).toBe(
      `cow.aspace:12:7: expected 'private' or 'shared', found 'privat'`,
    );
    expect(formatDiagnostic('dir/a.aspace', { severity: 'warning', message: 'x', span })).toBe('dir/a.aspace:12:7: warning: x');
  });
  it('cuts a quoted word past 60 characters, by code points, and leaves sentences between quotes whole', () => {
    const at = (message: string) => formatDiagnostic('a.aspace', { severity: 'error', message, span: { line: 3, column: 8, endColumn: 20 } }).slice('a.aspace:3:8: '.length);
    expect(at(`found '${'A'.repeat(500)}'`)).toBe(`found '${'A'.repeat(59)}…'`);
    // Exactly 60 characters stay; a surrogate pair is not cut in half.
    expect(at(`'${'B'.repeat(60)}'`)).toBe(`'${'B'.repeat(60)}'`);
    expect(at(`'${'😀'.repeat(70)}'`)).toBe(`'${'😀'.repeat(59)}…'`);
    // The text between two quotations has blanks: it is no quoted word, however long.
    const sentence = `'R1' is a region (line 4), not a process, and it cannot be used in this place at all, says 'x'`;
    expect(at(sentence)).toBe(sentence);
  });
  it('finds binary input: an ELF file, or the first NUL byte with its line and column as the lexer counts them', () => {
    expect(binaryInputProblem('\x7fELF\x02\x01\x01')).toMatchObject({ severity: 'error', span: { line: 1, column: 1 }, message: expect.stringContaining('ELF file') });
    expect(binaryInputProblem('P = exec a\r\nQ = fork P\rx\ny = \0z')).toMatchObject({ span: { line: 4, column: 5, endColumn: 6 }, message: expect.stringContaining('NUL byte') });
    expect(binaryInputProblem('P = exec a\n# ünïcode\n')).toBeUndefined();
    // One diagnostic for the whole file, instead of one per "line" of binary data.
    expect(parseScenario(`\x7fELF${'\n\x01garbage'.repeat(100)}`, 'elf.aspace').diagnostics).toHaveLength(1);
  });
  it('tells errors from warnings', () => {
    const span = { line: 1, column: 1, endColumn: 2 };
    expect(hasErrors([])).toBe(false);
    expect(hasErrors([{ severity: 'warning', message: '', span }])).toBe(false);
    expect(hasErrors([{ severity: 'warning', message: '', span }, { severity: 'error', message: '', span }])).toBe(true);
  });
  it('suggests close words', () => {
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('privat', 'private')).toBe(1);
    expect(editDistance('rdea', 'read')).toBe(2);
    expect(editDistance('raed', 'read')).toBe(1);
    expect(suggest('RSS', ['Rss', 'Pss'])).toBe('Rss');
    expect(suggest('shard', ['private', 'shared'])).toBe('shared');
    expect(suggest('zzzzzz', ['private', 'shared'])).toBeUndefined();
    expect(didYouMean('munmpa', ['munmap', 'mprotect'])).toBe(` (did you mean 'munmap'?)`);
    expect(didYouMean('munmap', ['munmap'])).toBe('');
    expect(didYouMean('q', ['munmap'])).toBe('');
  });
  it('quotes lists', () => {
    expect(quoteList([])).toBe('');
    expect(quoteList(['a'])).toBe(`'a'`);
    expect(quoteList(['a', 'b'])).toBe(`'a' or 'b'`);
    expect(quoteList(['a', 'b', 'c'])).toBe(`'a', 'b' or 'c'`);
  });
});
