// The parser of the `.aspace` scenario language, version 1: statements with
// their line and column, and every error of the file (at most one per line,
// with its exact span) together
// with the semantic checks that need no simulation — names used before they
// are defined, processes used after `exit`, bad permissions, zero sizes,
// unaligned offsets.
import { ASSIGNMENT_KEYWORDS, STATEMENT_KEYWORDS, type MmapBacking, type Name, type Span, type Statement, type Target, type Word } from './ast';
import { didYouMean, quoteList, suggest, type Diagnostic } from './diagnostics';
import { spanBetween, spanOf, splitLines, type LexedLine, type Token } from './lexer';
import { ANON, Cursor, HEAP, hex, isName, LineError, NAME_RULE, parsePermissions, PERMS_RULE, RESERVED_REGION_NAMES, sizeOf, splitAssignment, STACK, TARGET_RULE, USAGE, type Base, type StatementScope } from './parse-cursor';
import { parseAccess, parseBrk, parseMremap, parseRange, parseRangeCall } from './parse-calls';
import { parseExpect, parseShow } from './parse-expect-show';
import { parseChanged, parseLines, parsedLines, type LineParser, type ParsedLine } from './parse-lines';
import { lineChange, lineStarts } from './text-change';
import { upperBoundBy } from '../mm/sorted';
import { parseSet } from './parse-set';
import { isToy6Scenario, parseToy6 } from '../toy6/parser';
import { isPageAligned, parseAddress, PAGE_SIZE } from './sizes';
import { binaryInputProblem } from './binary-input';

/** What `parseScenario` found: the statements that parsed, and every problem. */
export interface ParseResult {
  /** Every statement that parsed, in order (also those with semantic errors). */
  readonly statements: readonly Statement[];
  /** Errors (at most one per line) and warnings, in line order. Any error: the scenario cannot run. */
  readonly diagnostics: readonly Diagnostic[];
}

interface SymbolInfo {
  readonly kind: 'process' | 'region';
  readonly line: number;
  exitedLine?: number;
}

/** What a line did to the parser's state, replayed to rebuild the state after it (see parse-lines.ts). */
type SymbolEffect =
  | { readonly define: string; readonly kind: 'process' | 'region'; readonly line: number }
  | { readonly exit: string; readonly line: number }
  | { readonly firstExec: number };

const NONE: readonly never[] = Object.freeze([]);

class ScenarioParser implements LineParser<SymbolEffect>, StatementScope {
  private readonly symbols = new Map<string, SymbolInfo>();
  /** Each name's Name and region Target, made once: the statements that use a name share them. */
  private readonly names = new Map<string, Name>();
  private readonly regionTargets = new Map<string, Target>();
  firstExecLine: number | undefined;
  /** The first semantic error of the current line (it does not stop the line). */
  private lineError: Diagnostic | undefined;
  /** The current line's warnings and effects, made at the first (most lines have neither, or one effect). */
  private lineWarnings: Diagnostic[] | undefined;
  private lineEffects: SymbolEffect[] | undefined;

  parseLine(lexed: LexedLine): ParsedLine<SymbolEffect> {
    const raw = lexed.raw;
    if (lexed.tokens.length === 0) return { raw, statement: undefined, diagnostics: NONE, effects: NONE };
    const tokens = splitAssignment(lexed.tokens);
    const first = tokens[0]!;
    const last = tokens[tokens.length - 1]!;
    const base: Base = { line: lexed.line, text: lexed.text, column: first.column };
    const cursor = new Cursor(tokens, lexed.line);
    let statement: Statement | undefined;
    try {
      statement = this.parseStatement(cursor, base);
    } catch (e) {
      if (e instanceof LineError) this.error(e.message, e.span);
      else this.error(`internal error while parsing this line: ${e instanceof Error ? e.message : String(e)}`, spanBetween(first, last));
    }
    const found = this.lineError ? [...(this.lineWarnings ?? []), this.lineError] : this.lineWarnings;
    found?.sort((a, b) => a.span.column - b.span.column);
    const parsed = { raw, statement, diagnostics: found ?? NONE, effects: this.lineEffects ?? NONE };
    // Ready for the next line.
    this.lineError = undefined;
    this.lineWarnings = undefined;
    this.lineEffects = undefined;
    return parsed;
  }

