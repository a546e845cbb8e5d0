// The command line every fuzzer shares:
//
//   node dist/test/<fuzzer>.js [--iterations N] [--seed S] [--timeout-ms MS] [--start I] [--inline]
//
// The cases run in a worker thread, so that a hang or an out-of-memory case is caught and
// reported too (with --inline they run on the main thread, for a debugger).
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/** A smoke test's time per case: a guard against a hang only (the machine may be busy); speed is measured in npm run bench and npm run fuzz. */
export const SMOKE_HANG_MS = 60_000;

export interface CliOptions {
  iterations: number;
  seed: number;
  timeoutMs: number;
  start: number;
  inline: boolean;
}

/** What a fuzzer's run reports: enough for the exit status and the last lines. */
export interface CliSummary {
  readonly failures: readonly unknown[];
  readonly slowestMs: number;
  readonly slowestCase: string;
}

export interface FuzzProgram<S extends CliSummary> {
  /** The prefix of its messages, e.g. `fuzz` or `fuzz-scenario`. */
  readonly name: string;
  readonly defaults: Pick<CliOptions, 'iterations' | 'timeoutMs'>;
  /** Why it cannot run from here (e.g. not the repository root), if it cannot. */
  cannotRun?(): string | undefined;
  run(o: CliOptions, onCaseStart: (iteration: number) => void, log: (line: string) => void): Promise<S>;
  formatSummary(summary: S): string;
  /** The failure report of the case the worker was on when it hung or died. */
  reportDeath(seed: number, iteration: number, kind: string, message: string): string;
}

export function parseCli(argv: readonly string[], defaults: Pick<CliOptions, 'iterations' | 'timeoutMs'>): CliOptions {
  const o: CliOptions = { ...defaults, seed: 1, start: 0, inline: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inlineValue] = (argv[i] as string).split(/=(.*)/s) as [string, string?];
    if (flag === '--inline') {
      o.inline = true;
      continue;
    }
    const value = inlineValue ?? argv[++i];
    const n = Number(value);
    if (value === undefined || !Number.isSafeInteger(n) || n < 0) throw new Error(`${flag} needs a non-negative integer`);
    if (flag === '--iterations') o.iterations = n;
    else if (flag === '--seed') o.seed = n >>> 0;
    else if (flag === '--timeout-ms') o.timeoutMs = n;
    else if (flag === '--start') o.start = n;
    else throw new Error(`unknown option ${flag}`);
  }
  return o;
}

function report<S extends CliSummary>(program: FuzzProgram<S>, summary: S): never {
  if (summary.slowestCase) console.log(`slowest: ${summary.slowestMs.toFixed(1)} ms, ${summary.slowestCase.slice(0, 300)}`);
  console.log(program.formatSummary(summary));
  process.exit(summary.failures.length ? 1 : 0);
}

/** The main thread: runs the cases in a worker and kills it if a case hangs or runs out of memory. */
function supervise<S extends CliSummary>(program: FuzzProgram<S>, o: CliOptions): void {
  const script = process.argv[1] as string;
  const worker = new Worker(script, { workerData: o, resourceLimits: { maxOldGenerationSizeMb: 1536 } });
  const hardLimitMs = Math.max(10 * o.timeoutMs, 5000);
  let current = -1;
  let startedAt = Date.now();
  let finished = false;
  const die = (kind: string, message: string) => {
    if (finished) return;
    finished = true;
    clearInterval(timer);
    void worker.terminate();
    console.log(program.reportDeath(o.seed, current, kind, message));
    console.log(`${program.name}: seed ${o.seed}: stopped at iteration ${current} (${kind})`);
    process.exit(1);
  };
  const timer = setInterval(() => {
    if (current >= 0 && Date.now() - startedAt > hardLimitMs) die('hang', `no result after ${hardLimitMs} ms`);
  }, 100);
  worker.on('message', (m: { start?: number; log?: string; summary?: S }) => {
    if (m.start !== undefined) {
      current = m.start;
      startedAt = Date.now();
    }
    if (m.log) console.log(m.log);
    if (m.summary) {
      finished = true;
      clearInterval(timer);
      report(program, m.summary);
    }
  });
  worker.on('error', (error) => die('worker died', String(error)));
  worker.on('exit', (code) => {
    if (!finished) die('worker exited', `exit code ${code}`);
  });
}

async function workerMain<S extends CliSummary>(program: FuzzProgram<S>, o: CliOptions): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const summary = await program.run(o, (i) => port.postMessage({ start: i }), (line) => port.postMessage({ log: line }));
  port.postMessage({ summary });
}

