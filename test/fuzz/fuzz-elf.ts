// Fuzzes the ELF reader, describeElf, the `asx elf` writers, execve and
// renderMaps with mutated copies of the fixture binaries.
//
//   node dist/test/fuzz.js [--iterations N] [--seed S] [--timeout-ms MS] [--start I] [--inline]
//
// Every error must be an ElfError or ExecError with a well-formed one-line
// message; every case must finish within the per-case budget; RSS must stay
// bounded. A failure prints seed, iteration and mutation, writes the input to
// test-results/fuzz-crash-<seed>-<i>.bin and makes the process exit 1.
// The CLI runs the cases in a worker thread so that a hang or an out-of-memory
// case is caught and reported too.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeElfJson } from '../../simulator/cli/elf-command';
import { writeElfText } from '../../simulator/cli/elf-text';
import { describeElf } from '../../simulator/elf/describe';
import { ElfFile } from '../../simulator/elf/elf-file';
import { ElfError } from '../../simulator/elf/errors';
import { MemoryFileAccess } from '../../simulator/elf/file-access';
import { execve } from '../../simulator/loader/binfmt-elf';
import { ExecError } from '../../simulator/loader/exec-error';
import type { FileSystem } from '../../simulator/loader/file-system';
import type { AslrMode } from '../../simulator/loader/randomization';
import { renderMaps } from '../../simulator/proc/maps';
import { formatFailure, fuzzMain, runCases, type FuzzFailure, type FuzzOptions, type Problem } from './fuzz-cli';
import { makeFixture, mutate, rngFor, type Fixture } from './mutations';



export interface FuzzSummary {
  readonly seed: number;
  readonly iterations: number;
  /** Cases whose program execve accepted (maps rendered). */
  readonly accepted: number;
  /** Cases whose program the reader described completely (`asx elf` would succeed). */
  readonly described: number;
  /** Rejections by error kind ("exec ENOEXEC", "elf ElfError", ...). */
  readonly rejected: Record<string, number>;
  readonly failures: FuzzFailure[];
  readonly slowestMs: number;
  readonly slowestCase: string;
  readonly maxRssMiB: number;
}

/** The inputs of one case: everything comes from (seed, iteration). */
export interface FuzzCase {
  readonly iteration: number;
  readonly program: Uint8Array;
  /** What the interpreter open returns: bytes, or undefined for "no such file". */
  readonly interpreter: Uint8Array | undefined;
  readonly interpreterMutated: boolean;
  readonly aslr: AslrMode;
  readonly description: string;
}

const INTERPRETER = 'test/fixtures/sysroot/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2';
const FIXTURE_DIR = 'test/fixtures/elf/bin';
const ASLR: readonly AslrMode[] = ['off', 'on', 'full'];

export interface Corpus {
  readonly programs: readonly Fixture[];
  readonly interpreter: Fixture;
}

const corpusCache = new Map<string, Corpus>();

export function loadCorpus(root: string): Corpus {
  let corpus = corpusCache.get(root);
  if (corpus) return corpus;
  const dir = join(root, FIXTURE_DIR);
  const programs = readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isFile())
    .sort()
    .map((name) => makeFixture(name, new Uint8Array(readFileSync(join(dir, name)))));
  const interpreter = makeFixture('ld-linux-x86-64.so.2', new Uint8Array(readFileSync(join(root, INTERPRETER))));
  corpus = { programs: [...programs, interpreter], interpreter };
  corpusCache.set(root, corpus);
  return corpus;
}

/** Builds case `iteration` of run `seed`, deterministically. */
export function buildCase(corpus: Corpus, seed: number, iteration: number): FuzzCase {
  const rng = rngFor(seed, iteration);
  const aslr = rng.pick(ASLR);
  const roll = rng.below(100);
  const base = rng.pick(corpus.programs);
  if (roll < 80) {
    const m = mutate(rng, base, corpus.programs);
    const missing = rng.chance(0.05);
    return {
      iteration, program: m.bytes, interpreter: missing ? undefined : corpus.interpreter.bytes, interpreterMutated: false, aslr,
      description: `program ${base.name}: ${m.steps.join('; ')}${missing ? '; interpreter missing' : ''}`,
    };
  }
  const mi = mutate(rng, corpus.interpreter, corpus.programs);
  if (roll < 90) {
    return {
      iteration, program: base.bytes, interpreter: mi.bytes, interpreterMutated: true, aslr,
      description: `program ${base.name} unchanged; interpreter: ${mi.steps.join('; ')}`,
    };
  }
  const m = mutate(rng, base, corpus.programs);
  return {
    iteration, program: m.bytes, interpreter: mi.bytes, interpreterMutated: true, aslr,
    description: `program ${base.name}: ${m.steps.join('; ')}; interpreter: ${mi.steps.join('; ')}`,
  };
}