  apply(effects: readonly SymbolEffect[]): void {
    for (const effect of effects) this.applyOne(effect);
  }

  private applyOne(effect: SymbolEffect): void {
    if ('define' in effect) this.symbols.set(effect.define, { kind: effect.kind, line: effect.line });
    else if ('exit' in effect) (this.symbols.get(effect.exit) as SymbolInfo).exitedLine = effect.line;
    else this.firstExecLine ??= effect.firstExec;
  }

  /** Does `effect` now, and records it with the line's. */
  private record(effect: SymbolEffect): void {
    // An array of one: an empty array's first push gives it room for 17 (152 bytes a line, kept with the parse).
    if (this.lineEffects) this.lineEffects.push(effect);
    else this.lineEffects = [effect];
    this.applyOne(effect);
  }

  sameState(other: LineParser<SymbolEffect>): boolean {
    if (!(other instanceof ScenarioParser) || other.firstExecLine !== this.firstExecLine || other.symbols.size !== this.symbols.size) return false;
    // The same names in the same order: `did you mean` lists them in that order.
    const theirs = other.symbols.entries();
    for (const [name, info] of this.symbols) {
      const [otherName, otherInfo] = theirs.next().value as [string, SymbolInfo];
      if (otherName !== name || otherInfo.kind !== info.kind || otherInfo.line !== info.line || otherInfo.exitedLine !== info.exitedLine) return false;
    }
    return true;
  }

  /** Records the line's error unless an earlier one (to the left) was already found. */
  private error(message: string, span: Span): void {
    if (this.lineError === undefined) this.lineError = { severity: 'error', message, span };
  }

  warn(message: string, span: Span): void {
    (this.lineWarnings ??= []).push({ severity: 'warning', message, span });
  }

