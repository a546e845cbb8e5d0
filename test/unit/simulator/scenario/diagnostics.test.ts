// Diagnostics: the file:line:column format and the "did you mean" suggestions.
import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, formatDiagnostic, hasErrors, quoteList, suggest } from '../../../../simulator/scenario/diagnostics';

describe('diagnostics', () => {
  it('formats errors as file:line:column: message and warnings with warning:', () => {
    const span = { line: 12, column: 7, endColumn: 9 };
    expect(formatDiagnostic('cow.aspace', { severity: 'error', message: `expected 'private' or 'shared', found 'privat'`, span })).toBe(
      `cow.aspace:12:7: expected 'private' or 'shared', found 'privat'`,
    );
    expect(formatDiagnostic('dir/a.aspace', { severity: 'warning', message: 'x', span })).toBe('dir/a.aspace:12:7: warning: x');
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
