// In-host speed measurements (npm run bench): activation, and opening /usr/bin/node to the first paint;
// with ASX_BENCH_WEBVIEW_FLOOR set, the floor of those opens instead: a trivial webview's, in a window of its own.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { generatedScenario } from '../support/bench-scenarios';
import { activationTimes, closeAllEditors, extension, rendered } from './host-support';

export const BIG_PROGRAM = '/usr/bin/node';
const OPENS = 5;

export interface HostBench {
  /** Code loading + activate(), as VS Code counts it (from its performance marks). */
  readonly activationMs: number;
  /** Everything `Extension.activate()` waited for, including the host setting up the extension's storage. */
  readonly activationTotalMs: number;
  /** Each open of BIG_PROGRAM, from the command to the view's report of its first paint. */
  readonly firstPaintMs: number[];
  /** Run Scenario on the 10,000-statement bench scenario, in the host, the command until it returns (the run and the panel opened), each time. */
  readonly scenarioRunMs: number[];
}

const RUNS = 3;

/** What opening a webview costs VS Code itself: the first and later opens of a trivial webview in a fresh window. */
export interface WebviewFloor {
  /** Each open of a trivial webview (inline HTML, one script), from its creation to the script's report after its first frame. */
  readonly openMs: number[];
}

/** Opens a trivial webview `OPENS` times, closing it in between, as `run` opens BIG_PROGRAM. */
async function trivialWebviewOpens(): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < OPENS; i++) {
    await closeAllEditors();
    const before = Date.now();
    const panel = vscode.window.createWebviewPanel('addressSpaceExplorer.benchFloor', 'floor', vscode.ViewColumn.One, { enableScripts: true });
    const painted = new Promise<number>((resolve) => panel.webview.onDidReceiveMessage((m: { at: number }) => resolve(m.at)));
    panel.webview.html = `<!DOCTYPE html><html><body><p>floor</p><script>requestAnimationFrame(() => setTimeout(() => acquireVsCodeApi().postMessage({ at: Date.now() })));</script></body></html>`;
    times.push((await painted) - before);
    panel.dispose();
  }
  return times;
}

/** Run Scenario (the command, as the palette calls it) on the generated 10,000-statement scenario. */
async function scenarioRuns(): Promise<number[]> {
  const file = join(mkdtempSync(join(tmpdir(), 'asx-bench-')), 'bench-10k.aspace');
  writeFileSync(file, generatedScenario(10_000).replace('P = exec hello/hello', `P = exec ${join(extension().extensionPath, 'examples/hello/hello')}`));
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  await vscode.window.showTextDocument(document);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const ran = await vscode.commands.executeCommand<boolean>('addressSpaceExplorer.runScenario', document.uri);
    if (!ran) throw new Error('the bench scenario did not run');
    times.push(performance.now() - start);
  }
  return times;
}

function writeResults(results: HostBench | WebviewFloor): void {
  const out = process.env.ASX_TEST_RESULTS;
  if (!out) throw new Error('ASX_TEST_RESULTS is not set');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(results));
}

export async function run(): Promise<void> {
  if (process.env.ASX_BENCH_WEBVIEW_FLOOR) return writeResults({ openMs: await trivialWebviewOpens() });
  const start = performance.now();
  await extension().activate();
  const activationTotalMs = performance.now() - start;
  const times = activationTimes();
  const activationMs = times ? times.loadMs + times.activateMs : activationTotalMs;
  const uri = vscode.Uri.file(BIG_PROGRAM);
  const firstPaintMs: number[] = [];
  for (let i = 0; i < OPENS; i++) {
    await closeAllEditors();
    const before = Date.now();
    await vscode.commands.executeCommand('vscode.openWith', uri, 'addressSpaceExplorer.anyFile');
    const view = await rendered(uri, (v) => (v.rendered?.at ?? 0) >= before);
    firstPaintMs.push((view.rendered?.at ?? NaN) - before);
  }
  await closeAllEditors();
  const scenarioRunMs = await scenarioRuns();
  await closeAllEditors();
  writeResults({ activationMs, activationTotalMs, firstPaintMs, scenarioRunMs });
}
