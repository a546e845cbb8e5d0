// The scenario panel in a real VS Code: it follows the cursor, paints the step's numbers, moves the
// editor's cursor when it steps, and answers bad messages with errors.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { PanelRender } from '../../../extension/scenario-panel/scenario-panel';
import type { ScenarioSession } from '../../../extension/scenario/scenario-session';
import { checkRegionRows, checkRegionSmaps } from '../../../webview/scenario/checks';
import { checkStatus } from '../../../webview/scenario/protocol';
import { api, closeAllEditors, extension, fixture, until } from '../host-support';

const EXAMPLE = 'examples/02-fork-cow.aspace';


async function render(what: string, test: (r: PanelRender) => boolean): Promise<PanelRender> {
  const panel = (await api()).scenarioPanel;
  return until(what, () => {
    const last = panel.lastRender();
    return last && test(last) ? last : undefined;
  });
}

let nextId = 100;
async function ask(method: string, params: unknown): Promise<{ ok: boolean; result?: unknown; error?: string }> {
  const id = nextId++;
  const reply = await (await api()).scenarioPanel.deliver({ kind: 'request', id, method, params });
  assert.ok(reply, `${method} got no reply`);
  assert.equal(reply.id, id);
  return reply.ok ? { ok: true, result: reply.result } : { ok: false, error: reply.error };
}

/** `asx run`'s `show smaps P A` after `line`: the example cut after that line, with the show appended. */
function asxSmapsAfter(file: vscode.Uri, line: number): Record<string, number> {
  const cut = `${file.fsPath}.cut-${line}.aspace`;
  writeFileSync(cut, [...readFileSync(file.fsPath, 'utf8').split('\n').slice(0, line), 'show smaps P A', ''].join('\n'));
  let out: string;
  try {
    out = execFileSync(process.execPath, [join(extension().extensionPath, 'bin', 'asx.js'), 'run', cut], { encoding: 'utf8' });
  } catch (error) {
    out = String((error as { stdout?: string }).stdout ?? '');
  } finally {
    rmSync(cut, { force: true });
  }
  // Every numeric field, the ones without " kB" too (THPeligible): the panel shows them all.
  return Object.fromEntries([...out.matchAll(/^(\w+):\s+(\d+)(?: kB)?$/gm)].map((m) => [m[1] as string, Number(m[2])]));
}

/** The 1-based line of the example's first line that starts with `prefix`. */
const lineOf = (prefix: string) => readFileSync(fixture(EXAMPLE).fsPath, 'utf8').split('\n').findIndex((l) => l.startsWith(prefix)) + 1;

const fields = (r: PanelRender) => Object.fromEntries(r.smaps.map((f) => [f.name, f.kb]));

const moveCursor = (editor: vscode.TextEditor, line: number) => {
  const position = new vscode.Position(line - 1, 0);
  editor.selection = new vscode.Selection(position, position);
};

