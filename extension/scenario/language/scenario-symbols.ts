// The names a scenario defines (processes and regions), found by a tolerant scan of the text
// so that completion and hovers work on lines that do not parse yet. No `vscode` here: unit-tested.
import { splitLines } from '../../../simulator/scenario/lexer';

/** Where a process or region name is defined: `P = exec …`, `Q = fork P`, `R = mmap P …`. */
export interface Definition {
  readonly name: string;
  readonly kind: 'process' | 'region';
  /** 1-based line; 0-based `start`/`end` characters of the name in it. */
  readonly line: number;
  readonly start: number;
  readonly end: number;
  /** The statement, without its comment. */
  readonly text: string;
  /** A region's process (mmap), a child's parent (fork), or a thread's process (thread). */
  readonly process?: string;
  readonly how: 'exec' | 'fork' | 'mmap' | 'thread';
}

const NAME = '[A-Za-z_][A-Za-z0-9_-]*';
const DEFINITION = new RegExp(`^(\\s*)(${NAME})\\s*=\\s*(exec|fork|mmap|thread)\\b\\s*(${NAME})?`);

/** Every definition in the text, in line order (only lines before `beforeLine`, 1-based, when given). */
export function scanDefinitions(lines: readonly string[], beforeLine = Number.POSITIVE_INFINITY): Definition[] {
  const found: Definition[] = [];
  const last = Math.min(lines.length, beforeLine - 1);
  for (let i = 0; i < last; i++) {
    const raw = lines[i] ?? '';
    if (!raw.includes('=')) continue;
    const code = raw.split('#', 1)[0] ?? '';
    const m = DEFINITION.exec(code);
    if (!m) continue;
    const [, indent = '', name = '', how = 'exec', operand] = m;
    const start = indent.length;
    const kind = how === 'mmap' ? 'region' : 'process';
    found.push({ name, kind, line: i + 1, start, end: start + name.length, text: code.trim(), how: how as Definition['how'], ...(operand && how !== 'exec' ? { process: operand } : {}) });
  }
  return found;
}

export const definitionsOfText = (text: string, beforeLine?: number): Definition[] => scanDefinitions(splitLines(text), beforeLine);

/** The definition a use of `name` on `line` refers to: the last one on or before that line. */
export function definitionFor(definitions: readonly Definition[], name: string, line: number): Definition | undefined {
  let found: Definition | undefined;
  for (const d of definitions) if (d.name === name && d.line <= line) found = d;
  return found;
}

/** Names of the processes defined so far (latest definition last, each once). */
export function processNames(definitions: readonly Definition[]): string[] {
  return unique(definitions.filter((d) => d.kind === 'process').map((d) => d.name));
}

/**
 * The regions `process` has: those it mapped, and those it inherited through fork from the
 * parent's regions at the time of the fork. Unknown process: every region.
 */
export function regionNames(definitions: readonly Definition[], process?: string): string[] {
  const owned = new Map<string, Set<string>>();
  for (const d of definitions) {
    // A thread shares its process's regions (one mm); a fork child starts with a copy of them.
    if (d.kind === 'process' && d.how === 'thread' && d.process) owned.set(d.name, owned.get(d.process) ?? new Set());
    else if (d.kind === 'process') owned.set(d.name, d.how === 'fork' && d.process ? new Set(owned.get(d.process)) : new Set());
    else if (d.process) {
      for (const set of owned.values()) set.delete(d.name);
      owned.get(d.process)?.add(d.name);
    }
  }
  const all = unique(definitions.filter((d) => d.kind === 'region').map((d) => d.name));
  if (process === undefined || !owned.has(process)) return all;
  const mine = owned.get(process) ?? new Set<string>();
  return all.filter((r) => mine.has(r));
}

function unique(names: string[]): string[] {
  return [...new Set(names.reverse())].reverse();
}

/** The word (a name, a size, an address, perms) at a 0-based character of a line. */
export function wordAt(lineText: string, character: number): { text: string; start: number; end: number } | undefined {
  const isWord = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_+\-=]/.test(c) && c !== '=';
  let start = Math.min(character, lineText.length);
  let end = start;
  while (start > 0 && isWord(lineText[start - 1])) start--;
  while (end < lineText.length && isWord(lineText[end])) end++;
  if (start === end) return undefined;
  const hash = lineText.indexOf('#');
  if (hash >= 0 && start > hash) return undefined;
  return { text: lineText.slice(start, end), start, end };
}
