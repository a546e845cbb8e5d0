// The lexer of the `.aspace` scenario language: lines of blank-separated
// words, `#` comments, with 1-based columns as an editor counts them.
import type { Span } from './ast';

/** A word of a line. Columns are 1-based UTF-16 positions; `endColumn` is one past the last character. */
export interface Token {
  readonly text: string;
  readonly line: number;
  readonly column: number;
  readonly endColumn: number;
}

/** One source line, split into tokens. */
export interface LexedLine {
  /** 1-based line number. */
  readonly line: number;
  /** The line as in the file, without its line terminator (and without a leading BOM). */
  readonly raw: string;
  /** The statement text: from the first token to the end of the last, comment removed. */
  readonly text: string;
  readonly tokens: readonly Token[];
  /** Where the comment starts (1-based column of `#`), if the line has one. */
  readonly commentColumn?: number;
}

/** Blanks between tokens: spaces, tabs, a stray `\r`, and other non-newline white space. */
const BLANK = /[^\S\n]/;

/** BLANK.test for the character at i, without a regular expression for ASCII (tab, \v, \f, \r, space). */
function isBlank(raw: string, i: number): boolean {
  const code = raw.charCodeAt(i);
  if (code < 128) return code === 32 || (code >= 9 && code <= 13 && code !== 10);
  return BLANK.test(raw[i]!);
}

/**
 * The lines of `source`: a leading UTF-8 BOM is dropped; `\r\n`, `\n` and a
 * lone `\r` all end a line, as in an editor.
 */
export function splitLines(source: string): string[] {
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  return text.split(/\r\n|\r|\n/);
}

/** The tokens of one line (`#` to the end of the line is a comment). */
export function lexLine(raw: string, line: number): LexedLine {
  const tokens: Token[] = [];
  let commentColumn: number | undefined;
  let i = 0;
  while (i < raw.length) {
    if (raw.charCodeAt(i) === 35 /* # */) {
      commentColumn = i + 1;
      break;
    }
    if (isBlank(raw, i)) {
      i++;
      continue;
    }
    const start = i;
    while (i < raw.length && raw.charCodeAt(i) !== 35 && !isBlank(raw, i)) i++;
    tokens.push({ text: raw.slice(start, i), line, column: start + 1, endColumn: i + 1 });
  }
  const first = tokens[0];
  const last = tokens[tokens.length - 1];
  const text = first && last ? raw.slice(first.column - 1, last.endColumn - 1) : '';
  return commentColumn === undefined ? { line, raw, text, tokens } : { line, raw, text, tokens, commentColumn };
}

/** Every line of `source`, blank and comment-only lines included (with no tokens). */
export function lex(source: string): LexedLine[] {
  return splitLines(source).map((raw, index) => lexLine(raw, index + 1));
}

/** The span of a token. */
export function spanOf(token: Token): Span {
  return { line: token.line, column: token.column, endColumn: token.endColumn };
}

/** The span from the start of `first` to the end of `last`. */
export function spanBetween(first: Token, last: Token): Span {
  return { line: first.line, column: first.column, endColumn: last.endColumn };
}