const ELF_MESSAGE = /^offset 0x[0-9a-f]+: [^:\n]+: \S/;

/** Classifies a thrown value: a rejection kind, or a Problem when it is not an allowed error. */
function classify(error: unknown, where: string): { rejection?: string; problem?: Problem } {
  if (error instanceof ElfError) {
    if (!ELF_MESSAGE.test(error.message) || !error.field || error.message.includes('\n') || !Number.isSafeInteger(error.offset) || error.offset < 0) {
      return { problem: { kind: `${where}: malformed ElfError message`, message: error.message } };
    }
    return { rejection: 'ElfError' };
  }
  if (error instanceof ExecError) {
    if (!error.message.includes(`(execve fails with ${error.errno})`) || error.message.includes('\n')) {
      return { problem: { kind: `${where}: malformed ExecError message`, message: error.message } };
    }
    return { rejection: error.errno };
  }
  const name = error instanceof Error ? error.name : typeof error;
  const text = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
  return { problem: { kind: `${where}: unexpected ${name}`, message: text } };
}

interface CaseResult {
  readonly problems: Problem[];
  readonly rejections: string[];
  readonly described: boolean;
  readonly accepted: boolean;
}

const sink = { write: (_text: string) => undefined };

/** Runs every reader entry point on `bytes`; returns problems and rejections. */
async function fuzzReader(bytes: Uint8Array, label: string, problems: Problem[], rejections: string[]): Promise<boolean> {
  let elf: ElfFile;
  try {
    elf = await ElfFile.open(new MemoryFileAccess(label, bytes));
  } catch (error) {
    const c = classify(error, `${label} ElfFile.open`);
    if (c.problem) problems.push(c.problem);
    else rejections.push(`elf ${c.rejection}`);
    return false;
  }
  const steps: [string, () => Promise<unknown>][] = [
    ['sections', () => elf.sections()],
    ['segmentSections', () => elf.segmentSections()],
    ['symbolTables', async () => {
      for (const table of await elf.symbolTables()) {
        for (let i = 0; i < table.count; i++) table.at(i);
      }
    }],
    ['dynamic', () => elf.dynamic()],
    ['notes', () => elf.notes()],
    ['interpreter', () => elf.interpreter()],
    ['describeElf', async () => {
      const d = await describeElf(elf);
      writeElfText(d, sink);
      writeElfJson(d, sink);
    }],
  ];
  let complete = true;
  for (const [name, step] of steps) {
    try {
      await step();
    } catch (error) {
      complete = false;
      const c = classify(error, `${label} ${name}`);
      if (c.problem) problems.push(c.problem);
      else if (name === 'describeElf') rejections.push(`elf ${c.rejection}`);
    }
  }
  return complete;
}

const IDENTITY = { major: 8, minor: 1, inode: 1234 };

