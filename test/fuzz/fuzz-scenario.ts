// Fuzzes the scenario language: parseScenario, runScenario, the states and view models of a run
// (as the scenario panel asks for them) and `asx run`, with mutated copies of the bundled
// scenarios (examples/ and test/oracle/scenarios/).
//
//   node dist/test/fuzz-scenario.js [--iterations N] [--seed S] [--timeout-ms MS] [--start I] [--inline]
//
// parseScenario never throws and its diagnostics lie inside the text, on one line each;
// runScenario gives diagnostics or a run, or throws ScenarioError with a line and column; the
// views of a run never throw; `asx run` exits 0, 1 or 2 with one-line messages. Every case
// finishes within its budget and RSS stays bounded. A failure prints seed, iteration and the
// mutation, writes the scenario to test-results/fuzz-scenario-crash-<seed>-<i>.aspace and makes
// the process exit 1.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { main } from '../../simulator/cli/main';
import { NodeFileSystem } from '../../simulator/cli/node-file-access';
import { splitLines } from '../../simulator/scenario/lexer';
import { parseScenario, type ParseResult } from '../../simulator/scenario/parser';
import { ScenarioError } from '../../simulator/scenario/prepare';
import { runScenario, type RunOutcome } from '../../simulator/scenario/run';
import { ensureScenarioData } from '../support/scenarios';
import { checkRunViews } from './check-run-views';
import { formatFailure, fuzzMain, runCases, type FuzzFailure, type FuzzOptions, type Problem } from './fuzz-cli';
import { Rng, rngFor } from './mutations';
import { mutateScenario, type HostileFiles, type ScenarioFixture } from './scenario-mutations';



export interface ScenarioFuzzSummary {
  readonly seed: number;
  readonly iterations: number;
  /** Outcomes: "diagnostics", "cannot run", "ran", "ran with failed expects". */
  readonly outcomes: Record<string, number>;
  readonly failures: FuzzFailure[];
  readonly slowestMs: number;
  readonly slowestCase: string;
  readonly maxRssMiB: number;
}

interface ScenarioCorpus {
  readonly root: string;
  readonly fixtures: readonly ScenarioFixture[];
  readonly files: HostileFiles;
  /** A copy of the repository's scenario folders (their data as links), where `asx run` reads the cases. */
  readonly mirror: string;
}

export interface ScenarioCase {
  readonly iteration: number;
  readonly fixture: ScenarioFixture;
  readonly text: string;
  readonly description: string;
  /** Run through `asx run` too (a quarter of the cases: it runs the scenario again). */
  readonly viaCli: boolean;
  /** Picks the steps, processes and addresses the views are asked about. */
  readonly rng: Rng;
}

const SCENARIO_DIRS = ['examples', 'test/oracle/scenarios'];
const PROGRAM = 'test/fixtures/elf/bin/static';

const corpusCache = new Map<string, ScenarioCorpus>();

/** A FIFO with no writer, a listening socket, a symlink loop and a 100 GB sparse file (what exec, mmap and dlopen must not block on). */
function makeSpecialFiles(dir: string): void {
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  createServer().listen(join(dir, 'socket')).unref();
  symlinkSync('loop-b', join(dir, 'loop-a'));
  symlinkSync('loop-a', join(dir, 'loop-b'));
  writeFileSync(join(dir, 'sparse-100G'), '');
  truncateSync(join(dir, 'sparse-100G'), 100e9);
}

/** Files a scenario may exec or map that are not what they should be: made once, in a temporary folder. */
function makeHostileFiles(root: string, dir: string): HostileFiles {
  const program = join(root, PROGRAM);
  const special = [join(dir, 'fifo'), join(dir, 'socket'), join(dir, 'loop-a'), join(dir, 'sparse-100G'), '/dev/zero', '/dev/urandom', '/dev/null', '/proc/self/status', '/proc/kcore', '/proc/self/mem'];
  const files = { program, truncatedElf: join(dir, 'truncated.elf'), garbage: join(dir, 'garbage.bin'), empty: join(dir, 'empty'), directory: join(dir, 'folder'), missing: join(dir, 'missing'), special };
  makeSpecialFiles(dir);
  writeFileSync(files.truncatedElf, readFileSync(program).subarray(0, 300));
  const rng = new Rng(7);
  writeFileSync(files.garbage, Uint8Array.from({ length: 8192 }, () => rng.below(256)));
  writeFileSync(files.empty, '');
  mkdirSync(files.directory);
  return files;
}

/** The scenario folders again under `mirror`, each entry a link to the original, so relative PATHs resolve. */
function makeMirror(root: string, mirror: string): void {
  for (const dir of SCENARIO_DIRS) {
    mkdirSync(join(mirror, dir), { recursive: true });
    for (const entry of readdirSync(join(root, dir))) if (!entry.endsWith('.aspace')) symlinkSync(join(root, dir, entry), join(mirror, dir, entry));
  }
  symlinkSync(join(root, 'test/fixtures'), join(mirror, 'test/fixtures'));
}

