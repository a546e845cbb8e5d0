// The parser's building blocks: the rules and usages its errors quote, the cursor over a statement's
// tokens, and the words every statement parses the same way (permissions, sizes, names).
import type { MmapBacking, Name, Permissions, Span, Target } from './ast';
import { spanOf, type Token } from './lexer';
import { parseSize } from './sizes';

/** Process and region names: `[A-Za-z_][A-Za-z0-9_-]*`. */
const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** True if `text` is a valid process or region name. */
export function isName(text: string): boolean {
  return NAME_PATTERN.test(text);
}

/** Words that cannot name a region: they are targets of their own, or `expect P killed`. */
export const RESERVED_REGION_NAMES = ['heap', 'stack', 'killed', 'failed'];

export const NAME_RULE = `a name starts with a letter or '_' and continues with letters, digits, '_' or '-'`;
export const PERMS_RULE = `three characters r or -, w or -, x or -, such as 'rw-', 'r-x' or '---'`;
export const TARGET_RULE = `a region name, 'heap', 'stack' or an address 0x...`;

export const USAGE = {
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
  madvise: 'madvise P R [OFF SIZE] dontneed|pageout|cold|willneed|free|hugepage|nohugepage|dontfork|dofork|random|sequential|normal',
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
export type Base = { readonly line: number; readonly text: string; readonly column: number };

/** The span of a whole statement. */
export const statementSpan = (base: Base): Span => ({ line: base.line, column: base.column, endColumn: base.column + base.text.length });

export const HEAP: Target = { kind: 'heap' };
export const STACK: Target = { kind: 'stack' };
export const ANON: MmapBacking = { kind: 'anon' };

/** The eight permissions, shared by every statement that writes them. */
const PERMISSIONS = new Map<string, Permissions>(
  ['---', '--x', '-w-', '-wx', 'r--', 'r-x', 'rw-', 'rwx'].map((text) => [text, { read: text[0] === 'r', write: text[1] === 'w', execute: text[2] === 'x', text }]),
);

/** A syntax error: stops the line. */
export class LineError {
  constructor(
    readonly message: string,
    readonly span: Span,
  ) {}
}

/** The tokens of one statement, taken left to right. */
export class Cursor {
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
export function slice(token: Token, start: number, end = token.text.length): Token {
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

export function parsePermissions(token: Token): Permissions {
  const text = token.text;
  if (!/^[r-][w-][x-]$/.test(text)) {
    let hint = '';
    if (/^[r-][w-][x-][ps]$/.test(text)) hint = `; the 4th character of /proc/PID/maps is not part of PERMS: write '${text.slice(0, 3)}' and private or shared`;
    else if (/^[rwx-]{3}$/i.test(text) && text !== text.toLowerCase()) hint = `; write them in lower case: '${text.toLowerCase()}'`;
    throw new LineError(`bad permissions '${text}': expected ${PERMS_RULE}${hint}`, spanOf(token));
  }
  return PERMISSIONS.get(text) as Permissions;
}

export function sizeOf(token: Token): bigint {
  const result = parseSize(token.text);
  if (!result.ok) throw new LineError(result.message, spanOf(token));
  return result.value;
}

export function hex(value: bigint): string {
  return '0x' + value.toString(16);
}

/** What the statement parsers in other files (parse-set.ts, parse-calls.ts, parse-expect-show.ts) use of the parser's state. */
export interface StatementScope {
  /** The line of the first `exec`, once one has parsed. */
  readonly firstExecLine: number | undefined;
  useProcess(token: Token): Name;
  useTarget(token: Token): Target;
  nameOf(text: string): Name;
  warn(message: string, span: Span): void;
}
