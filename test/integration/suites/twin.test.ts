// Simulate This Process and the twin's Compare with Real smaps in the extension host, with a pid as the
// commands' argument (as the live view's buttons pass it): the twin opens as an untitled scenario
// that runs, every private VMA matches the live smaps, and a pid that is gone opens nothing.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { TwinComparison } from '../../../simulator/live/twin-compare';
import { startTwinTarget, type TwinTarget } from '../../support/twin-target';
import { closeAllEditors, extension } from '../host-support';

const SIMULATE = 'addressSpaceExplorer.simulateProcess';
const COMPARE = 'addressSpaceExplorer.compareWithRealSmaps';

suite('the twin of a process (Simulate This Process)', () => {
  let target: TwinTarget;
  let twin: vscode.Uri | undefined;

  suiteSetup(async function () {
    this.timeout(60_000);
    target = await startTwinTarget(extension().extensionPath);
  });

  suiteTeardown(async () => {
    target?.stop();
    // An untitled twin would ask to be saved on close.
    for (const document of vscode.workspace.textDocuments.filter((d) => d.isUntitled && d.getText().startsWith('# The twin of'))) {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    await closeAllEditors();
  });

  test('opens the twin as an untitled scenario beside, which runs', async () => {
    twin = await vscode.commands.executeCommand<vscode.Uri | undefined>(SIMULATE, target.pid);
    assert.ok(twin, 'the twin opened');
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === twin?.toString());
    assert.ok(document?.isUntitled, 'an untitled document: nothing is written');
    assert.equal(document.languageId, 'aspace');
    assert.match(document.lineAt(0).text, new RegExp(`^# The twin of pid ${target.pid} \\(twin-target\\): ${target.program}$`));
    assert.match(document.getText(), new RegExp(`^m${target.anon.slice(2)} = mmap P 0x[0-9a-f]+ rw- private anon at ${target.anon}$`, 'm'));
    const editor = vscode.window.visibleTextEditors.find((e) => e.document === document);
    assert.equal(editor?.selection.active.line, document.lineCount - 1, 'the cursor after the generated part');
  });

  test('Compare with Real smaps, from the live view ({ pid }) and from the twin: every private VMA matches', async () => {
    const fromLive = await vscode.commands.executeCommand<TwinComparison | undefined>(COMPARE, { pid: target.pid });
    assert.ok(fromLive && fromLive.privateVmas > 10, `private VMAs compared: ${fromLive?.privateVmas}`);
    assert.equal(fromLive.privateMatched, fromLive.privateVmas, JSON.stringify(fromLive.rows.filter((r) => r.status !== 'match' && r.perms[3] === 'p')));
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === twin?.toString());
    assert.ok(document);
    await vscode.window.showTextDocument(document);
    const fromTwin = await vscode.commands.executeCommand<TwinComparison | undefined>(COMPARE);
    assert.deepEqual(fromTwin?.rows.map((r) => r.status), fromLive.rows.map((r) => r.status));
  });

  test('a process that has exited opens nothing', async () => {
    const before = vscode.workspace.textDocuments.length;
    const gone = 4_194_300;
    assert.equal(await vscode.commands.executeCommand(SIMULATE, gone), undefined);
    assert.equal(vscode.workspace.textDocuments.filter((d) => d.isUntitled && d.getText().includes(`pid ${gone}`)).length, 0);
    assert.ok(vscode.workspace.textDocuments.length <= before);
  });
});
