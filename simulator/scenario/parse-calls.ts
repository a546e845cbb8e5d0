// The calls on a region: `read`/`write`/`exec` accesses, `munmap`/`mprotect`/`madvise`/`mlock`... with their
// optional byte range, `mremap` and `brk`.
import { ACCESS_OPS, MADVISE_ADVICE, type AccessOp, type ByteRange, type MadviseAdvice, type Statement, type Target } from './ast';
import { didYouMean, quoteList } from './diagnostics';
import { spanOf, type Token } from './lexer';
import { Cursor, hex, LineError, parsePermissions, PERMS_RULE, sizeOf, slice, TARGET_RULE, USAGE, type Base, type StatementScope } from './parse-cursor';
import { isPageAligned, parseSize, PAGE_SIZE } from './sizes';

export function parseAccess(scope: StatementScope, c: Cursor, opToken: Token, base: Base): Statement {
  // The words a statement keeps are the constants of ast.ts, not each token's own copy of the text.
  const op = ACCESS_OPS.find((o) => o === opToken.text) as AccessOp;
  c.usage = `${op} P R [OFF [SIZE]]`;
  const process = scope.useProcess(c.take('a process name'));
  const target = scope.useTarget(c.take(TARGET_RULE));
  const offsetToken = c.peek();
  if (offsetToken === undefined) return { kind: 'access', line: base.line, text: base.text, column: base.column, op, process, target };
  c.take('an offset');
  const offset = sizeOf(offsetToken);
  const sizeToken = c.peek();
  if (sizeToken === undefined) {
    return { kind: 'access', line: base.line, text: base.text, column: base.column, op, process, target, offset };
  }
  c.take('a size');
  const size = sizeOf(sizeToken);
  if (size === 0n) throw new LineError(`${op} size must be greater than 0 (leave it out to ${op} one byte at the offset)`, spanOf(sizeToken));
  c.end();
  return {
    kind: 'access', line: base.line, text: base.text, column: base.column, op, process, target,
    offset, size,
  };
}

/** `OFF SIZE` of munmap/mprotect/madvise: the offset must be page-aligned, as the kernel wants the address. */
export function parseRange(scope: StatementScope, c: Cursor, call: string, target: Target): ByteRange {
  const offsetToken = c.take('an offset');
  const offset = sizeOf(offsetToken);
  const sizeToken = c.take('a size');
  const size = sizeOf(sizeToken);
  // The kernel's checks, as warnings: the call fails (or does nothing) and the scenario goes on.
  // do_mlock rounds the start down to a page: only the other calls want it aligned.
  const wantsAligned = call !== 'mlock' && call !== 'munlock';
  if (wantsAligned && target.kind !== 'address' && !isPageAligned(offset)) {
    scope.warn(`${call} offset ${offsetToken.text} (${hex(offset)}) is not a multiple of the page size ${PAGE_SIZE}: ${call} fails with EINVAL`, spanOf(offsetToken));
  } else if (wantsAligned && target.kind === 'address' && !isPageAligned(target.value + offset)) {
    scope.warn(`${call} address ${hex(target.value + offset)} is not page-aligned: ${call} fails with EINVAL`, spanOf(offsetToken));
  }
  if (size === 0n) {
    scope.warn(call === 'munmap' ? `size 0: munmap of length 0 fails with EINVAL` : `size 0: ${call} does nothing`, spanOf(sizeToken));
  }
  return { offset, size };
}

/** Whether `OFF SIZE` comes before the last operand (PERMS or the advice). */
export function hasRange(c: Cursor): boolean {
  const next = c.peek();
  return c.remaining >= 3 || (c.remaining === 2 && next !== undefined && parseSize(next.text).ok);
}