suite('the scenario panel', () => {
  let editor: vscode.TextEditor;
  let session: ScenarioSession;

  suiteSetup(async () => {
    const document = await vscode.workspace.openTextDocument(fixture(EXAMPLE));
    editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    session = (await api()).scenarios.sessionOf(document);
    assert.ok(await session.runDocument(document), `the example runs: ${JSON.stringify(session.problem)}`);
    await vscode.commands.executeCommand('addressSpaceExplorer.showScenarioPanel');
    await render('the first paint of the run', (r) => r.run > 0);
  });
  suiteTeardown(closeAllEditors);

  test('a cursor move repaints the panel at the statement under the cursor, with its smaps numbers', async () => {
    const explorer = await api();
    explorer.scenarioPanel.showTab('smaps');
    const showQ = lineOf('show smaps Q A');
    moveCursor(editor, showQ);
    const after = await render(`the smaps tab at line ${showQ}`, (r) => r.tab === 'smaps' && r.line === showQ && r.smaps.length > 0);
    assert.equal(after.step, session.stepIndex);
    assert.equal(session.lineOfStep(after.step), showQ);
    // The panel starts on the first process, P, and the first region the scenario named, A.
    assert.equal(after.process, 'P');
    assert.deepEqual(fields(after), asxSmapsAfter(fixture(EXAMPLE), showQ));
    for (const line of [lineOf('write P A'), lineOf('show smaps P A'), lineOf('exit Q'), lineOf('write Q A')]) {
      moveCursor(editor, line);
      const painted = await render(`the smaps tab at line ${line}`, (r) => r.tab === 'smaps' && r.line === line);
      assert.deepEqual(fields(painted), asxSmapsAfter(fixture(EXAMPLE), line), `line ${line}`);
    }
  });

  test('the status and the views a request asks for are those of the session\'s step', async () => {
    const writeQ = lineOf('write Q A');
    moveCursor(editor, writeQ);
    await until(`step of line ${writeQ}`, () => session.lineOfStep(session.stepIndex) === writeQ);
    const status = checkStatus((await ask('status', {})).result);
    assert.equal(status.line, writeQ);
    assert.deepEqual(status.processes.map((p) => p.name), ['P', 'Q']);
    const rows = checkRegionRows((await ask('regions', { run: status.run, step: status.step, process: 'Q' })).result);
    const a = rows.find((r) => r.region === 'A');
    assert.ok(a, 'Q maps A');
    const smaps = checkRegionSmaps((await ask('smaps', { run: status.run, step: status.step, process: 'Q', region: a.index })).result);
    assert.equal(smaps.fields.find((f) => f.name === 'Private_Dirty')?.kb, 8);
  });

  test('stepping in the panel moves the session and the editor\'s cursor', async () => {
    const status = checkStatus((await ask('status', {})).result);
    const reply = await ask('setStep', { run: status.run, step: 2 });
    assert.ok(reply.ok, reply.error);
    assert.equal(session.stepIndex, 2);
    const line = session.lineOfStep(2);
    await until(`the cursor on line ${line}`, () => vscode.window.activeTextEditor?.selection.active.line === line - 1 || editor.selection.active.line === line - 1);
    await render(`a paint at line ${line}`, (r) => r.line === line);
  });

  test('bad messages get error replies (or are dropped when they have no id), and the panel keeps working', async () => {
    const panel = (await api()).scenarioPanel;
    assert.equal(await panel.deliver('hello'), undefined);
    assert.equal(await panel.deliver({ kind: 'request', method: 'status', params: {} }), undefined);
    assert.equal(await panel.deliver({ kind: 'event', event: 'rendered', params: { run: 'x' } }), undefined);
    const unknown = await ask('format-disk', {});
    assert.equal(unknown.ok, false);
    assert.match(unknown.error ?? '', /unknown method/);
    const badStep = await ask('smaps', { run: 1, step: 'last', process: 'P', region: 0 });
    assert.match(badStep.error ?? '', /params\.step/);
    const longName = await ask('regions', { run: 1, step: 0, process: 'P'.repeat(65) });
    assert.match(longName.error ?? '', /params\.process/);
    const badAddress = await ask('walk', { run: 1, step: 0, process: 'P', address: '12345', mode: 'x86-64' });
    assert.match(badAddress.error ?? '', /params\.address/);
    const badMode = await ask('walk', { run: 1, step: 0, process: 'P', address: '0x1000', mode: 'pdp11' });
    assert.match(badMode.error ?? '', /params\.mode/);
    const staleRun = await ask('physical', { run: 99999, step: 0 });
    assert.match(staleRun.error ?? '', /run again/);
    const status = checkStatus((await ask('status', {})).result);
    assert.ok((await ask('physical', { run: status.run, step: status.step })).ok, 'a good request still works');
  });

  test('a run started outside the panel (Run Scenario, a re-run after an edit) shows as running there', async () => {
    const seen: (number | undefined)[] = [];
    const watching = session.onDidProgress((s) => seen.push(s.progress));
    const running = session.runDocument(editor.document);
    const during = checkStatus((await ask('status', {})).result);
    assert.ok(await running, 'the run finishes');
    watching.dispose();
    assert.equal(seen[0], 0, 'the start is reported');
    // A fast engine can finish the run before the panel's status request arrives: then it is already ready.
    if (during.state === 'running') assert.equal(during.progress, 0);
    else assert.equal(during.state, 'ready');
    const after = checkStatus((await ask('status', {})).result);
    assert.equal(after.state, 'ready');
    assert.equal(after.progress, null);
  });
});
