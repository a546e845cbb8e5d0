import * as assert from 'node:assert/strict';
import { suite, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { asxMaps, closeAllEditors, fixture, rendered } from '../host-support';

suite('state restore (getState/setState, no retainContextWhenHidden)', () => {
  suiteTeardown(closeAllEditors);

  test('a hidden view comes back with its ASLR mode and seed', async () => {
    const uri = fixture('pie');
    await vscode.commands.executeCommand('vscode.openWith', uri, 'addressSpaceExplorer.anyFile');
    await rendered(uri, (v) => v.active);
    await vscode.commands.executeCommand('addressSpaceExplorer.setAslr', 'full');
    const full = await rendered(uri, (v) => v.rendered?.aslr === 'full');
    const seed = full.rendered?.seed;
    await vscode.commands.executeCommand('addressSpaceExplorer.rerollSeed');
    const rerolled = await rendered(uri, (v) => v.rendered?.aslr === 'full' && v.rendered.seed !== seed);
    const newSeed = rerolled.rendered?.seed as string;

    // Another editor in the same group hides the view: its webview is destroyed.
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(fixture('not-elf.txt')), { preview: false });
    const before = Date.now();
    await vscode.commands.executeCommand('vscode.openWith', uri, 'addressSpaceExplorer.anyFile');
    const restored = await rendered(uri, (v) => (v.rendered?.at ?? 0) >= before && !!v.rendered?.restored);
    assert.equal(restored.rendered?.aslr, 'full');
    assert.equal(restored.rendered?.seed, newSeed);
    assert.equal(restored.rendered?.regions, asxMaps(uri, '--aslr', 'full', '--seed', newSeed).length);
  });
});