function loadScenarioCorpus(root: string): ScenarioCorpus {
  let corpus = corpusCache.get(root);
  if (corpus) return corpus;
  ensureScenarioData();
  const fixtures = SCENARIO_DIRS.flatMap((dir) =>
    readdirSync(join(root, dir)).filter((f) => f.endsWith('.aspace')).sort().map((f) => ({ name: `${dir}/${f}`, dir: join(root, dir), text: readFileSync(join(root, dir, f), 'utf8') })));
  const temp = mkdtempSync(join(tmpdir(), 'asx-fuzz-scenario-'));
  const mirror = join(temp, 'mirror');
  makeMirror(root, mirror);
  corpus = { root, fixtures, files: makeHostileFiles(root, temp), mirror };
  corpusCache.set(root, corpus);
  return corpus;
}

/** Builds case `iteration` of run `seed`, deterministically. */
export function buildScenarioCase(corpus: ScenarioCorpus, seed: number, iteration: number): ScenarioCase {
  const rng = rngFor(seed, iteration);
  const fixture = rng.pick(corpus.fixtures);
  const m = mutateScenario(rng, fixture, corpus.fixtures, corpus.files);
  const viaCli = rng.chance(0.25);
  return { iteration, fixture, text: m.text, description: `${fixture.name}: ${m.steps.join('; ').slice(0, 2000)}`, viaCli, rng };
}

/** Longer messages are not "a clear one-line error" any more (a token of 200,000 characters quoted whole). */
const MAX_MESSAGE = 1000;

function messageProblem(where: string, message: string): Problem | undefined {
  if (message === '' || /[\n\r]/.test(message)) return { kind: `${where}: message is not one line`, message: JSON.stringify(message.slice(0, 500)) };
  if (message.length > MAX_MESSAGE) return { kind: `${where}: message of ${message.length} characters`, message: message.slice(0, 300) };
  return undefined;
}

const unexpected = (where: string, error: unknown): Problem => ({
  kind: `${where}: unexpected ${error instanceof Error ? error.name : typeof error}`,
  message: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error),
});

