// The parser of toy6 scenarios: the statements of issue 18, one per line, every error at its
// line and column (one per line). It shares the scenario lexer (words, `#` comments, columns).
import { ASSIGNMENT_KEYWORDS, STATEMENT_KEYWORDS, type Span } from '../scenario/ast';
import { didYouMean, quoteList, type Diagnostic } from '../scenario/diagnostics';
import { lex, lexLine, spanBetween, spanOf, type LexedLine, type Token } from '../scenario/lexer';
import { splitAssignment } from '../scenario/parse-cursor';
import { CELLS, MAX_VALUE, PAGE_CELLS, type AccessKind, type FaultBit, type Privilege } from './machine';
import type { Toy6Expectation, Toy6Statement } from './statements';

export interface Toy6ParseResult {
  readonly statements: Toy6Statement[];
  /** Errors (at most one per line: the scenario cannot run) and warnings, in line order. */
  readonly diagnostics: Diagnostic[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const NUMBER = /^(?:0[xX][0-9a-fA-F]+|0[bB][01]+|[0-9]+)$/;
/** Longer than any number 0–63 can be written, leading zeros aside: refuse before parsing. */
const MAX_NUMBER_CHARS = 66;

export const TOY6_KEYWORDS = ['set', 'poke', 'read', 'write', 'expect', 'show'] as const;

/** Every word that starts a Linux statement, so that the error says which machine this is. */
const LINUX_KEYWORDS: readonly string[] = [...STATEMENT_KEYWORDS, ...ASSIGNMENT_KEYWORDS, 'mmap', 'fork'];
const STATEMENTS_RULE = `${quoteList(['poke', 'P = process cr3', 'read', 'write', 'expect', 'show']).replace(/ or /, ' and ')}`;

const USAGE = {
  machine: 'set machine toy6',
  poke: 'poke PA VALUE',
  process: 'P = process cr3 PA',
  read: 'read P VA [user|kernel]',
  write: 'write P VA VALUE [user|kernel]',
  expect: 'expect P VA read|write [user|kernel] pa N, expect P VA read [user|kernel] value N, or expect P VA read|write [user|kernel] fault P|U|W',
  show: 'show pagetable P [VA], or show physmem',
} as const;

/** True when the scenario's first statement is `set machine toy6`: it then runs on the toy6 machine. */
export function isToy6Scenario(text: string): boolean {
  // Line by line up to the first statement: a 10,000-line scenario is not lexed whole for this.
  const lines = /[^\r\n]*(?:\r\n|\r|\n|$)/gy;
  for (let index = 1; lines.lastIndex < text.length; index++) {
    const raw = (lines.exec(text)?.[0] ?? '').replace(/^\uFEFF/, '').replace(/[\r\n]+$/, '');
    const { tokens } = lexLine(raw, index);
    if (tokens.length === 0) continue;
    const [a, b, c] = tokens;
    return a?.text === 'set' && b?.text === 'machine' && c?.text === 'toy6';
  }
  return false;
}

class LineError {
  constructor(
    readonly message: string,
    readonly span: Span,
  ) {}
}

/** The words of one line, taken left to right; running out or leftovers are errors that quote the usage. */
class Cursor {
  private index = 0;
  usage = '';
  /** The line's words, `P=process` read as `P = process` (as the Linux parser does). */
  private readonly tokens: readonly Token[];
  constructor(private readonly line: LexedLine) {
    this.tokens = splitAssignment(line.tokens);
  }

  peek(): Token | undefined {
    return this.tokens[this.index];
  }

  take(what: string): Token {
    const token = this.tokens[this.index];
    if (token === undefined) {
      const last = this.tokens[this.tokens.length - 1];
      const column = last ? last.endColumn : 1;
      throw new LineError(`expected ${what}${this.usage ? ` (${this.usage})` : ''}`, { line: this.line.line, column, endColumn: column + 1 });
    }
    this.index++;
    return token;
  }

  end(): void {
    const extra = this.peek();
    if (extra !== undefined) throw new LineError(`unexpected '${extra.text}'${this.usage ? `: the statement is ${this.usage}` : ''}`, spanOf(extra));
  }
}

/** A number 0–63: decimal, 0x hex or 0b binary. */
export function parseToy6Number(token: Token, what: string): number {
  if (!NUMBER.test(token.text)) throw new LineError(`expected ${what} (decimal, 0x hex or 0b binary), found '${token.text}'`, spanOf(token));
  const text = token.text.toLowerCase();
  const value = text.length > MAX_NUMBER_CHARS ? Infinity : text.startsWith('0x') ? parseInt(text.slice(2), 16) : text.startsWith('0b') ? parseInt(text.slice(2), 2) : parseInt(text, 10);
  if (!(value <= MAX_VALUE)) throw new LineError(`${what} ${token.text} is out of range: the machine has 6-bit ${what.includes('address') ? 'addresses' : 'values'}, 0–${MAX_VALUE}`, spanOf(token));
  return value;
}

class Toy6Parser {
  readonly statements: Toy6Statement[] = [];
  readonly diagnostics: Diagnostic[] = [];
  /** Processes by name: the line that created each. */
  private readonly processes = new Map<string, number>();
  private sawMachine = false;

  parseLine(line: LexedLine): void {
    const first = line.tokens[0];
    const last = line.tokens[line.tokens.length - 1];
    if (!first || !last) return;
    const base = { line: line.line, text: line.text, span: spanBetween(first, last) };
    try {
      this.statements.push(this.parseStatement(new Cursor(line), base));
    } catch (e) {
      const { message, span } = e instanceof LineError ? e : { message: `internal error while parsing this line: ${String(e)}`, span: base.span };
      this.diagnostics.push({ severity: 'error', message, span });
    }
  }

  private parseStatement(c: Cursor, base: { line: number; text: string; span: Span }): Toy6Statement {
    const head = c.take('a statement');
    if (c.peek()?.text === '=') {
      c.take('=');
      return this.parseProcess(c, head, base);
    }
    switch (head.text) {
      case 'set': {
        c.usage = USAGE.machine;
        const setting = c.take(`'machine'`);
        if (setting.text !== 'machine') throw new LineError(`'set ${setting.text}' is a Linux setting: this scenario runs on the toy6 machine, whose only setting is '${USAGE.machine}'`, spanOf(setting));
        const value = c.take(`'toy6'`);
        if (value.text !== 'toy6') throw new LineError(`unknown machine '${value.text}'${didYouMean(value.text, ['toy6'])}: the machine is 'toy6'`, spanOf(value));
        c.end();
        if (this.sawMachine) throw new LineError(`the machine is already set (line 1 must be the only 'set machine toy6')`, base.span);
        this.sawMachine = true;
        return { kind: 'machine', ...base };
      }
      case 'poke': {
        c.usage = USAGE.poke;
        const paToken = c.take('a physical address');
        const pa = parseToy6Number(paToken, 'physical address');
        const valueToken = c.take('a value');
        const value = parseToy6Number(valueToken, 'value');
        c.end();
        return { kind: 'poke', ...base, pa, value, paSpan: spanOf(paToken), valueSpan: spanOf(valueToken) };
      }
      case 'read':
      case 'write': {
        c.usage = USAGE[head.text];
        const process = this.useProcess(c.take('a process name'));
        const va = parseToy6Number(c.take('a virtual address'), 'virtual address');
        const value = head.text === 'write' ? parseToy6Number(c.take('the value to write'), 'value') : undefined;
        const privilege = this.privilege(c);
        c.end();
        const access = { kind: head.text, privilege } as const;
        return value === undefined ? { kind: 'access', ...base, process, va, access } : { kind: 'access', ...base, process, va, access, value };
      }
      case 'expect':
        return this.parseExpect(c, base);
      case 'show': {
        c.usage = USAGE.show;
        const what = c.take(`'pagetable' or 'physmem'`);
        if (what.text === 'physmem') {
          c.end();
          return { kind: 'show-physmem', ...base };
        }
        if (what.text !== 'pagetable') throw new LineError(`expected 'pagetable' or 'physmem' after 'show', found '${what.text}'${didYouMean(what.text, ['pagetable', 'physmem'])}${['maps', 'smaps', 'rollup', 'status'].includes(what.text) ? ` ('show ${what.text}' is Linux's; this scenario runs on the toy6 machine)` : ''}`, spanOf(what));
        const process = this.useProcess(c.take('a process name'));
        const vaToken = c.peek();
        if (vaToken === undefined) return { kind: 'show-pagetable', ...base, process };
        const va = parseToy6Number(c.take('a virtual address'), 'virtual address');
        c.end();
        return { kind: 'show-pagetable', ...base, process, va };
      }
    }
    if (LINUX_KEYWORDS.includes(head.text)) throw new LineError(`'${head.text}' is a Linux statement: this scenario runs on the toy6 machine ('set machine toy6'), whose statements are ${STATEMENTS_RULE}`, spanOf(head));
    throw new LineError(`unknown statement '${head.text}'${didYouMean(head.text, TOY6_KEYWORDS)}; the toy6 statements are ${STATEMENTS_RULE}`, spanOf(head));
  }

  private parseProcess(c: Cursor, nameToken: Token, base: { line: number; text: string; span: Span }): Toy6Statement {
    c.usage = USAGE.process;
    const keyword = c.take(`'process'`);
    if (keyword.text !== 'process') {
      const linux = (ASSIGNMENT_KEYWORDS as readonly string[]).includes(keyword.text);
      throw new LineError(linux ? `'${keyword.text}' is a Linux statement: this scenario runs on the toy6 machine, where a process is made by '${USAGE.process}'` : `expected 'process' after '=', found '${keyword.text}'${didYouMean(keyword.text, ['process'])} (${USAGE.process})`, spanOf(keyword));
    }
    if (!NAME.test(nameToken.text)) throw new LineError(`'${nameToken.text}' is not a process name: a name starts with a letter or '_' and continues with letters, digits, '_' or '-'`, spanOf(nameToken));
    const earlier = this.processes.get(nameToken.text);
    // As in the Linux scenarios, a name defined again is a warning: from here on it is the new process.
    if (earlier !== undefined) this.diagnostics.push({ severity: 'warning', message: `process '${nameToken.text}' was defined at line ${earlier}; from here on it is the process with this cr3`, span: spanOf(nameToken) });
    // Known from here on even if the rest of the line is wrong, so that later lines do not all fail.
    this.processes.set(nameToken.text, base.line);
    const cr3Word = c.take(`'cr3'`);
    if (cr3Word.text !== 'cr3') throw new LineError(`expected 'cr3' after 'process', found '${cr3Word.text}' (${USAGE.process})`, spanOf(cr3Word));
    const cr3Token = c.take('the physical address of the page table');
    const cr3 = parseToy6Number(cr3Token, 'physical address');
    if (cr3 % PAGE_CELLS !== 0) throw new LineError(`cr3 ${cr3Token.text} is not a multiple of ${PAGE_CELLS}: a page table is one whole page (0, 8, 16, …, ${CELLS - PAGE_CELLS})`, spanOf(cr3Token));
    c.end();
    return { kind: 'process', ...base, name: nameToken.text, cr3, cr3Span: spanOf(cr3Token) };
  }

  private parseExpect(c: Cursor, base: { line: number; text: string; span: Span }): Toy6Statement {
    c.usage = USAGE.expect;
    const process = this.useProcess(c.take('a process name'));
    const va = parseToy6Number(c.take('a virtual address'), 'virtual address');
    const kindToken = c.take(`'read' or 'write'`);
    if (kindToken.text !== 'read' && kindToken.text !== 'write') throw new LineError(`expected 'read' or 'write', found '${kindToken.text}'${didYouMean(kindToken.text, ['read', 'write'])}`, spanOf(kindToken));
    const kind: AccessKind = kindToken.text;
    const privilege = this.privilege(c);
    const whatToken = c.take(`'pa', 'value' or 'fault'`);
    let expectation: Toy6Expectation;
    if (whatToken.text === 'pa' || whatToken.text === 'value') {
      if (whatToken.text === 'value' && kind === 'write') throw new LineError(`'value' is expected of a read (what it loads); for a write, expect 'pa N' or 'fault P|U|W'`, spanOf(whatToken));
      const n = parseToy6Number(c.take(whatToken.text === 'pa' ? 'a physical address' : 'a value'), whatToken.text === 'pa' ? 'physical address' : 'value');
      expectation = { what: whatToken.text, n };
    } else if (whatToken.text === 'fault') {
      const bitToken = c.take(`'P', 'U' or 'W'`);
      if (bitToken.text !== 'P' && bitToken.text !== 'U' && bitToken.text !== 'W') throw new LineError(`expected the bit whose check fails first, 'P', 'U' or 'W', found '${bitToken.text}'`, spanOf(bitToken));
      expectation = { what: 'fault', bit: bitToken.text as FaultBit };
    } else {
      throw new LineError(`expected 'pa', 'value' or 'fault', found '${whatToken.text}'${didYouMean(whatToken.text, ['pa', 'value', 'fault', 'user', 'kernel'])}`, spanOf(whatToken));
    }
    c.end();
    return { kind: 'expect', ...base, process, va, access: { kind, privilege }, expectation };
  }

  /** An optional `user` (the default) or `kernel`. */
  private privilege(c: Cursor): Privilege {
    const token = c.peek();
    if (token?.text === 'user' || token?.text === 'kernel') {
      c.take('a privilege');
      return token.text;
    }
    return 'user';
  }

  private useProcess(token: Token): string {
    if (!this.processes.has(token.text)) {
      const known = [...this.processes.keys()];
      throw new LineError(`no process named '${token.text}'${didYouMean(token.text, known)}${known.length ? '' : `: make one first with '${USAGE.process}'`}`, spanOf(token));
    }
    return token.text;
  }
}

/**
 * Parses a toy6 scenario (its first statement is `set machine toy6`). Never throws: every
 * problem is an error diagnostic, at most one per line.
 */
export function parseToy6(text: string): Toy6ParseResult {
  const parser = new Toy6Parser();
  for (const line of lex(text)) parser.parseLine(line);
  return { statements: parser.statements, diagnostics: parser.diagnostics };
}