  private parseStatement(c: Cursor, base: Base): Statement {
    const head = c.take('a statement');
    const second = c.peek();
    if (second?.text === '=') {
      c.take('=');
      return this.parseAssignment(c, head, base);
    }
    switch (head.text) {
      case 'set':
        return parseSet(this, c, base);
      case 'exit': {
        c.usage = USAGE.exit;
        const process = this.useProcess(c.take('a process name'));
        c.end();
        const info = this.symbols.get(process.name);
        if (info?.kind === 'process' && info.exitedLine === undefined && this.lineError === undefined) this.record({ exit: process.name, line: base.line });
        return { kind: 'exit', line: base.line, text: base.text, column: base.column, process };
      }
      case 'read':
      case 'write':
      case 'exec':
        return parseAccess(this, c, head, base);
      case 'munmap':
      case 'mprotect':
      case 'madvise':
        return parseRangeCall(this, c, head.text, base);
      case 'msync': {
        c.usage = USAGE.msync;
        const process = this.useProcess(c.take('a process name'));
        const target = this.useTarget(c.take(TARGET_RULE));
        const range = c.remaining > 0 ? parseRange(this, c, 'msync', target) : undefined;
        c.end();
        return range ? { kind: 'msync', line: base.line, text: base.text, column: base.column, process, target, range } : { kind: 'msync', line: base.line, text: base.text, column: base.column, process, target };
      }
      case 'mlock':
      case 'munlock': {
        const kind = head.text === 'mlock' ? 'mlock' : 'munlock';
        c.usage = USAGE[kind];
        const process = this.useProcess(c.take('a process name'));
        const target = this.useTarget(c.take(TARGET_RULE));
        const range = c.remaining > 0 ? parseRange(this, c, kind, target) : undefined;
        c.end();
        return range ? { kind, line: base.line, text: base.text, column: base.column, process, target, range } : { kind, line: base.line, text: base.text, column: base.column, process, target };
      }
      case 'mremap':
        return parseMremap(this, c, base);
      case 'brk':
        return parseBrk(this, c, base);
      case 'dlopen': {
        c.usage = USAGE.dlopen;
        const process = this.useProcess(c.take('a process name'));
        const pathToken = c.take('a library name or path');
        c.end();
        return { kind: 'dlopen', line: base.line, text: base.text, column: base.column, process, path: { text: pathToken.text, column: pathToken.column } };
      }
      case 'reclaim': {
        c.usage = USAGE.reclaim;
        const token = c.take('a size');
        const size = sizeOf(token);
        if (size === 0n) throw new LineError(`reclaim size must be greater than 0`, spanOf(token));
        c.end();
        return { kind: 'reclaim', line: base.line, text: base.text, column: base.column, size };
      }
      case 'expect':
        return parseExpect(this, c, base);
      case 'show':
        return parseShow(this, c, base);
    }
    if (head.text === '=') throw new LineError(`expected a name before '=' (usage: ${USAGE.exec})`, spanOf(head));
    if (second !== undefined && (ASSIGNMENT_KEYWORDS as readonly string[]).includes(second.text) && isName(head.text)) {
      throw new LineError(`expected '=' between '${head.text}' and '${second.text}' (usage: ${USAGE[second.text as (typeof ASSIGNMENT_KEYWORDS)[number]]})`, spanOf(second));
    }
    const guess = suggest(head.text, [...STATEMENT_KEYWORDS, 'fork', 'mmap', 'thread']);
    const hint = guess === 'fork' || guess === 'mmap' || guess === 'thread' ? ` (did you mean 'NAME = ${guess} ...'?)` : didYouMean(head.text, STATEMENT_KEYWORDS);
    throw new LineError(
      `unknown statement '${head.text}'${hint}; expected 'NAME = exec|fork|mmap|thread ...' or one of ${quoteList(STATEMENT_KEYWORDS.filter((k) => k !== 'exec'))}`,
      spanOf(head),
    );
  }

  // --- names --------------------------------------------------------------

  /** A name being defined; checked now, recorded after the statement's operands. */
  private newName(token: Token, kind: 'process' | 'region'): Name {
    if (!isName(token.text)) throw new LineError(`bad ${kind} name '${token.text}': ${NAME_RULE}`, spanOf(token));
    if (kind === 'region' && RESERVED_REGION_NAMES.includes(token.text)) {
      throw new LineError(`'${token.text}' cannot name a region: it is a reserved word (${quoteList(RESERVED_REGION_NAMES)})`, spanOf(token));
    }
    return this.nameOf(token.text);
  }

  nameOf(text: string): Name {
    let name = this.names.get(text);
    if (name === undefined) this.names.set(text, (name = { name: text }));
    return name;
  }

  private define(token: Token, kind: 'process' | 'region', line: number): void {
    const name = this.nameOf(token.text);
    const previous = this.symbols.get(name.name);
    if (previous !== undefined && !(previous.kind === 'process' && previous.exitedLine !== undefined)) {
      this.warn(`'${name.name}' is already defined (a ${previous.kind}, line ${previous.line}); from here on it names the new ${kind}`, spanOf(token));
    }
    this.record({ define: name.name, kind, line });
  }

  private namesOf(kind: 'process' | 'region'): string[] {
    return [...this.symbols].filter(([, info]) => info.kind === kind).map(([name]) => name);
  }

