// Diagnostics of a scenario: what is wrong, where, and how bad.
import type { Span } from './ast';

/** A problem found in a scenario file. Any `error` means the scenario cannot run. */
export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** Where: 1-based line and column; `endColumn` is one past the last character. */
  readonly span: Span;
}

/**
 * `file:line:column: message`, as `asx run` prints a scenario that cannot run.
 * Warnings print as `file:line:column: warning: message`. A quoted word past QUOTED_LIMIT
 * characters is cut with `…` (a line of binary data can be one long word).
 */
export function formatDiagnostic(fileName: string, diagnostic: Diagnostic): string {
  const { line, column } = diagnostic.span;
  const prefix = diagnostic.severity === 'warning' ? 'warning: ' : '';
  return `${fileName}:${line}:${column}: ${prefix}${diagnostic.message.replace(LONG_QUOTE, (_, quoted: string) => `'${Array.from(quoted).slice(0, QUOTED_LIMIT - 1).join('')}…'`)}`;
}

const QUOTED_LIMIT = 60;
/** A quoted word: the lexer splits at blanks, so a word from the file has none (the text between two quotations has). */
const LONG_QUOTE = new RegExp(`'([^'\\s]{${QUOTED_LIMIT + 1},})'`, 'gu');

/** True if any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Edit distance (insertions, deletions, substitutions, and swaps of neighbours). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      d[i * cols + j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The candidate `word` was most likely meant to be, if any is close: equal but
 * for case, or within an edit distance of a third of the longer length
 * (so one-letter names never suggest each other).
 */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const sameCase = candidates.find((c) => c.toLowerCase() === lower);
  if (sameCase !== undefined) return sameCase;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    const limit = Math.floor(Math.max(candidate.length, word.length) / 3);
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** ` (did you mean 'x'?)` when a candidate is close, else the empty string. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const guess = suggest(word, candidates);
  return guess === undefined || guess === word ? '' : ` (did you mean '${guess}'?)`;
}

/** `'a'`, `'a' or 'b'`, `'a', 'b' or 'c'`. */
export function quoteList(words: readonly string[]): string {
  const quoted = words.map((w) => `'${w}'`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}
