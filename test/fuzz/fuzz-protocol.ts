// Fuzzes the checks of the webview message protocols (webview/protocol.ts for the ELF view,
// webview/scenario/protocol.ts for the scenario panel, webview/live/protocol.ts for the live view) in both directions, with random values and
// with well-formed messages and view models (computed by the simulator) damaged a field at a time.
//
//   node dist/test/fuzz-protocol.js [--iterations N] [--seed S] [--timeout-ms MS] [--start I] [--inline]
//
// Every check returns a value or throws ProtocolError (RequestError is one) with a one-line
// message: never a TypeError or a stack overflow. What a check accepts must have the declared
// types (test/fuzz/message-schemas.ts). A failure prints seed, iteration and mutation and makes
// the process exit 1.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { regionViews } from '../../extension/elf-editor/region-views';
import { summarizeElf } from '../../extension/elf-editor/elf-summary';
import { RunViews } from '../../extension/scenario-panel/panel-views';
import { NodeFileSystem } from '../../simulator/cli/node-file-access';
import { ElfFile } from '../../simulator/elf/elf-file';
import { MemoryFileAccess } from '../../simulator/elf/file-access';
import { execve } from '../../simulator/loader/binfmt-elf';
import { runScenario } from '../../simulator/scenario/run';
import { runToy6 } from '../../simulator/toy6/run';
import { toy6View } from '../../simulator/toy6/view';
import * as elf from '../../webview/protocol';
import type { PhysicalView, RegionPages } from '../../simulator/inspect/view-models';
import { toRuns } from '../../webview/scenario/byte-runs';
import * as scenario from '../../webview/scenario/protocol';
import { ProtocolError, record } from '../../webview/validate';
import { formatFailure, fuzzMain, type FuzzFailure, type FuzzOptions } from './fuzz-cli';
import { liveTargets } from './fuzz-protocol-live';
import { mutateValue, randomValue } from './json-values';
import { ELF_HOST_MESSAGE, ELF_LAYOUT_RESULT, ELF_WEBVIEW_MESSAGE, SCENARIO_HOST_MESSAGE, SCENARIO_WEBVIEW_MESSAGE, violation, type Schema } from './message-schemas';
import { rngFor } from './mutations';



export interface ProtocolFuzzSummary {
  readonly seed: number;
  readonly iterations: number;
  readonly accepted: number;
  readonly refused: number;
  readonly failures: FuzzFailure[];
  readonly slowestMs: number;
  readonly slowestCase: string;
}

/** One check of a protocol, with well-formed inputs to damage and, where declared, the type of what it accepts. */
interface Target {
  readonly name: string;
  readonly check: (value: unknown) => unknown;
  readonly templates: readonly unknown[];
  readonly schema?: Schema;
}

const request = (method: string, params: unknown) => ({ kind: 'request', id: 7, method, params });
const reply = (result: unknown) => ({ kind: 'reply', id: 7, ok: true, result });
const inRuns = <T extends object>(view: T, fields: readonly (keyof T)[]) => ({ ...view, ...Object.fromEntries(fields.map((f) => [f, toRuns(view[f] as Uint8Array)])) });

/** The view models of a small scenario, as the host would send them. */
async function scenarioResults(root: string): Promise<Map<string, { params: Record<string, unknown>; result: unknown }>> {
  const file = join(root, 'examples/05-swap-fork.aspace');
  const outcome = await runScenario(readFileSync(file, 'utf8'), file, { fs: new NodeFileSystem('/'), resolve: (p) => join(root, 'examples', p) });
  if (!outcome.ok) throw new Error(`${file} does not run`);
  const views = new RunViews(1, outcome.run);
  const step = outcome.run.statements.length - 1;
  const process = views.processes(step)[0]?.name ?? 'P';
  const at = { run: 1, step };
  const address = (views.answer('regions', { ...at, process }).rows[0]?.start ?? '0x1000');
  const asks: [scenario.Method, Record<string, unknown>][] = [
    ['regions', { ...at, process }], ['smaps', { ...at, process, region: 0 }], ['pages', { ...at, process, region: 0 }], ['page', { ...at, process, address }],
    ['walk', { ...at, process, address, mode: 'x86-64' }], ['physical', at], ['frame', { ...at, pfn: 20 }], ['lru', at], ['timeline', { run: 1 }], ['faults', { ...at, all: true }],
  ];
  const out = new Map<string, { params: Record<string, unknown>; result: unknown }>();
  for (const [method, params] of asks) out.set(method, { params, result: views.answer(method as never, params as never) });
  // The status of a toy6 scenario carries its machine's view: hostile variants of it are checked too.
  const toy6 = runToy6(readFileSync(join(root, 'examples/toy6-aliasing.aspace'), 'utf8'));
  const toy6Status = toy6.ok ? { toy6: toy6View(toy6.run, toy6.run.indexAtLine(22)) } : {};
  out.set('status', { params: {}, result: { document: 'a.aspace', run: 1, state: 'ready', progress: null, problems: [{ line: 2, message: 'x' }], stale: false, step, steps: step + 1, line: 3, text: 'show maps P', processes: views.processes(step), failures: ['f'], ...toy6Status } });
  out.set('setStep', { params: { run: 1, step: 0 }, result: { step: 0 } });
  out.set('setLine', { params: { run: 1, line: 2 }, result: { step: 0 } });
  out.set('reveal', { params: { line: 2 }, result: {} });
  out.set('runScenario', { params: {}, result: {} });
  out.set('editPte', { params: { run: 1, step: 3, address: 9, value: 0b110111 }, result: {} });
  return out;
}