  /** A process operand: it must be defined, and not have exited. */
  useProcess(token: Token): Name {
    if (!isName(token.text)) throw new LineError(`expected a process name, found '${token.text}'`, spanOf(token));
    const name = this.nameOf(token.text);
    const info = this.symbols.get(token.text);
    if (info === undefined) {
      this.error(`process '${token.text}' is not defined${didYouMean(token.text, this.namesOf('process'))}; define it first with '${token.text} = exec PATH' or '${token.text} = fork P'`, spanOf(token));
    } else if (info.kind !== 'process') {
      this.error(`'${token.text}' is a region (line ${info.line}), not a process`, spanOf(token));
    } else if (info.exitedLine !== undefined) {
      // Not an error: like a process killed by a fault, a process that has exited is
      // dead, and what the statement does then is up to the run (skipped, or a failed expect).
      this.warn(`process '${token.text}' exited at line ${info.exitedLine}: this statement acts on a dead process`, spanOf(token));
    }
    return name;
  }

  /** A target operand: a defined region, `heap`, `stack` or an address. */
  useTarget(token: Token): Target {
    const span = spanOf(token);
    const text = token.text;
    if (text === 'heap') return HEAP;
    if (text === 'stack') return STACK;
    if (/^0x/i.test(text)) {
      const address = parseAddress(text);
      if (!address.ok) throw new LineError(address.message, span);
      return { kind: 'address', value: address.value };
    }
    if (!isName(text)) {
      const hint = text.includes('=') ? ` before '${text}'` : `, found '${text}'`;
      throw new LineError(`expected ${TARGET_RULE}${hint}`, span);
    }
    const info = this.symbols.get(text);
    if (info === undefined) {
      this.error(`region '${text}' is not defined${didYouMean(text, [...this.namesOf('region'), 'heap', 'stack'])}; define it first with '${text} = mmap P SIZE PERMS ...', or use 'heap', 'stack' or an address 0x...`, span);
    } else if (info.kind !== 'region') {
      this.error(`'${text}' is a process (line ${info.line}), not a region; expected ${TARGET_RULE}`, span);
    }
    let target = this.regionTargets.get(text);
    if (target === undefined) this.regionTargets.set(text, (target = { kind: 'region', name: text }));
    return target;
  }

  // --- statements -----------------------------------------------------------

  private parseAssignment(c: Cursor, nameToken: Token, base: Base): Statement {
    const keyword = c.peek();
    if (keyword === undefined || !(ASSIGNMENT_KEYWORDS as readonly string[]).includes(keyword.text)) {
      const found = keyword === undefined ? 'end of line' : `'${keyword.text}'${didYouMean(keyword.text, ASSIGNMENT_KEYWORDS)}`;
      throw new LineError(`expected 'exec', 'fork', 'mmap' or 'thread' after '=', found ${found}`, keyword === undefined ? c.endSpan() : spanOf(keyword));
    }
    c.take('exec, fork, mmap or thread');
    const kind = keyword.text === 'mmap' ? 'region' : 'process';
    const name = this.newName(nameToken, kind);
    try {
      switch (keyword.text) {
        case 'exec': {
          c.usage = USAGE.exec;
          const pathToken = c.take('the path of an ELF file');
          const args: Word[] = [];
          for (let t = c.peek(); t !== undefined; t = c.peek()) args.push({ text: c.take('an argument').text, column: t.column });
          if (this.firstExecLine === undefined) this.record({ firstExec: base.line });
          return { kind: 'exec', line: base.line, text: base.text, column: base.column, process: name, path: { text: pathToken.text, column: pathToken.column }, args };
        }
        case 'fork': {
          c.usage = USAGE.fork;
          const parent = this.useProcess(c.take('the name of the process to fork'));
          c.end();
          return { kind: 'fork', line: base.line, text: base.text, column: base.column, child: name, parent };
        }
        case 'thread':
          return this.parseThread(c, name, base);
        default:
          return this.withNoreserve(c, () => this.parseMmap(c, name, base));
      }
    } finally {
      // Defined even if the rest of the line is wrong, so later lines do not cascade.
      this.define(nameToken, kind, base.line);
    }
  }

