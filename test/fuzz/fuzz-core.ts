// Fuzzes readCore, the core maps and summary writers and `asx elf`'s description of a core with
// mutated copies of the fixture cores (test/fixtures/core/*.core): the ELF mutations plus
// core-specific ones (NT_FILE counts, note sizes past the end, overlapping and wrapping PT_LOADs).
//
//   node dist/test/fuzz-core.js [--iterations N] [--seed S] [--timeout-ms MS] [--start I] [--inline]
//
// Every error must be an ElfError with a one-line message; warnings must be one line; regions
// must come out sorted and disjoint; every case within the time and RSS budgets.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { coreSummaryText } from '../../simulator/cli/core-command';
import { writeElfJson } from '../../simulator/cli/elf-command';
import { writeElfText } from '../../simulator/cli/elf-text';
import { describeElf } from '../../simulator/elf/describe';
import { ElfFile } from '../../simulator/elf/elf-file';
import { ElfError } from '../../simulator/elf/errors';
import { MemoryFileAccess } from '../../simulator/elf/file-access';
import { readCore, renderCoreMaps } from '../../simulator/live/core';
import { formatFailure, fuzzMain, runCases, type FuzzFailure, type FuzzOptions, type Problem } from './fuzz-cli';
import { makeFixture, mutate, rngFor, type Fixture, type Rng } from './mutations';

const FIXTURE_DIR = 'test/fixtures/core';

interface CoreFixture extends Fixture {
  /** File offsets of each note header (n_namesz, n_descsz, n_type). */
  readonly notes: readonly number[];
  /** File offset of NT_FILE's descriptor, if any. */
  readonly fileNote?: number;
  readonly phoff: number;
  readonly phnum: number;
}

function coreFixture(name: string, bytes: Uint8Array): CoreFixture {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const phoff = Number(v.getBigUint64(32, true));
  const phnum = v.getUint16(56, true);
  const notes: number[] = [];
  let fileNote: number | undefined;
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * 56;
    if (v.getUint32(at, true) !== 4) continue;
    const start = Number(v.getBigUint64(at + 8, true));
    const end = start + Number(v.getBigUint64(at + 32, true));
    for (let n = start; n + 12 <= end;) {
      const namesz = v.getUint32(n, true);
      const descsz = v.getUint32(n + 4, true);
      notes.push(n);
      const desc = n + 12 + Math.ceil(namesz / 4) * 4;
      if (v.getUint32(n + 8, true) === 0x46494c45) fileNote = desc;
      n = desc + Math.ceil(descsz / 4) * 4;
    }
  }
  return { ...makeFixture(name, bytes), notes, fileNote, phoff, phnum };
}

let corpusCache: CoreFixture[] | undefined;
let programCache: Fixture | undefined;

export function loadCoreCorpus(root: string): CoreFixture[] {
  const dir = join(root, FIXTURE_DIR);
  corpusCache ??= readdirSync(dir).filter((n) => n.endsWith('.core')).sort().map((n) => coreFixture(n, new Uint8Array(readFileSync(join(dir, n)))));
  programCache ??= makeFixture('tiny-core', new Uint8Array(readFileSync(join(dir, 'bin/tiny-core'))));
  return corpusCache;
}

export interface CoreFuzzCase {
  readonly iteration: number;
  readonly bytes: Uint8Array;
  /** What openMappedFile returns for every path (a possibly mutated tiny-core), or undefined. */
  readonly mappedFile?: Uint8Array;
  readonly description: string;
}

const u32 = (b: Uint8Array, at: number, value: number) => new DataView(b.buffer, b.byteOffset).setUint32(at, value >>> 0, true);
const u64 = (b: Uint8Array, at: number, value: bigint) => new DataView(b.buffer, b.byteOffset).setBigUint64(at, BigInt.asUintN(64, value), true);

