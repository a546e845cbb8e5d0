// `expect ...` (a field's value, a kill, a failed call) and `show ...` statements.
import { ERRNO_NAMES, KILL_SIGNALS, SHOW_WHATS, SMAPS_FIELDS, STATUS_FIELDS, type ErrnoName, type ExpectField, type KillSignal, type Name, type SmapsField, type StatusField, type Span, type Statement } from './ast';
import { didYouMean, quoteList } from './diagnostics';
import { spanOf } from './lexer';
import { Cursor, LineError, sizeOf, slice, TARGET_RULE, USAGE, type Base, type StatementScope } from './parse-cursor';
import { parseSize } from './sizes';

/** `expect R failed ERRNO` (R's mmap failed) or `expect failed ERRNO` (the call before failed). */
export function parseExpectFailed(scope: StatementScope, c: Cursor, base: Base): Statement {
  let region: Name | undefined;
  if (c.peek()?.text !== 'failed') {
    const token = c.take('a region name');
    const target = scope.useTarget(token);
    if (target.kind !== 'region') throw new LineError(`expected the name of an mmap's region before 'failed', found '${token.text}'`, spanOf(token));
    region = scope.nameOf(target.name);
  }
  c.take(`'failed'`);
  const errnoToken = c.take(`an errno name such as ENOMEM`);
  const errno = ERRNO_NAMES.find((e) => e === errnoToken.text.toUpperCase());
  if (errno === undefined) throw new LineError(`unknown errno '${errnoToken.text}'${didYouMean(errnoToken.text.toUpperCase(), ERRNO_NAMES)}; expected a name such as ENOMEM, EINVAL, EACCES or EEXIST`, spanOf(errnoToken));
  if (errno !== errnoToken.text) scope.warn(`errno names are upper case: '${errno}'`, spanOf(errnoToken));
  c.end();
  return { kind: 'expectFailed', line: base.line, text: base.text, column: base.column, ...(region ? { region } : {}), errno: errno as ErrnoName };
}

export function parseExpect(scope: StatementScope, c: Cursor, base: Base): Statement {
  c.usage = USAGE.expect;
  if (c.peek()?.text === 'failed' || c.peek(1)?.text === 'failed') return parseExpectFailed(scope, c, base);
  const process = scope.useProcess(c.take('a process name'));
  const targetToken = c.take(`${TARGET_RULE}, or 'killed'`);
  if (targetToken.text === 'killed') {
    if (c.remaining === 0) return { kind: 'expectKilled', line: base.line, text: base.text, column: base.column, process, signal: 'SIGSEGV' };
    const signalToken = c.take(quoteList(KILL_SIGNALS));
    const text = signalToken.text;
    if (!(KILL_SIGNALS as readonly string[]).includes(text)) {
      const upper = /^sig/i.test(text) ? text.toUpperCase() : 'SIG' + text.toUpperCase();
      const hint = (KILL_SIGNALS as readonly string[]).includes(upper) ? ` (did you mean '${upper}'?)` : didYouMean(text, KILL_SIGNALS);
      throw new LineError(`unknown signal '${text}'${hint}; expected ${quoteList(KILL_SIGNALS)}`, spanOf(signalToken));
    }
    c.end();
    return { kind: 'expectKilled', line: base.line, text: base.text, column: base.column, process, signal: KILL_SIGNALS.find((k) => k === text) as KillSignal };
  }
  const target = scope.useTarget(targetToken);
  const fields: ExpectField[] = [];
  const seen = new Map<string, number>();
  if (c.remaining === 0) c.take('at least one FIELD=SIZE (e.g. Rss=32K)');
  while (c.remaining > 0) {
    const { field, fieldSpan } = parseField(c);
    const earlier = seen.get(field.field);
    if (earlier !== undefined) scope.warn(`${field.field} is already expected in this statement (column ${earlier})`, fieldSpan);
    else seen.set(field.field, fieldSpan.column);
    fields.push(field);
  }
  return { kind: 'expect', line: base.line, text: base.text, column: base.column, process, target, fields };
}

