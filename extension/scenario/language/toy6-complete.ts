// Completions of a toy6 scenario (set machine toy6): its statements as snippets, process names
// defined above, and the words each statement takes next. Pure (no `vscode`).
import { lexLine } from '../../../simulator/scenario/lexer';
import type { CompletionEntry, CompletionResult } from './complete';

const SNIPPETS: readonly CompletionEntry[] = [
  { label: 'poke', kind: 'keyword', insertText: 'poke ${1:PA} ${2:0b000000}', snippet: true, detail: 'poke PA VALUE', documentation: 'Physical cell PA (0–63) holds VALUE (0–63). A PTE: frame bits, then U, W, P.' },
  { label: 'process', kind: 'snippet', insertText: '${1:A} = process cr3 ${2:8}', snippet: true, detail: 'P = process cr3 PA', documentation: 'A process whose page table is the page at PA (a multiple of 8).' },
  { label: 'read', kind: 'keyword', insertText: 'read ${1:A} ${2:0}', snippet: true, detail: 'read P VA [user|kernel]', documentation: 'One load; a fault is a note and the scenario goes on.' },
  { label: 'write', kind: 'keyword', insertText: 'write ${1:A} ${2:0} ${3:0}', snippet: true, detail: 'write P VA VALUE [user|kernel]', documentation: 'One store; a faulting store stores nothing.' },
  { label: 'expect', kind: 'keyword', insertText: 'expect ${1:A} ${2:0} ${3|read,write|} ${4|pa,value,fault|} ${5}', snippet: true, detail: 'expect P VA read|write [user|kernel] pa N | value N | fault P|U|W', documentation: 'Asserts what the access would do now (no access is made).' },
  { label: 'show', kind: 'keyword', insertText: 'show ${1|pagetable,physmem|} ${2}', snippet: true, detail: 'show pagetable P [VA], show physmem', documentation: 'The 8 entries of a table, one walk, or the 64 cells.' },
];

const words = (labels: readonly string[], detail: string): CompletionEntry[] => labels.map((label) => ({ label, kind: 'value', detail }));
const PRIVILEGE = words(['user', 'kernel'], 'who accesses: user (CPL 3, the default) or kernel (CPL 0, U not checked)');
const EXPECTATION = words(['pa', 'value', 'fault'], 'what the access would do');

/** Whether the first statement of `lines` is `set machine toy6`. */
export function isToy6Lines(lines: readonly string[]): boolean {
  for (const [i, raw] of lines.entries()) {
    const tokens = lexLine(raw, i + 1).tokens.map((t) => t.text);
    if (tokens.length) return tokens[0] === 'set' && tokens[1] === 'machine' && tokens[2] === 'toy6';
  }
  return false;
}

/** The completions at (`line`, `character`), 0-based, of a toy6 scenario. */
export function completeToy6At(lines: readonly string[], line: number, character: number): CompletionResult {
  const before = (lines[line] ?? '').slice(0, character);
  if (before.includes('#')) return { entries: [], wordStart: character };
  const tokens = lexLine(before, line + 1).tokens.map((t) => t.text);
  const typing = before.length === 0 || /\s$/.test(before) ? '' : (tokens.pop() ?? '');
  const result = (entries: CompletionEntry[]): CompletionResult => ({ entries, wordStart: character - typing.length });
  const names = new Set<string>();
  for (const [i, raw] of lines.slice(0, line).entries()) {
    const [name, eq, keyword] = lexLine(raw, i + 1).tokens.map((t) => t.text);
    if (name && eq === '=' && keyword === 'process') names.add(name);
  }
  const processes = () => words([...names].reverse(), 'process');
  if (tokens[1] === '=') return result(tokens.length === 2 ? words(['process'], 'P = process cr3 PA') : tokens.length === 3 ? words(['cr3'], 'the page table\'s base') : []);
  if (tokens.length === 0) return result([...SNIPPETS]);
  const [head, ...args] = tokens;
  switch (head) {
    case 'set':
      return result(args.length === 0 ? words(['machine'], 'the machine') : args.length === 1 ? words(['toy6'], 'the 6-bit teaching machine') : []);
    case 'read':
      return result(args.length === 0 ? processes() : args.length === 2 ? PRIVILEGE : []);
    case 'write':
      return result(args.length === 0 ? processes() : args.length === 3 ? PRIVILEGE : []);
    case 'expect':
      if (args.length === 0) return result(processes());
      if (args.length === 2) return result(words(['read', 'write'], 'the access'));
      if (args.length === 3) return result([...PRIVILEGE, ...EXPECTATION]);
      if (args.length === 4 && (args[3] === 'user' || args[3] === 'kernel')) return result(EXPECTATION);
      if (args[args.length - 1] === 'fault') return result(words(['P', 'U', 'W'], 'the first check that fails'));
      return result([]);
    case 'show':
      if (args.length === 0) return result(words(['pagetable', 'physmem'], 'show'));
      return result(args.length === 1 && args[0] === 'pagetable' ? processes() : []);
    default:
      return result([]);
  }
}
