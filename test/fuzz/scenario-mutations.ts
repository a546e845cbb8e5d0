// A deterministic mutator of `.aspace` scenarios: text-level damage (bytes, tokens, lines,
// line endings, unicode, NUL), hostile numbers, and statements made up from the scenario's
// own names: operations on dead processes, huge mappings, deep fork chains, exec of files
// that are not ELF. The same Rng state always gives the same text.
import type { Rng } from './mutations';

/** A scenario of the corpus: its text and where it lives (its PATHs are relative to `dir`). */
export interface ScenarioFixture {
  readonly name: string;
  readonly dir: string;
  readonly text: string;
}

/** Absolute paths of files a mutated scenario may exec, map or dlopen. */
export interface HostileFiles {
  /** A real static ELF program (test/fixtures). */
  readonly program: string;
  /** Its first few hundred bytes. */
  readonly truncatedElf: string;
  /** Random bytes. */
  readonly garbage: string;
  readonly empty: string;
  readonly directory: string;
  readonly missing: string;
  /** Files that must never block or be read whole: a FIFO, a socket, a symlink loop, devices, /proc files, a 100 GB sparse file. */
  readonly special: readonly string[];
}

export interface ScenarioMutation {
  readonly text: string;
  /** What was done, step by step, for the failure report. */
  readonly steps: readonly string[];
}

/** Sizes the parser accepts, many of them far larger than any machine. */
const VALID_SIZES = [
  '1', '4095', '4096', '4K', '1P', '2M', '1G', '64G', '0x1000', '0xfff', '16P', '1kB', '1p', '0', '3',
  '0xffffffffffffffff', '18446744073709551615', '0xfffffffffffff000', '0x7ffffffff000', '0x800000000000', '4503599627370495P', '16777215G', '262144P',
];
const NUMBERS = [...VALID_SIZES,
  '0x10000000000000000', '18446744073709551616', '99999999999999999999P', '4503599627370496P', '-1', '-4K', '+4K', '0x', '1.5K', '1e3', '1T', '٣', '１２', '0x1g', '00', '-0', '',
];
const PERMS = ['rw-', 'r--', '---', 'r-x', 'rwx', '-w-', 'rw-p', 'RW-', 'rw'];
const ADVICE = ['dontneed', 'pageout', 'cold', 'willneed', 'free', 'MADV_DONTNEED', 'bogus'];
const WEIRD = ['\u0000', '\u00e9', '\u200b', '\ud83d\ude00', '\ud800', '\u00a0', '\u3000', '\ufeff', '\t', '\r', '\u2028', '=', '#', '+', '-'];
const KEYWORDS = ['set', 'exec', 'fork', 'exit', 'mmap', 'read', 'write', 'munmap', 'mprotect', 'madvise', 'msync', 'brk', 'reclaim', 'expect', 'show', 'dlopen', 'heap', 'stack', 'killed', '='];

/** The process and region names a scenario defines (`P = exec|fork`, `R = mmap`). */
export function namesIn(text: string): { processes: string[]; regions: string[] } {
  const processes = new Set<string>();
  const regions = new Set<string>();
  for (const m of text.matchAll(/^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*=\s*(exec|fork|mmap)\b/gm)) {
    ((m[2] === 'mmap' ? regions : processes) as Set<string>).add(m[1] as string);
  }
  return { processes: [...processes], regions: [...regions] };
}

/** A size: small, huge or (unless `valid`) malformed. */
function sizeOf(rng: Rng, valid: boolean): string {
  if (rng.chance(0.4)) return `${1 + rng.below(64)}${rng.pick(['K', 'P', 'M', '000'])}`;
  return rng.pick(valid ? VALID_SIZES : NUMBERS);
}

function path(rng: Rng, files: HostileFiles): string {
  if (files.special.length && rng.chance(0.3)) return rng.pick(files.special);
  return rng.pick([files.program, files.truncatedElf, files.garbage, files.empty, files.directory, files.missing, 'hello/hello', 'data/notes.txt', 'data/file32.bin', '../../fixtures/elf/bin/pie', '/', '']);
}

