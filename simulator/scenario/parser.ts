// The parser of the `.aspace` scenario language, version 1: statements with
// their line and column, and every error of the file (at most one per line,
// with its exact span) together
// with the semantic checks that need no simulation — names used before they
// are defined, processes used after `exit`, bad permissions, zero sizes,
// unaligned offsets.
import {
  ACCESS_OPS,
  ASLR_VALUES,
  ASSIGNMENT_KEYWORDS,
  ERRNO_NAMES,
  EXEC_STOPS,
  KILL_SIGNALS,
  MADVISE_ADVICE,
  SETTINGS,
  SHOW_WHATS,
  SMAPS_FIELDS,
  STATEMENT_KEYWORDS,
  STATUS_FIELDS,
  type AccessOp,
  type ByteRange,
  type ErrnoName,
  type ExpectField,
  type KillSignal,
  type MadviseAdvice,
  type MmapBacking,
  type Name,
  type Permissions,
  type SmapsField,
  type StatusField,
  type Span,
  type Statement,
  type Target,
  type Word,
} from './ast';
import type { AslrMode } from '../loader/randomization';
import { didYouMean, quoteList, suggest, type Diagnostic } from './diagnostics';
import { spanBetween, spanOf, splitLines, type LexedLine, type Token } from './lexer';
import { parseLines, type LineParser, type ParsedLine } from './parse-lines';
import { checkRlimitResource, checkRlimitValue, checkSysctlValue, isSysctlSetting, LIMIT_USAGE } from './parse-limits';
import { isToy6Scenario, parseToy6 } from '../toy6/parser';
import { formatSize, isPageAligned, MAX_MACHINE_BYTES, MIN_RAM_BYTES, parseAddress, parseInteger, parseSize, PAGE_SIZE } from './sizes';

/** What `parseScenario` found: the statements that parsed, and every problem. */
export interface ParseResult {
  /** Every statement that parsed, in order (also those with semantic errors). */
  readonly statements: readonly Statement[];
  /** Errors (at most one per line) and warnings, in line order. Any error: the scenario cannot run. */
  readonly diagnostics: readonly Diagnostic[];
}

/** Process and region names: `[A-Za-z_][A-Za-z0-9_-]*`. */
export const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** True if `text` is a valid process or region name. */
export function isName(text: string): boolean {
  return NAME_PATTERN.test(text);
}

/** Words that cannot name a region: they are targets of their own, or `expect P killed`. */
const RESERVED_REGION_NAMES = ['heap', 'stack', 'killed', 'failed'];

const NAME_RULE = `a name starts with a letter or '_' and continues with letters, digits, '_' or '-'`;
const PERMS_RULE = `three characters r or -, w or -, x or -, such as 'rw-', 'r-x' or '---'`;
const TARGET_RULE = `a region name, 'heap', 'stack' or an address 0x...`;

const USAGE = {
  set: 'set aslr off|on|full, set seed N, set ram SIZE, set swap SIZE, set exec start|entry, set pkeys on|off, set thp always|madvise|never, set fault_around SIZE, set layout …, set overcommit 0|1|2, set overcommit_ratio N, set overcommit_kbytes N, set max_map_count N, set rlimit P as|data|stack|memlock SIZE|unlimited, set oom_score_adj P N',
  setLayout: 'set layout [load ADDR] [mmap_base ADDR] [stack_top ADDR] [brk ADDR], or set layout random',
  setExec: 'set exec start|entry',
  setPkeys: 'set pkeys on|off',
  dlopen: 'dlopen P PATH',
  exec: 'P = exec PATH [ARGS...]',
  fork: 'Q = fork P',
  thread: 'T = thread P [STACKSIZE]',
  exit: 'exit P',
  mmap: 'R = mmap P SIZE PERMS private|shared anon [at ADDR], or R = mmap P SIZE PERMS private|shared file PATH [offset OFF] [at ADDR]',
  munmap: 'munmap P R [OFF SIZE]',
  mprotect: 'mprotect P R [OFF SIZE] PERMS',
  madvise: 'madvise P R [OFF SIZE] dontneed|pageout|cold|willneed|free|hugepage|nohugepage|dontfork|dofork',
  setThp: 'set thp always|madvise|never',
  msync: 'msync P R [OFF SIZE]',
  mlock: 'mlock P R [OFF SIZE]',
  munlock: 'munlock P R [OFF SIZE]',
  mremap: 'mremap P R NEWSIZE [maymove]',
  brk: 'brk P +SIZE|-SIZE',
  reclaim: 'reclaim SIZE',
  expect: 'expect P R FIELD=SIZE..., expect P killed SIGSEGV|SIGBUS|SIGKILL, expect R failed ERRNO or expect failed ERRNO',
  show: 'show maps P, show smaps P [R], show rollup P, show status P, show pagetable P R [OFF], show meminfo',
} as const;