/** Statements and diagnostics as text (bigints included), to compare two parses. */
const parseText = (result: ParseResult) => JSON.stringify(result, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
let freshParses = 0;

/**
 * parseScenario: never throws, every diagnostic lies inside the text, on one line, and an edit
 * parsed incrementally (the case as an edit of its unmutated fixture) parses as the text alone does.
 */
function checkParse(text: string, original: string, problems: Problem[]): void {
  let result;
  try {
    parseScenario(original, 'case.aspace');
    result = parseScenario(text, 'case.aspace');
    // A name never parsed before: no earlier version to reuse.
    const fresh = parseScenario(text, `fresh-${freshParses++}.aspace`);
    if (parseText(result) !== parseText(fresh)) problems.push({ kind: 'incremental parse differs from a whole parse', message: text.slice(0, 300) });
  } catch (error) {
    problems.push(unexpected('parseScenario', error));
    return;
  }
  const lines = splitLines(text);
  for (const d of result.diagnostics) {
    const { line, column, endColumn } = d.span;
    const raw = lines[line - 1];
    if (raw === undefined || !Number.isInteger(column) || column < 1 || column > raw.length + 1 || endColumn < column || endColumn > raw.length + 2) {
      problems.push({ kind: 'diagnostic outside the text', message: `${line}:${column}-${endColumn} (line length ${raw?.length}): ${d.message.slice(0, 300)}` });
    }
    if (d.message.startsWith('internal error')) problems.push({ kind: 'parser internal error', message: d.message.slice(0, 1000) });
    const p = messageProblem('diagnostic', d.message);
    if (p) problems.push(p);
  }
}

type Outcome = 'diagnostics' | 'cannot run' | 'ran' | 'ran with failed expects' | 'crashed';

async function checkRun(c: ScenarioCase, problems: Problem[]): Promise<Outcome> {
  const files = { fs: new NodeFileSystem('/'), resolve: (p: string) => resolve(c.fixture.dir, p) };
  let outcome: RunOutcome;
  try {
    outcome = await runScenario(c.text, c.fixture.name, files, { host: { pkeys: false } });
  } catch (error) {
    if (!(error instanceof ScenarioError)) {
      problems.push(unexpected('runScenario', error));
      return 'crashed';
    }
    const lines = splitLines(c.text).length;
    if (!Number.isInteger(error.line) || error.line < 1 || error.line > lines || !Number.isInteger(error.column) || error.column < 1) {
      problems.push({ kind: 'ScenarioError outside the text', message: `${error.line}:${error.column}: ${error.message.slice(0, 300)}` });
    }
    const p = messageProblem('ScenarioError', error.message);
    if (p) problems.push(p);
    return 'cannot run';
  }
  if (!outcome.ok) return 'diagnostics';
  try {
    checkRunViews(c.rng, outcome.run);
  } catch (error) {
    problems.push(unexpected('views', error));
  }
  return outcome.run.failures.length ? 'ran with failed expects' : 'ran';
}

const EXIT_STATUS: Record<Outcome, number | undefined> = { diagnostics: 2, 'cannot run': 2, ran: 0, 'ran with failed expects': 1, crashed: undefined };

/** `asx run` on the case, written next to links to the scenario's data: the exit status its outcome implies, one-line messages. */
async function checkCli(c: ScenarioCase, corpus: ScenarioCorpus, outcome: Outcome, problems: Problem[]): Promise<void> {
  const file = join(corpus.mirror, relative(corpus.root, c.fixture.dir), `case-${c.iteration}.aspace`);
  writeFileSync(file, c.text);
  let stderr = '';
  const args = ['run', file, '--pkeys', 'off', ...(c.rng.chance(0.5) ? ['--json'] : [])];
  let status: number;
  try {
    status = await main(args, { write: () => undefined }, { write: (t) => (stderr += t) });
  } catch (error) {
    problems.push(unexpected('asx run', error));
    return;
  }
  const expected = EXIT_STATUS[outcome];
  if (expected !== undefined && status !== expected) problems.push({ kind: `asx run exited ${status}, not ${expected} (${outcome})`, message: stderr.slice(0, 1000) });
  if (/^\s+at /m.test(stderr) || /^asx: /m.test(stderr)) problems.push({ kind: 'asx run printed a stack trace or an internal error', message: stderr.slice(0, 1000) });
  for (const line of stderr.split('\n').filter((l) => l !== '')) {
    if (!line.startsWith(`${file}:`)) problems.push({ kind: 'asx run: a message that does not name the file', message: line.slice(0, 300) });
  }
}

async function runScenarioCase(c: ScenarioCase, corpus: ScenarioCorpus): Promise<{ problems: Problem[]; outcome: Outcome }> {
  const problems: Problem[] = [];
  checkParse(c.text, c.fixture.text, problems);
  const outcome = await checkRun(c, problems);
  if (c.viaCli) await checkCli(c, corpus, outcome, problems);
  return { problems, outcome };
}

function writeCrash(root: string, seed: number, c: ScenarioCase): string {
  const dir = join(root, 'test-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `fuzz-scenario-crash-${seed}-${c.iteration}.aspace`);
  writeFileSync(file, `# from ${c.fixture.name} (its PATHs are relative to ${c.fixture.dir})\n${c.text}`);
  return file;
}

/** Runs `iterations` cases; never throws for a case, reports it in `failures`. */
export async function runScenarioFuzz(options: FuzzOptions): Promise<ScenarioFuzzSummary> {
  const root = options.root ?? process.cwd();
  const corpus = loadScenarioCorpus(root);
  const outcomes: Record<string, number> = {};
  const run = await runCases(options, {
    build: (i) => buildScenarioCase(corpus, options.seed, i),
    run: (c) => runScenarioCase(c, corpus),
    writeCrash: (c) => writeCrash(root, options.seed, c),
    tally: (result) => void (outcomes[result.outcome] = (outcomes[result.outcome] ?? 0) + 1),
  });
  return { seed: options.seed, ...run, outcomes };
}


export function formatScenarioSummary(s: ScenarioFuzzSummary): string {
  const outcomes = Object.entries(s.outcomes).sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k} ${n}`).join(', ');
  return `fuzz-scenario: seed ${s.seed}, ${s.iterations} iterations, ${s.failures.length} failures; outcomes: ${outcomes || 'none'}; slowest case ${s.slowestMs.toFixed(1)} ms; max RSS ${s.maxRssMiB.toFixed(0)} MiB`;
}

const entry = process.argv[1] ?? '';
if (/fuzz-scenario\.(js|ts|mjs|cjs)$/.test(entry)) {
  fuzzMain<ScenarioFuzzSummary>({
    name: 'fuzz-scenario',
    defaults: { iterations: 2000, timeoutMs: 10_000 },
    cannotRun: () => (existsSync(join(process.cwd(), PROGRAM)) ? undefined : `run from the repository root (no ${PROGRAM} here)`),
    run: (o, onCaseStart, log) => runScenarioFuzz({ iterations: o.iterations, seed: o.seed, timeoutMs: o.timeoutMs, start: o.start, onCaseStart, log }),
    formatSummary: formatScenarioSummary,
    reportDeath: (seed, iteration, kind, message) => {
      const c = buildScenarioCase(loadScenarioCorpus(process.cwd()), seed, iteration);
      return formatFailure({ seed, iteration, description: c.description, kind, message, crashFile: writeCrash(process.cwd(), seed, c) });
    },
  });
}