/** One statement, well-formed or nearly, over the scenario's names. */
export function randomStatement(rng: Rng, names: { processes: string[]; regions: string[] }, files: HostileFiles, valid: boolean): string {
  const size = (r: Rng) => sizeOf(r, valid);
  const p = () => (names.processes.length && (valid || rng.chance(0.9)) ? rng.pick(names.processes) : rng.pick(['P', 'Q', 'nobody', 'heap']));
  const r = () => (names.regions.length && rng.chance(0.7) ? rng.pick(names.regions) : rng.pick(['heap', 'stack', '0x0', '0x7ffffffff000', '0xffffffffffffffff', ...(valid ? [] : ['R', 'nowhere'])]));
  const fresh = () => rng.pick(['N', 'P', 'Q', 'R', 'A', 'B', ...names.processes, ...names.regions]);
  const range = () => (rng.chance(0.5) ? ` ${size(rng)} ${size(rng)}` : '');
  const perms = () => (valid ? rng.pick(PERMS.slice(0, 6)) : rng.pick(PERMS));
  const file = () => (valid && rng.chance(0.9) ? rng.pick([files.program, 'data/notes.txt', 'data/file32.bin', 'data/file256.bin']) : path(rng, files));
  switch (rng.below(20)) {
    case 0: return `set ${rng.pick(['ram', 'swap'])} ${size(rng)}`;
    case 1: return rng.pick(['set aslr on', 'set aslr full', 'set aslr 3', 'set seed 0xffffffffffffffff', 'set exec start', 'set exec entry', 'set pkeys on', 'set ram 4K', 'set swap 1P']);
    case 2: return `${fresh()} = exec ${file()}${rng.chance(0.2) ? ' a b c' : ''}`;
    case 3: return `${fresh()} = fork ${p()}`;
    case 4: return `exit ${p()}`;
    case 5: return `${fresh()} = mmap ${p()} ${size(rng)} ${perms()} ${rng.pick(['private', 'shared'])} anon`;
    case 6: return `${fresh()} = mmap ${p()} ${size(rng)} ${perms()} ${rng.pick(['private', 'shared'])} file ${file()}${rng.chance(0.3) ? ` offset ${size(rng)}` : ''}`;
    case 7:
    case 8: return `${rng.pick(['read', 'write', 'exec'])} ${p()} ${r()}${rng.chance(0.5) ? ` ${size(rng)}${rng.chance(0.5) ? ` ${size(rng)}` : ''}` : ''}`;
    case 9: return `munmap ${p()} ${r()}${range()}`;
    case 10: return `mprotect ${p()} ${r()}${range()} ${perms()}`;
    case 11: return `madvise ${p()} ${r()}${range()} ${rng.pick(ADVICE)}`;
    case 12: return `msync ${p()} ${r()}${range()}`;
    case 13: return `brk ${p()} ${rng.pick(['+', '-', ''])}${size(rng)}`;
    case 14: return `reclaim ${size(rng)}`;
    case 15: return `dlopen ${p()} ${rng.pick(['libm.so.6', 'libc.so.6', 'libnothere.so', files.garbage, files.truncatedElf, files.program, files.directory, '../x', '\u0000', ...files.special])}`;
    case 16: return `expect ${p()} ${r()} ${rng.pick(['Rss', 'Pss', 'Swap', 'VmRSS', 'Size', 'Bogus'])}=${size(rng)}`;
    case 17: return `expect ${p()} killed ${rng.pick(['SIGSEGV', 'SIGBUS', 'SIGKILL', 'segv'])}`;
    case 18: return `show ${rng.pick(['maps', 'rollup', 'status'])} ${p()}`;
    default: return `show ${rng.pick(['smaps', 'pagetable'])} ${p()} ${r()}${rng.chance(0.4) ? ` ${size(rng)}` : ''}`;
  }
}

/** Many statements: a long run, a deep fork chain, or one mapping touched over and over. */
function manyStatements(rng: Rng, names: { processes: string[]; regions: string[] }, files: HostileFiles, valid: boolean): { lines: string[]; step: string } {
  const parent = names.processes.length ? rng.pick(names.processes) : 'P';
  const kind = rng.below(3);
  const count = kind === 0 ? 300 + rng.below(700) : 1000 + rng.below(3000);
  if (kind === 0) {
    const lines = Array.from({ length: count }, (_, i) => `C${i} = fork ${i === 0 ? parent : `C${i - 1}`}`);
    return { lines, step: `fork chain of ${count} from ${parent}` };
  }
  if (kind === 1) {
    const lines = [`Z = mmap ${parent} 64K rw- private anon`];
    for (let i = 0; i < count; i++) lines.push(rng.pick([`write ${parent} Z ${(i % 16) * 4096}`, `madvise ${parent} Z pageout`, `read ${parent} Z`, `mprotect ${parent} Z r--`, `mprotect ${parent} Z rw-`, `munmap ${parent} Z 4K 4K`]));
    return { lines, step: `${count} operations on one mapping of ${parent}` };
  }
  const lines = Array.from({ length: count }, () => randomStatement(rng, names, files, valid));
  return { lines, step: `${count} random statements` };
}