/** What every statement starts with: its line, its text and its first column. */
type Base = { readonly line: number; readonly text: string; readonly column: number };

/** The span of a whole statement. */
const statementSpan = (base: Base): Span => ({ line: base.line, column: base.column, endColumn: base.column + base.text.length });

const HEAP: Target = { kind: 'heap' };
const STACK: Target = { kind: 'stack' };
const ANON: MmapBacking = { kind: 'anon' };

/** The eight permissions, shared by every statement that writes them. */
const PERMISSIONS = new Map<string, Permissions>(
  ['---', '--x', '-w-', '-wx', 'r--', 'r-x', 'rw-', 'rwx'].map((text) => [text, { read: text[0] === 'r', write: text[1] === 'w', execute: text[2] === 'x', text }]),
);

/** A syntax error: stops the line. */
class LineError {
  constructor(
    readonly message: string,
    readonly span: Span,
  ) {}
}

interface SymbolInfo {
  readonly kind: 'process' | 'region';
  readonly line: number;
  exitedLine?: number;
}

/** The tokens of one statement, taken left to right. */
class Cursor {
  private index = 0;
  usage = '';

  constructor(
    readonly tokens: readonly Token[],
    private readonly line: number,
  ) {}

  peek(ahead = 0): Token | undefined {
    return this.tokens[this.index + ahead];
  }

  get remaining(): number {
    return this.tokens.length - this.index;
  }

  /** The next token; a LineError `expected WHAT, found end of line` if there is none. */
  take(what: string): Token {
    const token = this.tokens[this.index];
    if (token === undefined) throw new LineError(`expected ${what}, found end of line${this.usageHint()}`, this.endSpan());
    this.index++;
    return token;
  }

  /** Takes a flag word out of the rest of the line, wherever it is (mmap's `noreserve`). */
  remove(word: string): Token | undefined {
    const at = this.tokens.findIndex((t, i) => i >= this.index && t.text === word);
    if (at < 0) return undefined;
    const token = this.tokens[at];
    (this as { tokens: readonly Token[] }).tokens = this.tokens.filter((_, i) => i !== at);
    return token;
  }

  /** A LineError if any token is left. */
  end(): void {
    const token = this.tokens[this.index];
    if (token !== undefined) throw new LineError(`unexpected '${token.text}': expected end of line${this.usageHint()}`, spanOf(token));
  }

  /** The position just after the last token. */
  endSpan(): Span {
    const last = this.tokens[this.tokens.length - 1];
    const column = last === undefined ? 1 : last.endColumn;
    return { line: this.line, column, endColumn: column + 1 };
  }

  private usageHint(): string {
    return this.usage === '' ? '' : ` (usage: ${this.usage})`;
  }
}

/** A token cut out of another one (for `P=exec` and `Rss=32K`). */
function slice(token: Token, start: number, end = token.text.length): Token {
  return { text: token.text.slice(start, end), line: token.line, column: token.column + start, endColumn: token.column + end };
}

/** `P=exec ...`, `P =exec ...` and `P= exec ...` read as `P = exec ...`. */
export function splitAssignment(tokens: readonly Token[]): readonly Token[] {
  const [first, second] = tokens;
  if (first === undefined) return tokens;
  const eq = first.text.indexOf('=');
  if (eq > 0) {
    const parts = [slice(first, 0, eq), slice(first, eq, eq + 1)];
    if (eq + 1 < first.text.length) parts.push(slice(first, eq + 1));
    return [...parts, ...tokens.slice(1)];
  }
  if (second !== undefined && second.text.length > 1 && second.text.startsWith('=') && eq < 0) {
    return [first, slice(second, 0, 1), slice(second, 1), ...tokens.slice(2)];
  }
  return tokens;
}

