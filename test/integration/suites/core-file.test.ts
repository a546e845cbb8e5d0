// A core file (ET_CORE) in the ELF custom editor: opened by its name, shown as the address space at
// the dump (the regions `asx maps CORE` prints), with the signal, the crash's region and the registers.
import * as assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { asxMaps, closeAllEditors, extension, fixture, rendered, request } from '../host-support';

interface CoreResult {
  signal: string | null;
  pid: number | null;
  crash: { address: string; region: number | null; where: string } | null;
  faultAddress: { address: string; region: number | null } | null;
  threads: { tid: number; registers: [string, string][] }[];
  notes: string[];
}

suite('a core file in the ELF custom editor', () => {
  suiteSetup(() => {
    copyFileSync(join(extension().extensionPath, 'test/fixtures/core/kernel.core'), fixture('crash.core').fsPath);
  });
  suiteTeardown(closeAllEditors);

  test('opens *.core by default and paints the regions asx maps prints for the core', async () => {
    const uri = fixture('crash.core');
    await vscode.commands.executeCommand('vscode.open', uri);
    const view = await rendered(uri);
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    assert.ok(input instanceof vscode.TabInputCustom && input.viewType === 'addressSpaceExplorer.elf');
    assert.equal(view.rendered?.regions, asxMaps(uri).length);
    const layout = await request(uri, 'layout', { aslr: 'off', seed: '0' });
    const regions = (layout.result as { regions: { line: string }[] }).regions;
    assert.deepEqual(regions.map((r) => r.line), asxMaps(uri));
  });

  test('the Core tab: the signal, the crashing instruction and the fault address in their regions, the registers', async () => {
    const uri = fixture('crash.core');
    const reply = await request(uri, 'core', {});
    assert.ok(reply.ok, reply.error);
    const core = reply.result as CoreResult;
    assert.equal(core.signal, 'SIGSEGV (SEGV_MAPERR)');
    assert.ok(core.pid && core.pid > 0);
    assert.ok(core.crash && core.crash.region !== null, 'the instruction pointer is in a region');
    assert.match(core.crash.where, /tiny-core r-xp/);
    assert.equal(core.faultAddress?.address, '0x1234');
    assert.equal(core.faultAddress?.region, null);
    const rip = core.threads[0]?.registers.find(([name]) => name === 'rip')?.[1];
    assert.equal(rip, core.crash.address);
    assert.ok(core.notes.length > 0, 'what a core cannot know is said');
  });

  test('a program is no core: its core request answers null', async () => {
    const uri = fixture('pie');
    await vscode.commands.executeCommand('vscode.openWith', uri, 'addressSpaceExplorer.anyFile');
    await rendered(uri);
    const reply = await request(uri, 'core', {});
    assert.equal(reply.result, null);
  });
});
