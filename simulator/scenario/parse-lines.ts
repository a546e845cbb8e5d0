// Incremental parsing, as you type: a scenario is parsed line by line, and each line's result
// depends only on its text, its number and the names defined before it (the parser's state). An
// edit re-parses only the lines it changed; lines after them are kept as they are when the edit
// moves no line and leaves the names as they were.
import type { Statement } from './ast';
import type { Diagnostic } from './diagnostics';
import { lexLine, type LexedLine } from './lexer';

/** One source line parsed: its statement (if it parsed), its problems, and what it did to the parser's state. */
export interface ParsedLine<Effect> {
  /** The line as in the file, without its terminator. */
  readonly raw: string;
  readonly statement: Statement | undefined;
  readonly diagnostics: readonly Diagnostic[];
  /** Names defined, processes exited...: replayed to get the state after this line without parsing it again. */
  readonly effects: readonly Effect[];
}

/** A parser that goes line by line, its state changed only through effects. */
export interface LineParser<Effect> {
  parseLine(lexed: LexedLine): ParsedLine<Effect>;
  /** Applies what an earlier parse of a line did to the state. */
  apply(effects: readonly Effect[]): void;
  /** Whether the next line would parse the same after this parser as after `other`. */
  sameState(other: LineParser<Effect>): boolean;
}

/**
 * The lines of a text parsed, reusing `previous` (the parse of an earlier version of it): the lines
 * before the first changed one are kept, and the state there is rebuilt from their effects; the
 * lines after the last changed one are kept too when the number of lines is the same and the state
 * after the changed ones is the same as before the edit. Kept lines keep their Statement objects.
 */
export function parseLines<Effect>(raws: readonly string[], previous: readonly ParsedLine<Effect>[], fresh: () => LineParser<Effect>): ParsedLine<Effect>[] {
  let head = 0;
  while (head < raws.length && head < previous.length && raws[head] === previous[head]!.raw) head++;
  let tail = 0;
  if (raws.length === previous.length) {
    while (tail < raws.length - head && raws[raws.length - 1 - tail] === previous[previous.length - 1 - tail]!.raw) tail++;
  }
  return parseChanged(previous, head, raws.slice(head, raws.length - tail), tail, fresh);
}

/**
 * parseLines for a text whose first `head` and last `tail` lines are those of `previous` (with as
 * many lines in all when `tail` is not 0), and whose lines between them are `middle`.
 */
export function parseChanged<Effect>(previous: readonly ParsedLine<Effect>[], head: number, middle: readonly string[], tail: number, fresh: () => LineParser<Effect>): ParsedLine<Effect>[] {
  const parser = fresh();
  const lines = previous.slice(0, head);
  for (const line of lines) parser.apply(line.effects);
  for (let i = 0; i < middle.length; i++) lines.push(parser.parseLine(lexLine(middle[i]!, head + i + 1)));
  if (tail === 0) return lines;
  const changedEnd = previous.length - tail;
  const before = fresh();
  for (let i = 0; i < changedEnd; i++) before.apply(previous[i]!.effects);
  if (parser.sameState(before)) {
    for (let i = changedEnd; i < previous.length; i++) lines.push(previous[i]!);
  } else {
    for (let i = changedEnd; i < previous.length; i++) lines.push(parser.parseLine(lexLine(previous[i]!.raw, i + 1)));
  }
  return lines;
}

/**
 * The lines of a text parsed one at a time, for a parse that no later version of the text will
 * reuse (`asx run`): each line's parse can be dropped once it is used, so that a big scenario is
 * not held as a record of every line. Lines end as splitLines ends them.
 */
export function* parsedLines<Effect>(text: string, parser: LineParser<Effect>): Generator<ParsedLine<Effect>> {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // Without a carriage return, indexOf finds each line's end (a loop over the characters took as long as the lexer).
  const plain = !source.includes('\r');
  for (let start = 0, line = 1; ; line++) {
    let end = plain ? source.indexOf('\n', start) : start;
    if (end < 0) end = source.length;
    else if (!plain) while (end < source.length && source.charCodeAt(end) !== 10 && source.charCodeAt(end) !== 13) end++;
    yield parser.parseLine(lexLine(source.slice(start, end), line));
    if (end === source.length) return;
    start = end + (source.charCodeAt(end) === 13 && source.charCodeAt(end + 1) === 10 ? 2 : 1);
  }
}