/** `Rss=32K` (also `Rss = 32K`, `Rss=32 kB`), and where its field name is. */
export function parseField(c: Cursor): { field: ExpectField; fieldSpan: Span } {
  const first = c.take('FIELD=SIZE');
  let last = first;
  let text = first.text;
  if (!text.includes('=') && c.peek()?.text.startsWith('=')) {
    last = c.take('=');
    text += last.text;
  }
  if (text.endsWith('=') && c.peek() !== undefined && !c.peek()?.text.includes('=')) {
    last = c.take('a size');
    text += last.text;
  }
  const eq = text.indexOf('=');
  if (eq < 0) throw new LineError(`expected FIELD=SIZE (e.g. Rss=32K), found '${first.text}'`, spanOf(first));
  const name = text.slice(0, eq);
  if (name === '') throw new LineError(`expected a field name before '=' (e.g. Rss=32K)`, spanOf(first));
  const fieldSpan: Span = { line: first.line, column: first.column, endColumn: first.column + name.length };
  const source = (SMAPS_FIELDS as readonly string[]).includes(name) ? 'smaps' : (STATUS_FIELDS as readonly string[]).includes(name) ? 'status' : undefined;
  if (source === undefined) {
    const guess = didYouMean(name, [...SMAPS_FIELDS, ...STATUS_FIELDS]);
    throw new LineError(`unknown field '${name}'${guess}; expected an smaps field (${SMAPS_FIELDS.join(', ')}) or a status field (${STATUS_FIELDS.join(', ')})`, fieldSpan);
  }
  // The value is in the last token: after its '=', or the whole token.
  const lastEq = last.text.indexOf('=');
  let valueToken = lastEq >= 0 ? slice(last, lastEq + 1) : last;
  let valueText = text.slice(eq + 1);
  if (valueText === '') throw new LineError(`expected a size after '${name}=' (e.g. ${name}=32K)`, { line: last.line, column: last.endColumn, endColumn: last.endColumn + 1 });
  if (/^\d+$|^0x[0-9a-f]+$/i.test(valueText) && c.peek()?.text === 'kB') {
    const unit = c.take('kB');
    valueText += 'kB';
    valueToken = { text: valueText, line: valueToken.line, column: valueToken.column, endColumn: unit.endColumn };
  }
  const valueSpan = spanOf(valueToken);
  const result = parseSize(valueText);
  if (!result.ok) throw new LineError(`${name}: ${result.message}`, valueSpan);
  if (result.value % 1024n !== 0n) {
    throw new LineError(
      `${name}=${valueText}: smaps counts whole kB, and a value without a suffix is in bytes, so it must be a multiple of 1024 (did you mean ${valueText}K?)`,
      valueSpan,
    );
  }
  const field = [...SMAPS_FIELDS, ...STATUS_FIELDS].find((f) => f === name) as SmapsField | StatusField;
  return { field: { field, source, value: result.value }, fieldSpan };
}

export function parseShow(scope: StatementScope, c: Cursor, base: Base): Statement {
  c.usage = USAGE.show;
  const whatToken = c.take(quoteList(SHOW_WHATS));
  const whatSpan = spanOf(whatToken);
  switch (whatToken.text) {
    case 'maps':
    case 'rollup':
    case 'status': {
      const what = SHOW_WHATS.find((w) => w === whatToken.text) as 'maps' | 'rollup' | 'status';
      c.usage = `show ${what} P`;
      const process = scope.useProcess(c.take('a process name'));
      c.end();
      return { kind: 'show', line: base.line, text: base.text, column: base.column, what, process };
    }
    case 'meminfo':
      c.usage = 'show meminfo';
      c.end();
      return { kind: 'show', line: base.line, text: base.text, column: base.column, what: 'meminfo' };
    case 'smaps': {
      c.usage = 'show smaps P [R]';
      const process = scope.useProcess(c.take('a process name'));
      const targetToken = c.peek();
      if (targetToken === undefined) return { kind: 'show', line: base.line, text: base.text, column: base.column, what: 'smaps', process };
      const target = scope.useTarget(c.take(TARGET_RULE));
      c.end();
      return { kind: 'show', line: base.line, text: base.text, column: base.column, what: 'smaps', process, target };
    }
    case 'pagetable': {
      c.usage = 'show pagetable P R [OFF]';
      const process = scope.useProcess(c.take('a process name'));
      const target = scope.useTarget(c.take(TARGET_RULE));
      const offsetToken = c.peek();
      if (offsetToken === undefined) return { kind: 'show', line: base.line, text: base.text, column: base.column, what: 'pagetable', process, target };
      c.take('an offset');
      const offset = sizeOf(offsetToken);
      c.end();
      return { kind: 'show', line: base.line, text: base.text, column: base.column, what: 'pagetable', process, target, offset };
    }
  }
  throw new LineError(`expected ${quoteList(SHOW_WHATS)} after 'show', found '${whatToken.text}'${didYouMean(whatToken.text, SHOW_WHATS)}`, whatSpan);
}