async function fuzzExecve(c: FuzzCase, problems: Problem[], rejections: string[]): Promise<boolean> {
  const fs: FileSystem = {
    openProgram: (path) => Promise.resolve({ access: new MemoryFileAccess(path, c.program, IDENTITY), path: '/fuzz/program' }),
    open: (path) => {
      if (!c.interpreter) return Promise.reject(new Error(`${path}: no such file or directory (ENOENT)`));
      return Promise.resolve({ access: new MemoryFileAccess(path, c.interpreter, { ...IDENTITY, inode: 99 }), path: '/lib64/ld-linux-x86-64.so.2' });
    },
  };
  try {
    const result = await execve(fs, 'program', { argv: ['program', 'arg'], envp: ['HOME=/'], aslr: c.aslr, seed: BigInt(c.iteration) });
    const text = renderMaps(result.mm);
    const taskSize = result.mm.layout.taskSize;
    let previousEnd = -1n;
    for (const vma of result.mm.vmaList) {
      if (vma.start < 0n || vma.start >= vma.end || vma.end > taskSize || vma.start < previousEnd || (vma.start & 0xfffn) || (vma.end & 0xfffn)) {
        problems.push({ kind: 'execve: impossible VMA', message: `0x${vma.start.toString(16)}-0x${vma.end.toString(16)} (${vma.origin.description})` });
        break;
      }
      previousEnd = vma.end;
    }
    if (!/^[0-9a-f]{8,}-[0-9a-f]{8,} [r-][w-][x-][ps] /.test(text)) problems.push({ kind: 'renderMaps: malformed output', message: text.split('\n')[0] ?? '' });
    return true;
  } catch (error) {
    const k = classify(error, 'execve');
    if (k.problem) problems.push(k.problem);
    else rejections.push(`exec ${k.rejection}`);
    return false;
  }
}

export async function runCase(c: FuzzCase): Promise<CaseResult> {
  const problems: Problem[] = [];
  const rejections: string[] = [];
  const described = await fuzzReader(c.program, 'program', problems, rejections);
  if (c.interpreterMutated && c.interpreter) await fuzzReader(c.interpreter, 'interpreter', problems, []);
  const accepted = await fuzzExecve(c, problems, rejections);
  return { problems, rejections, described, accepted };
}

function writeCrash(root: string, seed: number, c: FuzzCase): string {
  const dir = join(root, 'test-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `fuzz-crash-${seed}-${c.iteration}.bin`);
  writeFileSync(file, c.program);
  if (c.interpreterMutated && c.interpreter) writeFileSync(join(dir, `fuzz-crash-${seed}-${c.iteration}.interp.bin`), c.interpreter);
  return file;
}

/** Runs `iterations` cases; never throws for a case, reports it in `failures`. */
export async function runFuzz(options: FuzzOptions): Promise<FuzzSummary> {
  const root = options.root ?? process.cwd();
  const corpus = loadCorpus(root);
  const rejected: Record<string, number> = {};
  let accepted = 0;
  let described = 0;
  const run = await runCases(options, {
    build: (i) => buildCase(corpus, options.seed, i),
    run: runCase,
    writeCrash: (c) => writeCrash(root, options.seed, c),
    tally: (result) => {
      if (result.accepted) accepted++;
      if (result.described) described++;
      for (const r of new Set(result.rejections)) rejected[r] = (rejected[r] ?? 0) + 1;
    },
  });
  return { seed: options.seed, ...run, accepted, described, rejected };
}


export function formatSummary(s: FuzzSummary): string {
  const rejected = Object.entries(s.rejected).sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k} ${n}`).join(', ');
  return `fuzz: seed ${s.seed}, ${s.iterations} iterations, ${s.failures.length} failures; execve accepted ${s.accepted}, fully described ${s.described}; rejected: ${rejected || 'none'}; slowest case ${s.slowestMs.toFixed(1)} ms; max RSS ${s.maxRssMiB.toFixed(0)} MiB`;
}

// ---- command line -------------------------------------------------------------

const entry = process.argv[1] ?? '';
if (/fuzz(-elf)?\.(js|ts|mjs|cjs)$/.test(entry)) {
  fuzzMain<FuzzSummary>({
    name: 'fuzz',
    defaults: { iterations: 10000, timeoutMs: 1000 },
    cannotRun: () => (existsSync(join(process.cwd(), FIXTURE_DIR)) ? undefined : `run from the repository root (no ${FIXTURE_DIR} here)`),
    run: (o, onCaseStart, log) => runFuzz({ iterations: o.iterations, seed: o.seed, timeoutMs: o.timeoutMs, start: o.start, onCaseStart, log }),
    formatSummary,
    reportDeath: (seed, iteration, kind, message) => {
      const c = buildCase(loadCorpus(process.cwd()), seed, iteration);
      const crashFile = writeCrash(process.cwd(), seed, c);
      return formatFailure({ seed, iteration, description: c.description, kind, message, crashFile });
    },
  });
}