/** One mutation that only a core has: its notes and its many PT_LOADs. */
function coreMutation(rng: Rng, f: CoreFixture, bytes: Uint8Array): string {
  const roll = rng.below(6);
  if (roll === 0 && f.fileNote !== undefined) {
    const count = rng.pick([0n, 1n, 0xffffn, 1n << 32n, 1n << 60n, (1n << 64n) - 1n]);
    u64(bytes, f.fileNote, count);
    return `NT_FILE count = 0x${count.toString(16)}`;
  }
  if (roll === 1 && f.fileNote !== undefined) {
    const page = rng.pick([0n, 1n, 3n, 1n << 40n, (1n << 64n) - 1n]);
    u64(bytes, f.fileNote + 8, page);
    return `NT_FILE page_size = 0x${page.toString(16)}`;
  }
  if (roll === 2 && f.notes.length) {
    const at = rng.pick(f.notes);
    const size = rng.pick([0xffffffff, bytes.length, 0x7fffffff, 1, 0]);
    u32(bytes, at + (rng.chance(0.5) ? 4 : 0), size);
    return `note at 0x${at.toString(16)}: a size = 0x${size.toString(16)}`;
  }
  if (roll === 3 && f.phnum > 2) {
    const a = f.phoff + rng.below(f.phnum) * 56;
    const b = f.phoff + rng.below(f.phnum) * 56;
    bytes.copyWithin(b + 16, a + 16, a + 24);
    return `PT_LOAD vaddr copied from 0x${a.toString(16)} to 0x${b.toString(16)} (overlap)`;
  }
  if (roll === 4 && f.phnum > 1) {
    const at = f.phoff + rng.below(f.phnum) * 56;
    u64(bytes, at + 40, rng.pick([(1n << 64n) - 1n, 1n << 63n, 1n << 47n]));
    return `phdr at 0x${at.toString(16)}: p_memsz past the top of the address space`;
  }
  const at = rng.pick(f.notes.length ? f.notes : [0]);
  const length = Math.min(bytes.length, at + rng.below(0x800));
  return `truncate to 0x${length.toString(16)} (in the notes)|${length}`;
}

export function buildCoreCase(corpus: readonly CoreFixture[], seed: number, iteration: number): CoreFuzzCase {
  const rng = rngFor(seed, iteration);
  const base = rng.pick(corpus);
  const steps: string[] = [];
  let bytes = base.bytes.slice();
  if (rng.chance(0.6)) {
    const m = mutate(rng, base, corpus);
    bytes = m.bytes.slice();
    steps.push(...m.steps);
  }
  if (bytes.length >= base.bytes.length && (steps.length === 0 || rng.chance(0.5))) {
    const step = coreMutation(rng, base, bytes);
    const [text, cut] = step.split('|');
    if (cut !== undefined) bytes = bytes.slice(0, Number(cut));
    steps.push(text as string);
  }
  let mappedFile: Uint8Array | undefined;
  if (programCache && rng.chance(0.5)) {
    const m = rng.chance(0.5) ? mutate(rng, programCache, []) : { bytes: programCache.bytes, steps: ['unchanged'] };
    mappedFile = m.bytes;
    steps.push(`mapped files: tiny-core ${m.steps.join(', ')}`);
  }
  return { iteration, bytes, mappedFile, description: `${base.name}: ${steps.join('; ') || 'unchanged'}` };
}

const ELF_MESSAGE = /^offset 0x[0-9a-f]+: [^\n]+$/;
const sink = { write: (_text: string) => undefined };

function classify(error: unknown, where: string): Problem | undefined {
  if (error instanceof ElfError) {
    return ELF_MESSAGE.test(error.message) && Number.isSafeInteger(error.offset) && error.offset >= 0 ? undefined : { kind: `${where}: malformed ElfError message`, message: error.message };
  }
  const text = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
  return { kind: `${where}: unexpected ${error instanceof Error ? error.name : typeof error}`, message: text };
}

export interface CoreCaseResult {
  readonly problems: Problem[];
  readonly read: boolean;
}