export function parseRangeCall(scope: StatementScope, c: Cursor, call: string, base: Base): Statement {
  const process = scope.useProcess(c.take('a process name'));
  if (call === 'munmap') {
    c.usage = USAGE.munmap;
    const target = scope.useTarget(c.take(TARGET_RULE));
    const range = c.remaining > 0 ? parseRange(scope, c, call, target) : undefined;
    c.end();
    return range ? { kind: 'munmap', line: base.line, text: base.text, column: base.column, process, target, range } : { kind: 'munmap', line: base.line, text: base.text, column: base.column, process, target };
  }
  if (call === 'mprotect') {
    c.usage = USAGE.mprotect;
    const target = scope.useTarget(c.take(TARGET_RULE));
    const range = hasRange(c) ? parseRange(scope, c, call, target) : undefined;
    const perms = parsePermissions(c.take(`permissions (${PERMS_RULE})`));
    c.end();
    return range ? { kind: 'mprotect', line: base.line, text: base.text, column: base.column, process, target, range, perms } : { kind: 'mprotect', line: base.line, text: base.text, column: base.column, process, target, perms };
  }
  c.usage = USAGE.madvise;
  const target = scope.useTarget(c.take(TARGET_RULE));
  const range = hasRange(c) ? parseRange(scope, c, call, target) : undefined;
  const adviceToken = c.take(quoteList(MADVISE_ADVICE));
  const text = adviceToken.text;
  if (!(MADVISE_ADVICE as readonly string[]).includes(text)) {
    const bare = text.replace(/^MADV_/i, '').toLowerCase();
    const hint = (MADVISE_ADVICE as readonly string[]).includes(bare) ? ` (did you mean '${bare}'?)` : didYouMean(text, MADVISE_ADVICE);
    throw new LineError(`unknown advice '${text}'${hint}; expected ${quoteList(MADVISE_ADVICE)}`, spanOf(adviceToken));
  }
  c.end();
  const advice = MADVISE_ADVICE.find((a) => a === text) as MadviseAdvice;
  return range
    ? { kind: 'madvise', line: base.line, text: base.text, column: base.column, process, target, range, advice }
    : { kind: 'madvise', line: base.line, text: base.text, column: base.column, process, target, advice };
}

/** `mremap P R NEWSIZE [maymove]`: R must be a region, the whole mapping it names. */
export function parseMremap(scope: StatementScope, c: Cursor, base: Base): Statement {
  c.usage = USAGE.mremap;
  const process = scope.useProcess(c.take('a process name'));
  const targetToken = c.take('a region name');
  const target = scope.useTarget(targetToken);
  if (target.kind !== 'region') throw new LineError(`mremap acts on a whole mapping named by a region (R = mmap ...), not on ${target.kind === 'address' ? 'an address' : `'${target.kind}'`}`, spanOf(targetToken));
  const sizeToken = c.take('the new size');
  const newSize = sizeOf(sizeToken);
  if (newSize === 0n) throw new LineError(`mremap to size 0 fails with EINVAL`, spanOf(sizeToken));
  const flag = c.peek();
  if (flag !== undefined && flag.text !== 'maymove') throw new LineError(`unexpected '${flag.text}'${didYouMean(flag.text, ['maymove'])}: expected 'maymove' or end of line (usage: ${USAGE.mremap})`, spanOf(flag));
  if (flag) c.take('maymove');
  c.end();
  return { kind: 'mremap', line: base.line, text: base.text, column: base.column, process, target, newSize, mayMove: flag !== undefined };
}

export function parseBrk(scope: StatementScope, c: Cursor, base: Base): Statement {
  c.usage = USAGE.brk;
  const process = scope.useProcess(c.take('a process name'));
  let first = c.take(`'+SIZE' or '-SIZE'`);
  let last = first;
  let text = first.text;
  // `+ 4K` reads as `+4K`.
  if ((text === '+' || text === '-') && c.peek() !== undefined) {
    last = c.take('a size');
    text += last.text;
  }
  const sign = text[0];
  if (sign !== '+' && sign !== '-') {
    throw new LineError(`expected '+SIZE' or '-SIZE' (the change of the program break, e.g. +64K), found '${text}'`, spanOf(first));
  }
  const magnitude = text.slice(1);
  if (magnitude === '') throw new LineError(`expected a size after '${sign}'`, spanOf(first));
  const result = parseSize(magnitude);
  if (!result.ok) {
    first = last === first ? slice(first, 1) : last;
    throw new LineError(result.message, spanOf(first));
  }
  c.end();
  return { kind: 'brk', line: base.line, text: base.text, column: base.column, process, delta: sign === '-' ? -result.value : result.value };
}