/** Runs `program` as the process's command (in the worker too, which loads the same script). */
export function fuzzMain<S extends CliSummary>(program: FuzzProgram<S>): void {
  if (!isMainThread) {
    void workerMain(program, workerData as CliOptions);
    return;
  }
  let o: CliOptions;
  try {
    o = parseCli(process.argv.slice(2), program.defaults);
  } catch (error) {
    console.error(`${program.name}: ${(error as Error).message}`);
    process.exit(2);
  }
  const why = program.cannotRun?.();
  if (why) {
    console.error(`${program.name}: ${why}`);
    process.exit(2);
  }
  if (o.inline) void program.run(o, () => undefined, (l) => console.log(l)).then((s) => report(program, s));
  else supervise(program, o);
}

/** What every fuzzer (ELF, scenario, protocol) takes. */
export interface FuzzOptions {
  readonly iterations: number;
  readonly seed: number;
  /** Per-case budget in milliseconds. */
  readonly timeoutMs: number;
  /** First iteration number (to resume or reproduce one case). */
  readonly start?: number;
  /** Repository root (holds test/fixtures); the working directory by default. */
  readonly root?: string;
  /** RSS ceiling in MiB; 1024 by default. */
  readonly maxRssMiB?: number;
  /** Write failing inputs under test-results/ (default true). */
  readonly writeCrashes?: boolean;
  /** Stop after this many failures (default 20). */
  readonly maxFailures?: number;
  /** Called before each case (the CLI's watchdog listens). */
  readonly onCaseStart?: (iteration: number) => void;
  readonly log?: (line: string) => void;
}

/** One failing case of any fuzzer. */
export interface FuzzFailure {
  readonly seed: number;
  readonly iteration: number;
  readonly description: string;
  readonly kind: string;
  readonly message: string;
  readonly crashFile?: string;
}

export function formatFailure(f: FuzzFailure): string {
  const where = f.crashFile ? `\n  input: ${f.crashFile}` : '';
  return `FAIL seed ${f.seed} iteration ${f.iteration}: ${f.kind}\n  mutation: ${f.description.slice(0, 600)}\n  ${f.message.split('\n').slice(0, 8).join('\n  ')}${where}`;
}

/** A problem found in one case (not a rejection: a bug). */
export interface Problem {
  readonly kind: string;
  readonly message: string;
}

const MIB = 1024 * 1024;

/** What the case loop measured, for a fuzzer's summary. */
export interface CasesRun {
  readonly iterations: number;
  readonly failures: FuzzFailure[];
  readonly slowestMs: number;
  readonly slowestCase: string;
  readonly maxRssMiB: number;
}

/**
 * The loop every file-based fuzzer runs: build case i, run it within the time and RSS budgets,
 * write a failing case's input (writeCrash) and log its problems; `tally` sees every result.
 */
export async function runCases<C extends { readonly description: string }, R extends { readonly problems: readonly Problem[] }>(
  options: FuzzOptions,
  fuzzer: { build(iteration: number): C; run(c: C): Promise<R>; writeCrash(c: C): string; tally(result: R): void },
): Promise<CasesRun> {
  const log = options.log ?? (() => undefined);
  const maxRss = (options.maxRssMiB ?? 1024) * MIB;
  const maxFailures = options.maxFailures ?? 20;
  const failures: FuzzFailure[] = [];
  let slowestMs = 0;
  let slowestCase = '';
  let maxRssBytes = process.memoryUsage().rss;
  const start = options.start ?? 0;
  let done = 0;
  for (let i = start; i < start + options.iterations && failures.length < maxFailures; i++) {
    options.onCaseStart?.(i);
    const c = fuzzer.build(i);
    const t0 = performance.now();
    const result = await fuzzer.run(c);
    const ms = performance.now() - t0;
    done++;
    const rss = process.memoryUsage().rss;
    if (rss > maxRssBytes) maxRssBytes = rss;
    const problems = [...result.problems];
    if (ms > options.timeoutMs) problems.push({ kind: 'too slow', message: `${ms.toFixed(1)} ms, over the ${options.timeoutMs} ms budget` });
    if (rss > maxRss) problems.push({ kind: 'too much memory', message: `RSS ${(rss / MIB).toFixed(0)} MiB, over ${maxRss / MIB} MiB` });
    if (ms > slowestMs) [slowestMs, slowestCase] = [ms, `#${i} ${c.description}`];
    fuzzer.tally(result);
    if (!problems.length) continue;
    const crashFile = options.writeCrashes === false ? undefined : fuzzer.writeCrash(c);
    for (const p of problems) {
      const failure: FuzzFailure = { seed: options.seed, iteration: i, description: c.description, kind: p.kind, message: p.message, crashFile };
      failures.push(failure);
      log(formatFailure(failure));
    }
  }
  return { iterations: done, failures, slowestMs, slowestCase, maxRssMiB: maxRssBytes / MIB };
}