/** The ELF view's results for the static fixture. */
async function elfResults(root: string): Promise<Record<elf.Method, unknown>> {
  const bytes = new Uint8Array(readFileSync(join(root, 'test/fixtures/elf/bin/static')));
  const file = await ElfFile.open(new MemoryFileAccess('static', bytes));
  const fs = { openProgram: (path: string) => Promise.resolve({ access: new MemoryFileAccess(path, bytes), path: '/static' }), open: () => Promise.reject(new Error('no such file (ENOENT)')) };
  const exec = await execve(fs, 'static', { argv: ['static'], envp: [], aslr: 'off', seed: 0n });
  const layout = { kind: 'layout', aslr: 'off', seed: '0', regions: regionViews(exec), loadBias: '0x0', entry: '0x401000', interpreter: null, incomplete: null };
  return {
    summary: await summarizeElf(file),
    layout,
    symbols: { table: 0, total: 1, offset: 0, rows: [{ index: 1, value: '0x401000', size: '0x10', type: 'FUNC', bind: 'GLOBAL', visibility: 'DEFAULT', ndx: 1, name: 'main' }] },
    copyMaps: { lines: 12 },
    export: { savedTo: null },
    linked: { kind: 'static', message: 'statically linked', searched: [] },
    copyEntryMaps: { lines: 12 },
    simulateCore: {},
    core: {
      machine: 'x86-64', producer: 'the kernel (do_coredump)', pid: 7, command: 'crash', commandLine: './crash now', executable: '/static', signal: 'SIGSEGV (SEGV_MAPERR)',
      crash: { address: '0x401000', region: 0, where: 'in /static r-xp 401000-402000 at file offset 0x1000' },
      faultAddress: { address: '0x0', region: null, where: 'in no mapped region' },
      threads: [{ tid: 7, signal: 11, registers: [['rip', '0x401000'], ['rsp', '0x7ffffffde000']] }],
      notes: ['the p/s column is not recorded in a core'], warnings: [],
    },
  };
}

async function makeTargets(root: string): Promise<Target[]> {
  const views = await scenarioResults(root);
  const elfViews = await elfResults(root);
  const status = views.get('status')!.result;
  const layoutParams = { aslr: 'on', seed: '18446744073709551615' };
  const elfRequests = [
    request('summary', {}), request('layout', layoutParams), request('symbols', { table: 0, text: 'ma', range: { start: '0x1000', end: '0x2000' }, offset: 0, limit: 100 }),
    request('copyMaps', layoutParams), request('export', { ...layoutParams, format: 'csv' }), request('linked', layoutParams), request('copyEntryMaps', layoutParams), request('core', {}), request('simulateCore', {}),
    { kind: 'event', event: 'rendered', params: { ...layoutParams, regions: 12, restored: false } },
  ];
  const targets: Target[] = [
    {
      name: 'scenario parseWebviewMessage', check: scenario.parseWebviewMessage, schema: SCENARIO_WEBVIEW_MESSAGE,
      templates: [
        ...[...views].map(([method, { params }]) => request(method, params)),
        { kind: 'event', event: 'rendered', params: { run: 1, step: 2, line: 3, tab: 'smaps', process: 'P', region: 1, smaps: [{ name: 'Rss', kb: 4 }], restored: true } },
        { kind: 'event', event: 'focus', params: { tab: 'pages', process: 'P', region: '0x1000', address: null, mode: 'i386' } },
      ],
    },
    {
      name: 'scenario parseHostMessage', check: scenario.parseHostMessage, schema: SCENARIO_HOST_MESSAGE,
      templates: [
        reply(status), { kind: 'reply', id: 3, ok: false, error: 'stale run' },
        // Page states, mapcounts and frame uses as runs of equal bytes (webview/scenario/byte-runs.ts).
        reply(inRuns(views.get('pages')!.result as RegionPages, ['states', 'mapcounts'])), reply(inRuns(views.get('physical')!.result as PhysicalView, ['uses'])),
        { kind: 'event', event: 'status', params: status, views: ['regions', 'smaps', 'pages', 'walk', 'physical', 'lru'].map((m) => ({ method: m, ...views.get(m)! })) },
        { kind: 'event', event: 'showAddress', params: { address: '0x7ffff7ff0000', process: null } }, { kind: 'event', event: 'showTab', params: { tab: 'lru' } },
      ],
    },
    { name: 'scenario checkFocus', check: scenario.checkFocus, templates: [{ tab: 'pages', process: 'P', region: '0x1000', address: '0x1000', mode: 'toy6' }] },
    ...[...views].map(([method, { result }]): Target => ({ name: `scenario result of ${method}`, check: scenario.SCENARIO_METHODS.results[method as scenario.Method], templates: [result] })),
    ...[...views].map(([method, { params }]): Target => ({ name: `scenario params of ${method}`, check: (p) => scenario.SCENARIO_METHODS.params[method as scenario.Method](record(p, 'params') as never), templates: [params] })),
    { name: 'ELF parseWebviewMessage', check: elf.parseWebviewMessage, schema: ELF_WEBVIEW_MESSAGE, templates: elfRequests },
    { name: 'ELF parseHostMessage', check: elf.parseHostMessage, schema: ELF_HOST_MESSAGE, templates: [reply(elfViews.layout), { kind: 'event', event: 'setAslr', params: { aslr: 'full' } }, { kind: 'event', event: 'reroll', params: {} }] },
    ...(Object.keys(elfViews) as elf.Method[]).map((method): Target => ({
      name: `ELF result of ${method}`, check: (r) => elf.checkResult(method, r), templates: [elfViews[method]], ...(method === 'layout' ? { schema: ELF_LAYOUT_RESULT } : {}),
    })),
    ...(Object.keys(elf.ELF_METHODS.params) as elf.Method[]).map((method): Target => ({
      name: `ELF params of ${method}`, check: (p) => elf.ELF_METHODS.params[method](record(p, 'params') as never), templates: elfRequests.filter((r) => 'method' in r && r.method === method).map((r) => r.params),
    })),
    ...liveTargets(root),
  ];
  return targets;
}