function parsePermissions(token: Token): Permissions {
  const text = token.text;
  if (!/^[r-][w-][x-]$/.test(text)) {
    let hint = '';
    if (/^[r-][w-][x-][ps]$/.test(text)) hint = `; the 4th character of /proc/PID/maps is not part of PERMS: write '${text.slice(0, 3)}' and private or shared`;
    else if (/^[rwx-]{3}$/i.test(text) && text !== text.toLowerCase()) hint = `; write them in lower case: '${text.toLowerCase()}'`;
    throw new LineError(`bad permissions '${text}': expected ${PERMS_RULE}${hint}`, spanOf(token));
  }
  return PERMISSIONS.get(text) as Permissions;
}

function sizeOf(token: Token): bigint {
  const result = parseSize(token.text);
  if (!result.ok) throw new LineError(result.message, spanOf(token));
  return result.value;
}

function hex(value: bigint): string {
  return '0x' + value.toString(16);
}

/** What a line did to the parser's state, replayed to rebuild the state after it (see parse-lines.ts). */
type SymbolEffect =
  | { readonly define: string; readonly kind: 'process' | 'region'; readonly line: number }
  | { readonly exit: string; readonly line: number }
  | { readonly firstExec: number };

const NONE: readonly never[] = Object.freeze([]);

class ScenarioParser implements LineParser<SymbolEffect> {
  private readonly symbols = new Map<string, SymbolInfo>();
  /** Each name's Name and region Target, made once: the statements that use a name share them. */
  private readonly names = new Map<string, Name>();
  private readonly regionTargets = new Map<string, Target>();
  private firstExecLine: number | undefined;
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

