// Where a scenario's text changed from its last version, in lines, found from the characters the
// two texts share at their start and at their end: a keystroke in a 10,000-line scenario is then
// parsed again without splitting the whole text into lines (parse-lines.ts parseChanged).
import { upperBound } from '../mm/sorted';

/**
 * Where each line of a text starts, for a text whose lines all end with `\n` (the last one has none);
 * undefined for a text with a `\r` or a byte order mark, whose line ends the general split handles.
 */
export function lineStarts(text: string): Int32Array | undefined {
  if (!plainLines(text)) return undefined;
  const starts = new Int32Array(newlines(text, 0, text.length) + 1);
  let line = 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) starts[line++] = at + 1;
  return starts;
}

/**
 * The lines of `text` against an earlier version: the first `head` and the last `tail` lines are
 * the earlier version's, and `middle` holds the new lines between them. `tail` is 0 unless the two
 * have as many lines (the lines after a change keep their numbers only then). `starts` are the new
 * text's line starts.
 */
export interface LineChange {
  readonly head: number;
  readonly middle: readonly string[];
  readonly tail: number;
  readonly starts: Int32Array;
}

/** Characters compared at once while looking for the first and the last that differ. */
const CHUNK = 1024;

/** How `text` differs in lines from `old`, whose line starts are `oldStarts`; undefined where lineStarts would be. */
export function lineChange(old: string, oldStarts: Int32Array, text: string): LineChange | undefined {
  if (!plainLines(text)) return undefined;
  const shortest = Math.min(old.length, text.length);
  // Compared a chunk at a time first: V8 compares two strings natively, many times faster than a loop.
  let prefix = 0;
  while (prefix + CHUNK <= shortest && old.slice(prefix, prefix + CHUNK) === text.slice(prefix, prefix + CHUNK)) prefix += CHUNK;
  while (prefix < shortest && old.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix + CHUNK <= shortest - prefix && old.slice(old.length - suffix - CHUNK, old.length - suffix) === text.slice(text.length - suffix - CHUNK, text.length - suffix)) suffix += CHUNK;
  while (suffix < shortest - prefix && old.charCodeAt(old.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)) suffix++;
  const oldCount = oldStarts.length;
  // The lines kept at the start end, with their `\n`, within the shared prefix: those before the last line starting in it.
  const head = upperBound(oldStarts, prefix) - 1;
  // The lines kept at the end start, with the `\n` before them, within the shared suffix. (The prefix
  // and the suffix do not overlap, so these lines all come after the head's.)
  let tail = oldCount - upperBound(oldStarts, old.length - suffix);
  // The new text's lines: the old count, less the line ends in the old text's changed characters, plus the new text's.
  const count = oldCount - newlines(old, prefix, old.length - suffix) + newlines(text, prefix, text.length - suffix);
  if (count !== oldCount) tail = 0;
  const delta = text.length - old.length;
  const from = oldStarts[head]!;
  const to = tail ? oldStarts[oldCount - tail]! + delta - 1 : text.length;
  const middle = text.slice(from, to).split('\n');
  const starts = new Int32Array(count);
  starts.set(oldStarts.subarray(0, head));
  let at = from;
  for (let i = 0; i < middle.length; i++) {
    starts[head + i] = at;
    at += middle[i]!.length + 1;
  }
  for (let i = 0; i < tail; i++) starts[count - tail + i] = oldStarts[oldCount - tail + i]! + delta;
  return { head, middle, tail, starts };
}

/** Whether every line of the text ends with `\n` alone, and it has no byte order mark. */
const plainLines = (text: string) => text.charCodeAt(0) !== 0xfeff && !text.includes('\r');

/** The `\n`s in text[from, to). */
function newlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let at = text.indexOf('\n', from); at >= 0 && at < to; at = text.indexOf('\n', at + 1)) n++;
  return n;
}