/** Mutates a copy of a scenario with 1–4 random steps; `others` are donors of lines. */
export function mutateScenario(rng: Rng, fixture: ScenarioFixture, others: readonly ScenarioFixture[], files: HostileFiles): ScenarioMutation {
  let lines = fixture.text.split('\n');
  const names = namesIn(fixture.text);
  const steps: string[] = [];
  // Half the cases keep the scenario valid, so that its run (not only the parser) meets the damage.
  const valid = rng.chance(0.5);
  const count = 1 + rng.below(valid ? 6 : 4);
  const lineAt = () => rng.below(lines.length + 1);
  const tokens = (line: string) => line.split(/(\s+)/);
  for (let n = 0; n < count; n++) {
    const kind = valid ? rng.pick([0, 0, 0, 66, 76, 90]) : rng.below(100);
    if (kind < 25) {
      const at = lineAt();
      const statement = randomStatement(rng, names, files, valid);
      lines.splice(at, 0, statement);
      steps.push(`insert at line ${at + 1}: ${statement}`);
    } else if (kind < 35) {
      const at = rng.below(lines.length);
      const parts = tokens(lines[at] ?? '');
      const word = rng.below(parts.length);
      const replacement = rng.pick([...NUMBERS, ...KEYWORDS, ...PERMS, ...names.processes, ...names.regions]);
      parts[word] = replacement;
      lines[at] = parts.join('');
      steps.push(`line ${at + 1}: token ${word} := '${replacement}'`);
    } else if (kind < 45) {
      const at = rng.below(lines.length);
      const parts = tokens(lines[at] ?? '');
      const a = rng.below(parts.length);
      const b = rng.below(parts.length);
      const action = rng.below(3);
      if (action === 0) [parts[a], parts[b]] = [parts[b] as string, parts[a] as string];
      else if (action === 1) parts.splice(a, 1);
      else parts.splice(a, 0, parts[b] as string);
      lines[at] = parts.join('');
      steps.push(`line ${at + 1}: ${['swap tokens', 'delete token', 'duplicate token'][action]} ${a} ${b}`);
    } else if (kind < 55) {
      const a = rng.below(lines.length);
      const b = rng.below(lines.length);
      const action = rng.below(3);
      if (action === 0) [lines[a], lines[b]] = [lines[b] as string, lines[a] as string];
      else if (action === 1) lines.splice(a, 1);
      else lines.splice(b, 0, lines[a] as string);
      steps.push(`${['swap lines', 'delete line', 'duplicate line'][action]} ${a + 1} ${b + 1}`);
    } else if (kind < 65) {
      const text = lines.join('\n');
      const at = rng.below(text.length + 1);
      const ch = rng.chance(0.5) ? rng.pick(WEIRD) : String.fromCharCode(rng.below(0x80));
      const replace = rng.chance(0.5) ? 1 : 0;
      lines = (text.slice(0, at) + ch + text.slice(at + replace)).split('\n');
      steps.push(`${replace ? 'replace' : 'insert'} U+${ch.charCodeAt(0).toString(16)} at ${at}`);
    } else if (kind < 70) {
      const { lines: many, step } = manyStatements(rng, names, files, valid);
      lines.splice(lineAt(), 0, ...many);
      steps.push(step);
    } else if (kind < 74) {
      const at = rng.below(lines.length);
      const length = 1000 + rng.below(200_000);
      lines[at] = `${lines[at] ?? ''} ${rng.pick(['x', 'rw-', '0x1', ' ', '#', 'A'])}`.repeat(Math.ceil(length / 4)).slice(0, length);
      steps.push(`line ${at + 1} made ${length} characters long`);
    } else if (kind < 78) {
      lines = lines.map((l) => (rng.chance(0.5) ? `${l}\r` : l));
      if (rng.chance(0.3)) lines[0] = `\ufeff${lines[0] ?? ''}`;
      steps.push('CRLF line ends (some), maybe a BOM');
    } else if (kind < 88) {
      const donor = rng.pick(others.length ? others : [fixture]).text.split('\n');
      const from = rng.below(donor.length);
      const run = donor.slice(from, from + 1 + rng.below(8));
      lines.splice(lineAt(), 0, ...run);
      steps.push(`splice ${run.length} lines from another scenario`);
    } else if (kind < 94) {
      // Reuse a name: define it again as the other kind, or exit a process early.
      const victim = names.processes.length ? rng.pick(names.processes) : 'P';
      const statement = rng.pick([`exit ${victim}`, `${victim} = mmap ${victim} 4K rw- private anon`, `${victim} = fork ${victim}`, `${rng.pick(names.regions.length ? names.regions : ['R'])} = fork ${victim}`, `read ${victim} ${victim}`]);
      const at = lineAt();
      lines.splice(at, 0, statement);
      steps.push(`insert at line ${at + 1}: ${statement}`);
    } else {
      const at = rng.below(lines.length);
      const line = lines[at] ?? '';
      lines[at] = line.slice(0, rng.below(line.length + 1));
      steps.push(`truncate line ${at + 1}`);
    }
  }
  return { text: lines.join('\n'), steps: [valid ? 'valid' : 'any', ...steps] };
}