  private warn(message: string, span: Span): void {
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
        return this.parseSet(c, base);
      case 'exit': {
        c.usage = USAGE.exit;
        const process = this.useProcess(c.take('a process name'));
        c.end();
        const info = this.symbols.get(process.name);
        if (info?.kind === 'process' && info.exitedLine === undefined && this.lineError === undefined) this.record({ exit: process.name, line: base.line });
        return { kind: 'exit', ...base, process };
      }
      case 'read':
      case 'write':
      case 'exec':
        return this.parseAccess(c, head, base);
      case 'munmap':
      case 'mprotect':
      case 'madvise':
        return this.parseRangeCall(c, head.text, base);
      case 'msync': {
        c.usage = USAGE.msync;
        const process = this.useProcess(c.take('a process name'));
        const target = this.useTarget(c.take(TARGET_RULE));
        const range = c.remaining > 0 ? this.parseRange(c, 'msync', target) : undefined;
        c.end();
        return range ? { kind: 'msync', ...base, process, target, range } : { kind: 'msync', ...base, process, target };
      }
      case 'mlock':
      case 'munlock': {
        const kind = head.text === 'mlock' ? 'mlock' : 'munlock';
        c.usage = USAGE[kind];
        const process = this.useProcess(c.take('a process name'));
        const target = this.useTarget(c.take(TARGET_RULE));
        const range = c.remaining > 0 ? this.parseRange(c, kind, target) : undefined;
        c.end();
        return range ? { kind, ...base, process, target, range } : { kind, ...base, process, target };
      }
      case 'mremap':
        return this.parseMremap(c, base);
      case 'brk':
        return this.parseBrk(c, base);
      case 'dlopen': {
        c.usage = USAGE.dlopen;
        const process = this.useProcess(c.take('a process name'));
        const pathToken = c.take('a library name or path');
        c.end();
        return { kind: 'dlopen', ...base, process, path: { text: pathToken.text, column: pathToken.column } };
      }
      case 'reclaim': {
        c.usage = USAGE.reclaim;
        const token = c.take('a size');
        const size = sizeOf(token);
        if (size === 0n) throw new LineError(`reclaim size must be greater than 0`, spanOf(token));
        c.end();
        return { kind: 'reclaim', ...base, size };
      }
      case 'expect':
        return this.parseExpect(c, base);
      case 'show':
        return this.parseShow(c, base);
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

  private nameOf(text: string): Name {
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
  private useProcess(token: Token): Name {
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
  private useTarget(token: Token): Target {
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
          return { kind: 'exec', ...base, process: name, path: { text: pathToken.text, column: pathToken.column }, args };
        }
        case 'fork': {
          c.usage = USAGE.fork;
          const parent = this.useProcess(c.take('the name of the process to fork'));
          c.end();
          return { kind: 'fork', ...base, child: name, parent };
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
    if (!sizeToken) return { kind: 'thread', ...base, thread, process };
    const stackSize = sizeOf(sizeToken);
    if (stackSize < 16384n) throw new LineError(`thread stack size ${sizeToken.text} is below PTHREAD_STACK_MIN (16K): pthread_attr_setstacksize fails with EINVAL`, spanOf(sizeToken));
    return { kind: 'thread', ...base, thread, process, stackSize };
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
    return {
      kind: 'mmap', ...base, region, process, size, perms, sharing: sharingToken.text === 'private' ? 'private' : 'shared', backing, ...at,
    };
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

  /** `set layout KEY ADDR...` or `set layout random`. */
  private parseLayout(c: Cursor, base: Base): Statement {
    c.usage = USAGE.setLayout;
    const first = c.take(`'load', 'mmap_base', 'stack_top', 'brk' or 'random'`);
    if (first.text === 'random') {
      c.end();
      return { kind: 'set', ...base, setting: 'layout', value: undefined };
    }
    const keys = { load: 'load', mmap_base: 'mmapBase', stack_top: 'stackTop', brk: 'brk' } as const;
    const layout: { -readonly [K in (typeof keys)[keyof typeof keys]]?: bigint } = {};
    let key: Token | undefined = first;
    while (key) {
      const field = Object.hasOwn(keys, key.text) ? keys[key.text as keyof typeof keys] : undefined;
      if (field === undefined) throw new LineError(`expected 'load', 'mmap_base', 'stack_top' or 'brk', found '${key.text}'${didYouMean(key.text, Object.keys(keys))}`, spanOf(key));
      if (layout[field] !== undefined) throw new LineError(`'${key.text}' is given twice`, spanOf(key));
      const token = c.take(`the address of ${key.text} (0x...)`);
      const address = parseAddress(token.text);
      if (!address.ok) throw new LineError(address.message, spanOf(token));
      if (!isPageAligned(address.value)) throw new LineError(`${key.text} ${token.text} is not a multiple of the page size ${PAGE_SIZE}`, spanOf(token));
      layout[field] = address.value;
      key = c.peek() && c.take('a layout key');
    }
    return { kind: 'set', ...base, setting: 'layout', value: layout };
  }

  private parseSet(c: Cursor, base: Base): Statement {
    c.usage = USAGE.set;
    const settingToken = c.take(`a setting (${quoteList(SETTINGS)})`);
    const setting = settingToken.text;
    switch (setting) {
      case 'aslr': {
        const token = c.take(`'off', 'on' or 'full'`);
        const values: Record<string, AslrMode> = { off: 'off', on: 'on', full: 'full', '0': 'off', '1': 'on', '2': 'full' };
        const value = Object.hasOwn(values, token.text) ? values[token.text] : undefined;
        if (value === undefined) {
          throw new LineError(`expected 'off', 'on' or 'full' (randomize_va_space 0, 1 or 2), found '${token.text}'${didYouMean(token.text, ASLR_VALUES)}`, spanOf(token));
        }
        c.end();
        return { kind: 'set', ...base, setting: 'aslr', value };
      }
      case 'seed': {
        const token = c.take('a number (decimal or 0x hex)');
        const result = parseInteger(token.text, 'seed');
        if (!result.ok) throw new LineError(result.message, spanOf(token));
        c.end();
        return { kind: 'set', ...base, setting: 'seed', value: result.value };
      }
      case 'ram':
      case 'swap': {
        const token = c.take(`the size of ${setting === 'ram' ? 'physical memory' : 'swap space'}`);
        const value = sizeOf(token);
        if (setting === 'ram' && value < MIN_RAM_BYTES) throw new LineError(`ram size ${token.text} is too small: the simulated machine needs at least ${formatSize(MIN_RAM_BYTES)}`, spanOf(token));
        if (value > MAX_MACHINE_BYTES) throw new LineError(`${setting} size ${token.text} is larger than the simulator's limit of ${formatSize(MAX_MACHINE_BYTES)} (2^24 pages)`, spanOf(token));
        c.end();
        // Swap can be switched on at any time (swapon); memory is the machine's own.
        if (setting === 'ram' && this.firstExecLine !== undefined) {
          this.warn(`'set ram' after the first exec (line ${this.firstExecLine}): the machine's memory is usually set before any process runs`, spanOf(settingToken));
        }
        return { kind: 'set', ...base, setting, value };
      }
    }
    if (setting === 'layout') return this.parseLayout(c, base);
    if (setting === 'fault_around') {
      const token = c.take('fault_around_bytes (a size: 4K turns fault-around off, 64K is the default)');
      const value = sizeOf(token);
      // fault_around_bytes_set: at most a page table's worth (PTRS_PER_PTE pages), at least one page.
      if (value < BigInt(PAGE_SIZE) || value > 512n * BigInt(PAGE_SIZE)) throw new LineError(`fault_around ${token.text} must be from 4K (off) to 2M (512 pages): the kernel refuses other values (EINVAL)`, spanOf(token));
      c.end();
      return { kind: 'set', ...base, setting: 'fault_around', value };
    }
    if (setting === 'exec') {
      c.usage = USAGE.setExec;
      const token = c.take(`'start' or 'entry'`);
      const value = EXEC_STOPS.find((v) => v === token.text);
      if (value === undefined) throw new LineError(`expected 'start' (the first instruction) or 'entry' (the entry point, after ld.so), found '${token.text}'${didYouMean(token.text, EXEC_STOPS)}`, spanOf(token));
      c.end();
      return { kind: 'set', ...base, setting: 'exec', value };
    }
    if (setting === 'machine') {
      const machine = c.peek();
      if (machine && machine.text !== 'toy6') throw new LineError(`unknown machine '${machine.text}'${didYouMean(machine.text, ['toy6'])}: scenarios run on Linux (x86-64) unless the first statement is 'set machine toy6'`, spanOf(machine));
      // Only as the first statement, where parseScenario hands the whole file to the toy6 parser.
      throw new LineError(`'set machine toy6' must come before any other statement: it chooses the machine the whole scenario runs on`, spanOf(settingToken));
    }
    if (setting === 'thp') {
      c.usage = USAGE.setThp;
      const token = c.take(`'always', 'madvise' or 'never'`);
      const modes = ['always', 'madvise', 'never'] as const;
      const value = modes.find((mode) => mode === token.text);
      if (value === undefined) throw new LineError(`expected 'always', 'madvise' or 'never' (/sys/kernel/mm/transparent_hugepage/enabled), found '${token.text}'${didYouMean(token.text, modes)}`, spanOf(token));
      c.end();
      return { kind: 'set', ...base, setting: 'thp', value };
    }
    if (setting === 'oom_score_adj') {
      c.usage = 'set oom_score_adj P N';
      const process = this.useProcess(c.take('a process name'));
      const token = c.take('a number from -1000 to 1000');
      const value = /^[-+]?\d{1,5}$/.test(token.text) ? Number(token.text) : NaN;
      if (!(value >= -1000 && value <= 1000)) throw new LineError(`expected an oom_score_adj from -1000 (never chosen by the OOM killer) to 1000, found '${token.text}'`, spanOf(token));
      c.end();
      return { kind: 'set', ...base, setting: 'oom_score_adj', process, value };
    }
    if (setting === 'pkeys') {
      c.usage = USAGE.setPkeys;
      const token = c.take(`'on' or 'off'`);
      if (token.text !== 'on' && token.text !== 'off') throw new LineError(`expected 'on' (the CPU has protection keys: smaps prints ProtectionKey) or 'off', found '${token.text}'${didYouMean(token.text, ['on', 'off'])}`, spanOf(token));
      c.end();
      if (this.firstExecLine !== undefined) this.warn(`'set pkeys' after the first exec (line ${this.firstExecLine}): it is the CPU's, and applies to the whole run`, spanOf(settingToken));
      return { kind: 'set', ...base, setting: 'pkeys', value: token.text === 'on' };
    }
    if (isSysctlSetting(setting) || setting === 'rlimit') return this.parseLimitSetting(c, setting, base);
    throw new LineError(`unknown setting '${setting}'${didYouMean(setting, SETTINGS)}; expected ${quoteList(SETTINGS)}`, spanOf(settingToken));
  }

  /** `set overcommit|overcommit_ratio|overcommit_kbytes|max_map_count N`, `set rlimit P RESOURCE SIZE|unlimited` (parse-limits.ts). */
  private parseLimitSetting(c: Cursor, setting: string, base: Base): Statement {
    if (setting === 'rlimit') {
      c.usage = LIMIT_USAGE.rlimit;
      const process = this.useProcess(c.take('a process name'));
      const resourceToken = c.take(`'as', 'data', 'stack' or 'memlock'`);
      const resource = checkRlimitResource(resourceToken.text);
      if (!resource.ok) throw new LineError(resource.message, spanOf(resourceToken));
      const valueToken = c.take(`a size or 'unlimited'`);
      const value = checkRlimitValue(valueToken.text);
      if (!value.ok) throw new LineError(value.message, spanOf(valueToken));
      c.end();
      return { kind: 'set', ...base, setting: 'rlimit', process, resource: resource.value, value: value.value };
    }
    if (!isSysctlSetting(setting)) throw new LineError(`unknown setting '${setting}'`, statementSpan(base));
    c.usage = LIMIT_USAGE[setting];
    const token = c.take(setting === 'overcommit' ? '0, 1 or 2' : 'a number');
    const value = checkSysctlValue(setting, token.text);
    if (!value.ok) throw new LineError(value.message, spanOf(token));
    c.end();
    return { kind: 'set', ...base, setting, value: value.value };
  }

  /** mmap's `noreserve` (MAP_NORESERVE), anywhere after the permissions. */
  private withNoreserve(c: Cursor, parse: () => Statement): Statement {
    const token = c.remove('noreserve');
    const statement = parse();
    return token && statement.kind === 'mmap' ? { ...statement, noreserve: true } : statement;
  }

  private parseAccess(c: Cursor, opToken: Token, base: Base): Statement {
    // The words a statement keeps are the constants of ast.ts, not each token's own copy of the text.
    const op = ACCESS_OPS.find((o) => o === opToken.text) as AccessOp;
    c.usage = `${op} P R [OFF [SIZE]]`;
    const process = this.useProcess(c.take('a process name'));
    const target = this.useTarget(c.take(TARGET_RULE));
    const offsetToken = c.peek();
    if (offsetToken === undefined) return { kind: 'access', ...base, op, process, target };
    c.take('an offset');
    const offset = sizeOf(offsetToken);
    const sizeToken = c.peek();
    if (sizeToken === undefined) {
      return { kind: 'access', ...base, op, process, target, offset };
    }
    c.take('a size');
    const size = sizeOf(sizeToken);
    if (size === 0n) throw new LineError(`${op} size must be greater than 0 (leave it out to ${op} one byte at the offset)`, spanOf(sizeToken));
    c.end();
    return {
      kind: 'access', ...base, op, process, target,
      offset, size,
    };
  }

  /** `OFF SIZE` of munmap/mprotect/madvise: the offset must be page-aligned, as the kernel wants the address. */
  private parseRange(c: Cursor, call: string, target: Target): ByteRange {
    const offsetToken = c.take('an offset');
    const offset = sizeOf(offsetToken);
    const sizeToken = c.take('a size');
    const size = sizeOf(sizeToken);
    // The kernel's checks, as warnings: the call fails (or does nothing) and the scenario goes on.
    // do_mlock rounds the start down to a page: only the other calls want it aligned.
    const wantsAligned = call !== 'mlock' && call !== 'munlock';
    if (wantsAligned && target.kind !== 'address' && !isPageAligned(offset)) {
      this.warn(`${call} offset ${offsetToken.text} (${hex(offset)}) is not a multiple of the page size ${PAGE_SIZE}: ${call} fails with EINVAL`, spanOf(offsetToken));
    } else if (wantsAligned && target.kind === 'address' && !isPageAligned(target.value + offset)) {
      this.warn(`${call} address ${hex(target.value + offset)} is not page-aligned: ${call} fails with EINVAL`, spanOf(offsetToken));
    }
    if (size === 0n) {
      this.warn(call === 'munmap' ? `size 0: munmap of length 0 fails with EINVAL` : `size 0: ${call} does nothing`, spanOf(sizeToken));
    }
    return { offset, size };
  }

  /** Whether `OFF SIZE` comes before the last operand (PERMS or the advice). */
  private hasRange(c: Cursor): boolean {
    const next = c.peek();
    return c.remaining >= 3 || (c.remaining === 2 && next !== undefined && parseSize(next.text).ok);
  }

  private parseRangeCall(c: Cursor, call: string, base: Base): Statement {
    const process = this.useProcess(c.take('a process name'));
    if (call === 'munmap') {
      c.usage = USAGE.munmap;
      const target = this.useTarget(c.take(TARGET_RULE));
      const range = c.remaining > 0 ? this.parseRange(c, call, target) : undefined;
      c.end();
      return range ? { kind: 'munmap', ...base, process, target, range } : { kind: 'munmap', ...base, process, target };
    }
    if (call === 'mprotect') {
      c.usage = USAGE.mprotect;
      const target = this.useTarget(c.take(TARGET_RULE));
      const range = this.hasRange(c) ? this.parseRange(c, call, target) : undefined;
      const perms = parsePermissions(c.take(`permissions (${PERMS_RULE})`));
      c.end();
      return range ? { kind: 'mprotect', ...base, process, target, range, perms } : { kind: 'mprotect', ...base, process, target, perms };
    }
    c.usage = USAGE.madvise;
    const target = this.useTarget(c.take(TARGET_RULE));
    const range = this.hasRange(c) ? this.parseRange(c, call, target) : undefined;
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
      ? { kind: 'madvise', ...base, process, target, range, advice }
      : { kind: 'madvise', ...base, process, target, advice };
  }

  /** `mremap P R NEWSIZE [maymove]`: R must be a region, the whole mapping it names. */
  private parseMremap(c: Cursor, base: Base): Statement {
    c.usage = USAGE.mremap;
    const process = this.useProcess(c.take('a process name'));
    const targetToken = c.take('a region name');
    const target = this.useTarget(targetToken);
    if (target.kind !== 'region') throw new LineError(`mremap acts on a whole mapping named by a region (R = mmap ...), not on ${target.kind === 'address' ? 'an address' : `'${target.kind}'`}`, spanOf(targetToken));
    const sizeToken = c.take('the new size');
    const newSize = sizeOf(sizeToken);
    if (newSize === 0n) throw new LineError(`mremap to size 0 fails with EINVAL`, spanOf(sizeToken));
    const flag = c.peek();
    if (flag !== undefined && flag.text !== 'maymove') throw new LineError(`unexpected '${flag.text}'${didYouMean(flag.text, ['maymove'])}: expected 'maymove' or end of line (usage: ${USAGE.mremap})`, spanOf(flag));
    if (flag) c.take('maymove');
    c.end();
    return { kind: 'mremap', ...base, process, target, newSize, mayMove: flag !== undefined };
  }

  private parseBrk(c: Cursor, base: Base): Statement {
    c.usage = USAGE.brk;
    const process = this.useProcess(c.take('a process name'));
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
    return { kind: 'brk', ...base, process, delta: sign === '-' ? -result.value : result.value };
  }

  /** `expect R failed ERRNO` (R's mmap failed) or `expect failed ERRNO` (the call before failed). */
  private parseExpectFailed(c: Cursor, base: Base): Statement {
    let region: Name | undefined;
    if (c.peek()?.text !== 'failed') {
      const token = c.take('a region name');
      const target = this.useTarget(token);
      if (target.kind !== 'region') throw new LineError(`expected the name of an mmap's region before 'failed', found '${token.text}'`, spanOf(token));
      region = this.nameOf(target.name);
    }
    c.take(`'failed'`);
    const errnoToken = c.take(`an errno name such as ENOMEM`);
    const errno = ERRNO_NAMES.find((e) => e === errnoToken.text.toUpperCase());
    if (errno === undefined) throw new LineError(`unknown errno '${errnoToken.text}'${didYouMean(errnoToken.text.toUpperCase(), ERRNO_NAMES)}; expected a name such as ENOMEM, EINVAL, EACCES or EEXIST`, spanOf(errnoToken));
    if (errno !== errnoToken.text) this.warn(`errno names are upper case: '${errno}'`, spanOf(errnoToken));
    c.end();
    return { kind: 'expectFailed', ...base, ...(region ? { region } : {}), errno: errno as ErrnoName };
  }

  private parseExpect(c: Cursor, base: Base): Statement {
    c.usage = USAGE.expect;
    if (c.peek()?.text === 'failed' || c.peek(1)?.text === 'failed') return this.parseExpectFailed(c, base);
    const process = this.useProcess(c.take('a process name'));
    const targetToken = c.take(`${TARGET_RULE}, or 'killed'`);
    if (targetToken.text === 'killed') {
      if (c.remaining === 0) return { kind: 'expectKilled', ...base, process, signal: 'SIGSEGV' };
      const signalToken = c.take(quoteList(KILL_SIGNALS));
      const text = signalToken.text;
      if (!(KILL_SIGNALS as readonly string[]).includes(text)) {
        const upper = /^sig/i.test(text) ? text.toUpperCase() : 'SIG' + text.toUpperCase();
        const hint = (KILL_SIGNALS as readonly string[]).includes(upper) ? ` (did you mean '${upper}'?)` : didYouMean(text, KILL_SIGNALS);
        throw new LineError(`unknown signal '${text}'${hint}; expected ${quoteList(KILL_SIGNALS)}`, spanOf(signalToken));
      }
      c.end();
      return { kind: 'expectKilled', ...base, process, signal: KILL_SIGNALS.find((k) => k === text) as KillSignal };
    }
    const target = this.useTarget(targetToken);
    const fields: ExpectField[] = [];
    const seen = new Map<string, number>();
    if (c.remaining === 0) c.take('at least one FIELD=SIZE (e.g. Rss=32K)');
    while (c.remaining > 0) {
      const { field, fieldSpan } = this.parseField(c);
      const earlier = seen.get(field.field);
      if (earlier !== undefined) this.warn(`${field.field} is already expected in this statement (column ${earlier})`, fieldSpan);
      else seen.set(field.field, fieldSpan.column);
      fields.push(field);
    }
    return { kind: 'expect', ...base, process, target, fields };
  }

  /** `Rss=32K` (also `Rss = 32K`, `Rss=32 kB`), and where its field name is. */
  private parseField(c: Cursor): { field: ExpectField; fieldSpan: Span } {
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

  private parseShow(c: Cursor, base: Base): Statement {
    c.usage = USAGE.show;
    const whatToken = c.take(quoteList(SHOW_WHATS));
    const whatSpan = spanOf(whatToken);
    switch (whatToken.text) {
      case 'maps':
      case 'rollup':
      case 'status': {
        const what = SHOW_WHATS.find((w) => w === whatToken.text) as 'maps' | 'rollup' | 'status';
        c.usage = `show ${what} P`;
        const process = this.useProcess(c.take('a process name'));
        c.end();
        return { kind: 'show', ...base, what, process };
      }
      case 'meminfo':
        c.usage = 'show meminfo';
        c.end();
        return { kind: 'show', ...base, what: 'meminfo' };
      case 'smaps': {
        c.usage = 'show smaps P [R]';
        const process = this.useProcess(c.take('a process name'));
        const targetToken = c.peek();
        if (targetToken === undefined) return { kind: 'show', ...base, what: 'smaps', process };
        const target = this.useTarget(c.take(TARGET_RULE));
        c.end();
        return { kind: 'show', ...base, what: 'smaps', process, target };
      }
      case 'pagetable': {
        c.usage = 'show pagetable P R [OFF]';
        const process = this.useProcess(c.take('a process name'));
        const target = this.useTarget(c.take(TARGET_RULE));
        const offsetToken = c.peek();
        if (offsetToken === undefined) return { kind: 'show', ...base, what: 'pagetable', process, target };
        c.take('an offset');
        const offset = sizeOf(offsetToken);
        c.end();
        return { kind: 'show', ...base, what: 'pagetable', process, target, offset };
      }
    }
    throw new LineError(`expected ${quoteList(SHOW_WHATS)} after 'show', found '${whatToken.text}'${didYouMean(whatToken.text, SHOW_WHATS)}`, whatSpan);
  }
}

/** The last parses, by file name: as you type, the diagnostics, the re-run and the run itself ask for the same text, and an edit re-parses only its lines. */
const lastParses = new Map<string, { readonly text: string; readonly lines: readonly ParsedLine<SymbolEffect>[]; readonly result: ParseResult }>();
const KEPT_PARSES = 4;

/**
 * Parses a scenario. Never throws: every problem is a diagnostic (at most one
 * error per line; parsing goes on with the next line). `fileName` is the name
 * diagnostics are reported under (see `formatDiagnostic`). The result is shared
 * with the next caller of the same text, and its statements with the parses of
 * later versions of the file that leave their lines as they were: do not mutate it.
 * `remember` false: a one-shot parse (asx run) that neither reuses nor keeps a parse of the file,
 * so its lines' parser state is garbage once the statements are out (about 190 bytes a line).
 */
export function parseScenario(text: string, fileName: string, remember = true): ParseResult {
  const last = remember ? lastParses.get(fileName) : undefined;
  if (last?.text === text) return last.result;
  // `set machine toy6` first: the 6-bit teaching machine's own language (simulator/toy6); no Linux statements.
  if (isToy6Scenario(text)) return { statements: [], diagnostics: parseToy6(text).diagnostics };
  const lines = parseLines(splitLines(text), last?.lines ?? [], () => new ScenarioParser());
  const statements: Statement[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const line of lines) {
    if (line.statement) statements.push(line.statement);
    for (const d of line.diagnostics) diagnostics.push(d);
  }
  const result = { statements, diagnostics };
  if (!remember) return result;
  lastParses.delete(fileName);
  lastParses.set(fileName, { text, lines, result });
  if (lastParses.size > KEPT_PARSES) lastParses.delete(lastParses.keys().next().value as string);
  return result;
}