const targetCache = new Map<string, Target[]>();

/** Runs `iterations` cases; never throws for a case, reports it in `failures`. */
export async function runProtocolFuzz(options: FuzzOptions): Promise<ProtocolFuzzSummary> {
  const root = options.root ?? process.cwd();
  const log = options.log ?? (() => undefined);
  const targets = targetCache.get(root) ?? (await makeTargets(root));
  targetCache.set(root, targets);
  const failures: FuzzFailure[] = [];
  let accepted = 0;
  let refused = 0;
  let slowestMs = 0;
  let slowestCase = '';
  const start = options.start ?? 0;
  let done = 0;
  for (let i = start; i < start + options.iterations && failures.length < (options.maxFailures ?? 20); i++) {
    options.onCaseStart?.(i);
    const rng = rngFor(options.seed, i);
    const target = rng.pick(targets);
    const m = rng.chance(0.15) ? { value: randomValue(rng, 4), steps: ['a random value'] } : mutateValue(rng, rng.pick(target.templates));
    const description = `${target.name}: ${m.steps.join('; ')}`;
    const problems: { kind: string; message: string }[] = [];
    const t0 = performance.now();
    try {
      const result = target.check(m.value);
      accepted++;
      const wrong = target.schema && violation(result, target.schema);
      if (wrong) problems.push({ kind: 'accepted a message of the wrong type', message: wrong });
    } catch (error) {
      refused++;
      if (!(error instanceof ProtocolError)) problems.push({ kind: `unexpected ${error instanceof Error ? error.name : typeof error}`, message: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) });
      else if (/[\n\r]/.test(error.message) || error.message.length > 1000) problems.push({ kind: 'ProtocolError message is not one short line', message: error.message.slice(0, 300) });
      else if (/Cannot |is not a function|Maximum call stack/.test(error.message)) problems.push({ kind: 'a JavaScript error passed off as a ProtocolError', message: error.message.slice(0, 300) });
    }
    const ms = performance.now() - t0;
    done++;
    if (ms > options.timeoutMs) problems.push({ kind: 'too slow', message: `${ms.toFixed(1)} ms, over the ${options.timeoutMs} ms budget` });
    if (ms > slowestMs) [slowestMs, slowestCase] = [ms, `#${i} ${description}`];
    for (const p of problems) {
      const failure = { seed: options.seed, iteration: i, description, ...p };
      failures.push(failure);
      log(formatFailure(failure));
    }
  }
  return { seed: options.seed, iterations: done, accepted, refused, failures, slowestMs, slowestCase };
}


export function formatProtocolSummary(s: ProtocolFuzzSummary): string {
  return `fuzz-protocol: seed ${s.seed}, ${s.iterations} iterations, ${s.failures.length} failures; accepted ${s.accepted}, refused ${s.refused}; slowest case ${s.slowestMs.toFixed(1)} ms`;
}

const entry = process.argv[1] ?? '';
if (/fuzz-protocol\.(js|ts|mjs|cjs)$/.test(entry)) {
  fuzzMain<ProtocolFuzzSummary>({
    name: 'fuzz-protocol',
    defaults: { iterations: 100_000, timeoutMs: 1000 },
    run: (o, onCaseStart, log) => runProtocolFuzz({ iterations: o.iterations, seed: o.seed, timeoutMs: o.timeoutMs, start: o.start, onCaseStart, log }),
    formatSummary: formatProtocolSummary,
    reportDeath: (seed, iteration, kind, message) => formatFailure({ seed, iteration, description: '(rerun with --inline --start N --iterations 1)', kind, message }),
  });
}
