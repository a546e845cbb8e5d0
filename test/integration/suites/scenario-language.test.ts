// The .aspace language support in a real VS Code: diagnostics as you type, Run and Step, the cursor
// picking the step, hovers of statements and of hex addresses in any document, completion,
// Translate Address and Compare with Real smaps.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite, suiteSetup, teardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { ScenarioSession } from '../../../extension/scenario/scenario-session';
import { api, closeAllEditors, extension, fixture, until } from '../host-support';

const SCENARIO = [
  '# scenario-language test: demand paging',
  'P = exec hello',
  'A = mmap P 64K rw- private anon',
  'read P A',
  'write P A 0 16K',
  'show smaps P A',
  'Q = fork P',
  'write Q A 0 4K',
  'show smaps Q A',
  '',
].join('\n');


/** `asx run` of the same file: the show outputs by their header line number. */
function asxRun(file: vscode.Uri): Map<number, string> {
  const asx = join(extension().extensionPath, 'bin', 'asx.js');
  let out: string;
  try {
    out = execFileSync(process.execPath, [asx, 'run', file.fsPath], { encoding: 'utf8' });
  } catch (error) {
    out = String((error as { stdout?: string }).stdout ?? '');
  }
  const shows = new Map<number, string>();
  for (const block of out.split(/^(?=# \d+: )/m)) {
    const m = /^# (\d+): .*\n/.exec(block);
    if (m) shows.set(Number(m[1]), block.slice(m[0].length));
  }
  return shows;
}

async function openScenario(name: string, text: string): Promise<{ editor: vscode.TextEditor; session: ScenarioSession }> {
  const uri = fixture(name);
  writeFileSync(uri.fsPath, text);
  const document = await vscode.workspace.openTextDocument(uri);
  assert.equal(document.languageId, 'aspace');
  const editor = await vscode.window.showTextDocument(document);
  const session = (await api()).scenarios.sessionOf(document);
  return { editor, session };
}

const rssOf = (smaps: string) => Number(/^Rss:\s+(\d+) kB$/m.exec(smaps)?.[1]);

suite('scenario language support', () => {
  suiteSetup(async () => {
    await api();
  });
  teardown(closeAllEditors);

  test('parser diagnostics appear for a bad line as you type, and go when it is fixed', async () => {
    const { editor } = await openScenario('diagnostics.aspace', 'P = exec hello\nA = mmap P 64K rw- private anon\n');
    const uri = editor.document.uri;
    await editor.edit((e) => e.insert(new vscode.Position(2, 0), 'mapp P A\n'));
    const bad = await until('a diagnostic on line 3', () => vscode.languages.getDiagnostics(uri).find((d) => d.range.start.line === 2));
    assert.equal(bad.severity, vscode.DiagnosticSeverity.Error);
    assert.match(bad.message, /unknown statement 'mapp'/);
    assert.equal(bad.source, 'aspace');
    await editor.edit((e) => e.replace(new vscode.Range(2, 0, 2, 4), 'read'));
    await until('the diagnostic to go', () => !vscode.languages.getDiagnostics(uri).some((d) => d.range.start.line === 2 && d.source === 'aspace'));
  });

  test('Run Scenario runs the document; Step Forward and Back move the step and the cursor; smaps equal asx run', async () => {
    const { editor, session } = await openScenario('run-step.aspace', SCENARIO);
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    const ran = await vscode.commands.executeCommand<boolean>('addressSpaceExplorer.runScenario', editor.document.uri);
    assert.equal(ran, true);
    const run = session.run;
    assert.ok(run, 'the session has a run');
    assert.equal(run.statements.length, 8);
    const asx = asxRun(editor.document.uri);
    for (const [i, s] of run.statements.entries()) {
      if (s.kind !== 'show') continue;
      assert.equal(run.steps[i]?.output, asx.get(s.line), `show on line ${s.line}`);
    }
    assert.ok(rssOf(asx.get(6) ?? '') >= 16, 'the 16K written are resident');
    await vscode.window.showTextDocument(editor.document);
    const before = session.stepIndex;
    await vscode.commands.executeCommand('addressSpaceExplorer.stepForward');
    assert.equal(session.stepIndex, before + 1);
    await until('the cursor on the step', () => vscode.window.activeTextEditor?.selection.active.line === session.lineOfStep(session.stepIndex) - 1);
    await vscode.commands.executeCommand('addressSpaceExplorer.stepForward');
    await vscode.commands.executeCommand('addressSpaceExplorer.stepForward');
    await vscode.commands.executeCommand('addressSpaceExplorer.stepBack');
    assert.equal(session.stepIndex, before + 2);
    // Go to Line State with a line: the state after `write P A 0 16K` (line 5).
    await vscode.commands.executeCommand('addressSpaceExplorer.goToLineState', editor.document.uri, 5);
    assert.equal(session.lineOfStep(session.stepIndex), 5);
    const anonAfter = session.state()?.kernel.tasks.get('P')?.rss.anon;
    const anonBefore = run.stateAfter(session.stepAtLine(4)).kernel.tasks.get('P')?.rss.anon;
    assert.equal((anonAfter ?? 0) - (anonBefore ?? 0), 4, '4 more anonymous pages after writing 16K');
  });

  test('a cursor move picks the step the views show', async () => {
    const { editor, session } = await openScenario('cursor.aspace', SCENARIO);
    await vscode.commands.executeCommand('addressSpaceExplorer.runScenario', editor.document.uri);
    for (const line of [4, 7, 2]) {
      editor.selection = new vscode.Selection(line, 0, line, 0);
      await until(`the step of line ${line + 1}`, () => session.stepIndex === session.stepAtLine(line + 1));
    }
    assert.equal(session.lineOfStep(session.stepIndex), 3);
  });

  test('hovers say what a statement changed, and where a name is defined', async () => {
    const { editor } = await openScenario('hover.aspace', SCENARIO);
    await vscode.commands.executeCommand('addressSpaceExplorer.runScenario', editor.document.uri);
    const text = async (line: number, character: number) => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, new vscode.Position(line, character));
      return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    };
    const write = await text(4, 1);
    assert.match(write, /Rss \+16 kB/);
    assert.match(write, /4 faults, 0 from the zero page/);
    const read = await text(3, 1);
    assert.match(read, /16 faults, 16 from the zero page/);
    const show = await text(5, 1);
    assert.match(show, /```\n[0-9a-f]+-[0-9a-f]+ rw-p/);
    const name = await text(7, 8);
    assert.match(name, /\*\*A\*\*: region of P, defined on line 3/);
  });

  test('hovering a hex address in any document translates it in the current step', async () => {
    const { editor, session } = await openScenario('address.aspace', SCENARIO);
    await vscode.commands.executeCommand('addressSpaceExplorer.runScenario', editor.document.uri);
    await vscode.commands.executeCommand('addressSpaceExplorer.goToLineState', editor.document.uri, 9);
    const region = session.state()?.regions.get('A');
    assert.ok(region);
    const address = `0x${(region.start + 0x123n).toString(16)}`;
    const log = await vscode.workspace.openTextDocument({ language: 'plaintext', content: `segfault at ${address} ip 0000555555555149\n` });
    await vscode.window.showTextDocument(log, { preview: false, viewColumn: vscode.ViewColumn.Beside });
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', log.uri, new vscode.Position(0, 15));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /\*\*P\*\*/);
    assert.match(text, /anonymous/);
    assert.match(text, /PTE `0x[0-9a-f]+`/);
    assert.match(text, /physical `0x[0-9a-f]+`/);
    const translated = await vscode.commands.executeCommand<string>('addressSpaceExplorer.translateAddress', address);
    assert.match(translated, new RegExp(`^P ${address} → .* rw-p`));
    assert.match(translated, /^Q /m, 'the child maps the region too');
  });

  test('completion offers the processes and regions defined above', async () => {
    const { editor } = await openScenario('complete.aspace', `${SCENARIO}read `);
    const end = new vscode.Position(editor.document.lineCount - 1, 5);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, end);
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('P') && labels.includes('Q'), labels.join(', '));
    await editor.edit((e) => e.insert(end, 'Q '));
    const regions = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, end.translate(0, 2));
    const names = regions.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(names.includes('A') && names.includes('heap'), names.join(', '));
  });

  test('an untitled scenario resolves its paths against the bundled examples', async () => {
    const example = vscode.Uri.joinPath(extension().extensionUri, 'examples', '01-demand-paging.aspace');
    const content = new TextDecoder().decode(await vscode.workspace.fs.readFile(example));
    const document = await vscode.workspace.openTextDocument({ language: 'aspace', content });
    await vscode.window.showTextDocument(document);
    const ran = await vscode.commands.executeCommand<boolean>('addressSpaceExplorer.runScenario', document.uri);
    assert.equal(ran, true);
    const session = (await api()).scenarios.get(document.uri);
    assert.ok(session?.run, 'hello/hello and data/ were found next to the examples');
    assert.equal(session.problem, undefined);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('New Scenario from Example opens the picked example as an untitled scenario, never a file', async () => {
    const opened = vscode.commands.executeCommand<vscode.TextEditor | undefined>('addressSpaceExplorer.newScenarioFromExample');
    await new Promise((r) => setTimeout(r, 1000));
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const editor = await opened;
    assert.ok(editor, 'an editor was opened');
    assert.equal(editor.document.isUntitled, true);
    assert.equal(editor.document.languageId, 'aspace');
    assert.match(editor.document.getText(), /^# Demand paging and the zero page\./);
    assert.equal(await vscode.commands.executeCommand<boolean>('addressSpaceExplorer.runScenario', editor.document.uri), true);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('a failed expect and a statement that cannot run become diagnostics', async () => {
    const { editor, session } = await openScenario('run-problems.aspace', 'P = exec hello\nA = mmap P 16K rw- private anon\nexpect P A Size=4K\n');
    await vscode.commands.executeCommand('addressSpaceExplorer.runScenario', editor.document.uri);
    assert.ok(session.run);
    const failed = await until('the failed expect', () => vscode.languages.getDiagnostics(editor.document.uri).find((d) => /expect failed/.test(d.message)));
    assert.equal(failed.range.start.line, 2);
    const missing = await openScenario('cannot-run.aspace', 'P = exec no-such-program\n');
    await vscode.commands.executeCommand('addressSpaceExplorer.runScenario', missing.editor.document.uri);
    assert.equal(missing.session.problem?.kind, 'cannot-run');
    const d = await until('the cannot-run diagnostic', () => vscode.languages.getDiagnostics(missing.editor.document.uri).find((x) => /cannot run/.test(x.message)));
    assert.equal(d.range.start.line, 0);
    assert.equal(d.range.start.character, 9);
  });

  test('Compare with Real smaps aligns a real capture with the simulated process in a diff editor', async () => {
    const { editor, session } = await openScenario('compare.aspace', 'P = exec hello\n');
    await vscode.commands.executeCommand('addressSpaceExplorer.runScenario', editor.document.uri);
    const state = session.state();
    assert.ok(state);
    // The simulated smaps itself, with one Rss changed: every VMA matches but one.
    const task = state.kernel.tasks.get('P');
    assert.ok(task);
    const { renderSmaps } = await import('../../../simulator/proc/smaps');
    const simulated = renderSmaps(state.kernel, task) + (task.mm.gateVma ? renderSmaps(state.kernel, task, [task.mm.gateVma]) : '');
    const real = simulated.replace(/(\[stack\]\n(?:.*\n){3}Rss:\s+)(\d+)/, (_: string, head: string, rss: string) => `${head}${Number(rss) + 4}`);
    const comparison = await vscode.commands.executeCommand<{ matching: number; differing: number; summary: string }>('addressSpaceExplorer.compareWithRealSmaps', { text: real, name: 'captured-smaps', process: 'P' });
    assert.equal(comparison.differing, 1);
    assert.ok(comparison.matching > 5);
    assert.match(comparison.summary, /Rss of \[stack\] \d+ kB vs \d+ kB/);
    const diff = await until('the diff editor', () => vscode.window.tabGroups.activeTabGroup.activeTab?.input instanceof vscode.TabInputTextDiff && vscode.window.tabGroups.activeTabGroup.activeTab.input);
    assert.equal(diff.original.scheme, 'asx-compare');
    const left = await vscode.workspace.openTextDocument(diff.original);
    const right = await vscode.workspace.openTextDocument(diff.modified);
    assert.equal(left.lineCount, right.lineCount);
  });
});
