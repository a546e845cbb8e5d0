import * as assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { extension } from '../host-support';

const COMMANDS = ['openInExplorer', 'setAslr', 'rerollSeed', 'copyMaps', 'export'].map((c) => `addressSpaceExplorer.${c}`);

suite('activation', () => {
  test('declares on-demand activation only: the custom editors, binary files opened as text, scenarios, the restored scenario panel and a debug session (its tracker follows the debuggee)', () => {
    const events: string[] = extension().packageJSON.activationEvents;
    assert.ok(!events.includes('*') && !events.includes('onStartupFinished'), `eager activation in ${events.join(', ')}`);
    assert.deepEqual(events, ['onCustomEditor:addressSpaceExplorer.elf', 'onCustomEditor:addressSpaceExplorer.anyFile', 'onLanguage:code-text-binary', 'onLanguage:aspace', 'onWebviewPanel:addressSpaceExplorer.scenario', 'onDebugAdapterProtocolTracker']);
  });

  test('is not active until something asks for it, then activates (its speed is measured in npm run bench)', async () => {
    const ext = extension();
    assert.equal(ext.isActive, false, 'opening a workspace of ELF files must not activate the extension');
    const api = await ext.activate();
    assert.equal(ext.isActive, true);
    assert.equal(typeof api.views, 'function');
  });

  test('loads a small front at activation; the simulator is in a core bundle loaded on first use', () => {
    const ext = extension();
    const size = (file: string) => statSync(join(ext.extensionPath, file)).size;
    const main: string = ext.packageJSON.main;
    assert.ok(size(main) < 16_000, `${main} is ${size(main)} bytes: activation code must not pull in the simulator`);
    assert.ok(size('dist/extension/node-core.js') > 10 * size(main), 'the core bundle holds the simulator');
  });

  test('registers its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const c of COMMANDS) assert.ok(commands.includes(c), `${c} is not registered`);
  });

  test('contributes the ELF editor for ELF file names by default and for any file as an option', () => {
    const editors: { viewType: string; priority: string; selector: { filenamePattern: string }[] }[] = extension().packageJSON.contributes.customEditors;
    const byType = new Map(editors.map((e) => [e.viewType, e]));
    assert.deepEqual(byType.get('addressSpaceExplorer.elf')?.selector.map((s) => s.filenamePattern), ['*.elf', '*.so', '*.so.*', '*.ko', '*.o', '*.core', 'core']);
    assert.equal(byType.get('addressSpaceExplorer.elf')?.priority, 'default');
    assert.equal(byType.get('addressSpaceExplorer.anyFile')?.priority, 'option');
  });

  test('reads the sysroot setting, "/" by default', () => {
    assert.equal(vscode.workspace.getConfiguration('addressSpaceExplorer').get('sysroot'), '/');
  });
});