  /** `T = thread P [STACKSIZE]`: STACKSIZE at least PTHREAD_STACK_MIN (16K), or pthread_attr_setstacksize fails. */
  private parseThread(c: Cursor, thread: Name, base: Base): Statement {
    c.usage = USAGE.thread;
    const process = this.useProcess(c.take('the name of the process the thread runs in'));
    const sizeToken = c.peek() && c.take('a stack size');
    c.end();
    if (!sizeToken) return { kind: 'thread', line: base.line, text: base.text, column: base.column, thread, process };
    const stackSize = sizeOf(sizeToken);
    if (stackSize < 16384n) throw new LineError(`thread stack size ${sizeToken.text} is below PTHREAD_STACK_MIN (16K): pthread_attr_setstacksize fails with EINVAL`, spanOf(sizeToken));
    return { kind: 'thread', line: base.line, text: base.text, column: base.column, thread, process, stackSize };
  }

  private parseMmap(c: Cursor, region: Name, base: Base): Statement {
    c.usage = USAGE.mmap;
    const process = this.useProcess(c.take('a process name'));
    const sizeToken = c.take('the size of the mapping');
    const size = sizeOf(sizeToken);
    if (size === 0n) throw new LineError(`mmap size must be greater than 0 (mmap of length 0 fails with EINVAL)`, spanOf(sizeToken));
    const perms = parsePermissions(c.take(`permissions (${PERMS_RULE})`));
    const sharingToken = c.take(`'private' or 'shared'`);
    if (sharingToken.text !== 'private' && sharingToken.text !== 'shared') {
      throw new LineError(`expected 'private' or 'shared', found '${sharingToken.text}'${didYouMean(sharingToken.text, ['private', 'shared'])}`, spanOf(sharingToken));
    }
    const backingToken = c.take(`'anon' or 'file PATH'`);
    let backing: MmapBacking;
    if (backingToken.text === 'anon') {
      backing = ANON;
    } else if (backingToken.text === 'file') {
      const pathToken = c.take('the path of the file to map');
      const path = { text: pathToken.text, column: pathToken.column };
      const next = c.peek();
      if (next === undefined || next.text === 'at') {
        backing = { kind: 'file', path, offset: 0n };
      } else {
        if (next.text !== 'offset') {
          throw new LineError(`unexpected '${next.text}'${didYouMean(next.text, ['offset', 'at'])}: expected 'offset OFF', 'at ADDR' or end of line (usage: ${USAGE.mmap})`, spanOf(next));
        }
        c.take('offset');
        const offsetToken = c.take('the file offset');
        const offset = sizeOf(offsetToken);
        if (!isPageAligned(offset)) {
          throw new LineError(`mmap offset ${offsetToken.text} (${hex(offset)}) is not a multiple of the page size ${PAGE_SIZE}: mmap fails with EINVAL`, spanOf(offsetToken));
        }
        backing = { kind: 'file', path, offset };
      }
    } else {
      throw new LineError(`expected 'anon' or 'file PATH', found '${backingToken.text}'${didYouMean(backingToken.text, ['anon', 'file'])}`, spanOf(backingToken));
    }
    const at = this.parseAt(c);
    c.end();
    const sharing = sharingToken.text === 'private' ? 'private' : 'shared';
    if (at.address === undefined) return { kind: 'mmap', line: base.line, text: base.text, column: base.column, region, process, size, perms, sharing, backing };
    return { kind: 'mmap', line: base.line, text: base.text, column: base.column, region, process, size, perms, sharing, backing, address: at.address };
  }

  /** mmap's `at ADDR` (MAP_FIXED_NOREPLACE), if the line goes on. */
  private parseAt(c: Cursor): { address?: bigint } {
    const next = c.peek();
    if (next === undefined) return {};
    if (next.text !== 'at') throw new LineError(`unexpected '${next.text}'${didYouMean(next.text, ['at'])}: expected 'at ADDR' or end of line (usage: ${USAGE.mmap})`, spanOf(next));
    c.take('at');
    const token = c.take('an address 0x... (a multiple of 4096)');
    const address = parseAddress(token.text);
    if (!address.ok) throw new LineError(address.message, spanOf(token));
    if (!isPageAligned(address.value)) throw new LineError(`mmap address ${token.text} is not a multiple of the page size ${PAGE_SIZE}: mmap fails with EINVAL`, spanOf(token));
    return { address: address.value };
  }