export async function runCoreCase(c: CoreFuzzCase): Promise<CoreCaseResult> {
  const problems: Problem[] = [];
  let read = false;
  try {
    const mapped = c.mappedFile;
    const openMappedFile = mapped ? (path: string) => Promise.resolve(new MemoryFileAccess(path, mapped, { major: 8, minor: 1, inode: 7 })) : undefined;
    const dump = await readCore(new MemoryFileAccess('core', c.bytes), { openMappedFile });
    read = true;
    renderCoreMaps(dump);
    coreSummaryText(dump);
    JSON.stringify(dump);
    let previous = -1n;
    for (const r of dump.regions) {
      const start = BigInt(r.start);
      const end = BigInt(r.end);
      if (start >= end || start < previous) {
        problems.push({ kind: 'readCore: regions out of order', message: `${r.start}-${r.end} after 0x${previous.toString(16)}` });
        break;
      }
      previous = end;
    }
    for (const line of [...dump.warnings, ...dump.notes]) if (line.includes('\n')) problems.push({ kind: 'readCore: a warning of several lines', message: line });
  } catch (error) {
    const p = classify(error, 'readCore');
    if (p) problems.push(p);
  }
  try {
    const d = await describeElf(await ElfFile.open(new MemoryFileAccess('core', c.bytes)));
    writeElfText(d, sink);
    writeElfJson(d, sink);
  } catch (error) {
    const p = classify(error, 'describeElf');
    if (p) problems.push(p);
  }
  return { problems, read };
}

export interface CoreFuzzSummary {
  readonly seed: number;
  readonly iterations: number;
  /** Cases readCore read (possibly with warnings). */
  readonly read: number;
  readonly failures: FuzzFailure[];
  readonly slowestMs: number;
  readonly slowestCase: string;
  readonly maxRssMiB: number;
}

function writeCrash(root: string, seed: number, c: CoreFuzzCase): string {
  const dir = join(root, 'test-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `fuzz-core-crash-${seed}-${c.iteration}.core`);
  writeFileSync(file, c.bytes);
  return file;
}

export async function runCoreFuzz(options: FuzzOptions): Promise<CoreFuzzSummary> {
  const root = options.root ?? process.cwd();
  const corpus = loadCoreCorpus(root);
  let read = 0;
  const run = await runCases(options, {
    build: (i) => buildCoreCase(corpus, options.seed, i),
    run: runCoreCase,
    writeCrash: (c) => writeCrash(root, options.seed, c),
    tally: (result) => {
      if (result.read) read++;
    },
  });
  return { seed: options.seed, ...run, read };
}

export function formatCoreSummary(s: CoreFuzzSummary): string {
  return `fuzz-core: seed ${s.seed}, ${s.iterations} iterations, ${s.failures.length} failures; read ${s.read}; slowest case ${s.slowestMs.toFixed(1)} ms; max RSS ${s.maxRssMiB.toFixed(0)} MiB`;
}

const entry = process.argv[1] ?? '';
if (/fuzz-core\.(js|ts|mjs|cjs)$/.test(entry)) {
  fuzzMain<CoreFuzzSummary>({
    name: 'fuzz-core',
    defaults: { iterations: 3000, timeoutMs: 1000 },
    cannotRun: () => (existsSync(join(process.cwd(), FIXTURE_DIR)) ? undefined : `run from the repository root (no ${FIXTURE_DIR} here)`),
    run: (o, onCaseStart, log) => runCoreFuzz({ iterations: o.iterations, seed: o.seed, timeoutMs: o.timeoutMs, start: o.start, onCaseStart, log }),
    formatSummary: formatCoreSummary,
    reportDeath: (seed, iteration, kind, message) => {
      const c = buildCoreCase(loadCoreCorpus(process.cwd()), seed, iteration);
      return formatFailure({ seed, iteration, description: c.description, kind, message, crashFile: writeCrash(process.cwd(), seed, c) });
    },
  });
}
