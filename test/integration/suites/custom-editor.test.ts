import * as assert from 'node:assert/strict';
import { suite, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { asxMaps, closeAllEditors, fixture, rendered } from '../host-support';

function activeCustomTab(): vscode.TabInputCustom {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  assert.ok(input instanceof vscode.TabInputCustom, 'the active tab is not a custom editor');
  return input;
}

suite('the ELF custom editor', () => {
  suiteTeardown(closeAllEditors);

  test('opens *.so files by default and paints the header and every region', async () => {
    const uri = fixture('execlib.so');
    await vscode.commands.executeCommand('vscode.open', uri);
    const view = await rendered(uri);
    assert.equal(activeCustomTab().viewType, 'addressSpaceExplorer.elf');
    assert.equal(view.rendered?.regions, asxMaps(uri).length);
    assert.equal(view.rendered?.aslr, 'off');
  });

  test('opens a program without an extension through "Open in Address Space Explorer"', async () => {
    const uri = fixture('pie');
    await vscode.commands.executeCommand('addressSpaceExplorer.openInExplorer', uri);
    const view = await rendered(uri);
    const tab = activeCustomTab();
    assert.equal(tab.viewType, 'addressSpaceExplorer.anyFile');
    assert.equal(tab.uri.toString(), uri.toString());
    assert.equal(view.rendered?.regions, asxMaps(uri).length);
  });

  test('opens any file through "Open With…" (vscode.openWith)', async () => {
    const uri = fixture('static-pie');
    await vscode.commands.executeCommand('vscode.openWith', uri, 'addressSpaceExplorer.anyFile');
    const view = await rendered(uri);
    assert.equal(view.rendered?.regions, asxMaps(uri).length);
  });

  test('shows a file that is not ELF with the reason, and no layout', async () => {
    const uri = fixture('not-elf.txt');
    await vscode.commands.executeCommand('vscode.openWith', uri, 'addressSpaceExplorer.anyFile');
    const view = await rendered(uri);
    assert.equal(view.rendered?.regions, 0);
  });
});