  /** mmap's `noreserve` (MAP_NORESERVE), anywhere after the permissions. */
  private withNoreserve(c: Cursor, parse: () => Statement): Statement {
    const token = c.remove('noreserve');
    const statement = parse();
    return token && statement.kind === 'mmap' ? { ...statement, noreserve: true } : statement;
  }

}

/** The last parses, by file name: as you type, the diagnostics, the re-run and the run itself ask for the same text, and an edit re-parses only its lines. */
const lastParses = new Map<string, { readonly text: string; readonly lines: readonly ParsedLine<SymbolEffect>[]; readonly result: ParseResult; readonly starts: Int32Array | undefined }>();
const KEPT_PARSES = 4;

/**
 * Parses a scenario. Never throws: every problem is a diagnostic (at most one
 * error per line; parsing goes on with the next line). `fileName` is the name
 * diagnostics are reported under (see `formatDiagnostic`). The result is shared
 * with the next caller of the same text, and its statements with the parses of
 * later versions of the file that leave their lines as they were: do not mutate it.
 */
export function parseScenario(text: string, fileName: string): ParseResult {
  const last = lastParses.get(fileName);
  if (last?.text === text) return last.result;
  const refused = notLinux(text);
  if (refused) return refused;
  const fresh = () => new ScenarioParser();
  // An edit to a text of plain `\n` lines is found by its characters; any other text is split whole.
  const change = last?.starts ? lineChange(last.text, last.starts, text) : undefined;
  const lines = change ? parseChanged(last!.lines, change.head, change.middle, change.tail, fresh) : parseLines(splitLines(text), last?.lines ?? [], fresh);
  // The kept lines' statements and problems are the earlier parse's up to the first changed line.
  const head = change ? change.head : 0;
  const statements = head ? last!.result.statements.slice(0, upperBoundBy(last!.result.statements, head, (s) => s.line)) : [];
  const diagnostics = head ? last!.result.diagnostics.slice(0, upperBoundBy(last!.result.diagnostics, head, (d) => d.span.line)) : [];
  for (let i = head; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.statement) statements.push(line.statement);
    for (const d of line.diagnostics) diagnostics.push(d);
  }
  const result = { statements, diagnostics };
  lastParses.delete(fileName);
  lastParses.set(fileName, { text, lines, result, starts: change ? change.starts : lineStarts(text) });
  if (lastParses.size > KEPT_PARSES) lastParses.delete(lastParses.keys().next().value as string);
  return result;
}

/** The parse of a text that is not a Linux scenario: the 6-bit machine's (`set machine toy6` first), or binary. */
function notLinux(text: string): ParseResult | undefined {
  // `set machine toy6` first: the 6-bit teaching machine's own language (simulator/toy6); no Linux statements.
  if (isToy6Scenario(text)) return { statements: [], diagnostics: parseToy6(text).diagnostics };
  const binary = binaryInputProblem(text);
  return binary ? { statements: [], diagnostics: [binary] } : undefined;
}

/**
 * parseScenario for a text that no later version will reuse (`asx run`): line by line, each line's
 * parse dropped once its statement and problems are taken, so that a big scenario is held as its
 * statements only, not also as a record of every line; nothing is remembered.
 */
export function parseScenarioOnce(text: string): ParseResult {
  const refused = notLinux(text);
  if (refused) return refused;
  const statements: Statement[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const line of parsedLines(text, new ScenarioParser())) {
    if (line.statement) statements.push(line.statement);
    for (const d of line.diagnostics) diagnostics.push(d);
  }
  return { statements, diagnostics };
}
