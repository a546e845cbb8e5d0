import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { checkLinkedResult } from '../../../webview/linked-checks';
import type { LinkedProblemView, LinkedResult, LinkedView } from '../../../webview/view-models';
import { asxMaps, closeAllEditors, extension, fixture, rendered, request } from '../host-support';

const config = () => vscode.workspace.getConfiguration('addressSpaceExplorer');

async function open(uri: vscode.Uri): Promise<void> {
  await vscode.commands.executeCommand('vscode.openWith', uri, 'addressSpaceExplorer.anyFile');
  await rendered(uri);
}

async function linkedOf(uri: vscode.Uri, params: unknown = { aslr: 'off', seed: '0' }): Promise<LinkedResult> {
  const reply = await request(uri, 'linked', params);
  assert.ok(reply.ok, reply.error);
  return checkLinkedResult(reply.result);
}

function asLinked(result: LinkedResult): LinkedView {
  assert.equal(result.kind, 'linked', (result as LinkedProblemView).message);
  return result as LinkedView;
}

/** What `asx maps --at entry` prints on stderr for a program ld.so cannot start. */
function asxError(file: vscode.Uri): string {
  try {
    execFileSync(process.execPath, [join(extension().extensionPath, 'bin', 'asx.js'), 'maps', file.fsPath, '--at', 'entry'], { encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    return String((error as { stderr?: string }).stderr ?? '');
  }
  throw new Error('asx maps succeeded');
}

suite('the Linked tab: ld.so\'s dependency tree and the layout at entry', () => {
  const pie = fixture('pie');

  suiteSetup(() => open(pie));
  suiteTeardown(closeAllEditors);

  test('libc.so.6 is in the tree, and every line equals `asx maps --at entry`', async () => {
    const linked = asLinked(await linkedOf(pie));
    const libc = linked.objects.findIndex((o) => o.name === 'libc.so.6');
    assert.ok(libc > 0, `objects: ${linked.objects.map((o) => o.name).join(', ')}`);
    assert.ok(linked.tree.children.some((c) => c.object === libc && c.needed === 'libc.so.6' && !c.duplicate));
    assert.deepEqual(linked.regions.map((r) => r.line), asxMaps(pie, '--at', 'entry'));
    const libcLines = linked.regions.filter((r) => r.objects[0] === libc);
    assert.ok(libcLines.length >= 5, 'libc\'s text, rodata, RELRO, data and bss');
    assert.ok(libcLines.some((r) => r.role === 'RELRO') && libcLines.some((r) => r.role.startsWith('bss')));
  });

  test('with a seeded full ASLR, the same lines as `asx maps --aslr full --seed 42 --at entry`', async () => {
    const linked = asLinked(await linkedOf(pie, { aslr: 'full', seed: '42' }));
    assert.deepEqual(linked.regions.map((r) => r.line), asxMaps(pie, '--aslr', 'full', '--seed', '42', '--at', 'entry'));
  });

  test('copyEntryMaps puts the maps at entry on the clipboard', async () => {
    const reply = await request(pie, 'copyEntryMaps', { aslr: 'off', seed: '0' });
    assert.ok(reply.ok, reply.error);
    const expected = asxMaps(pie, '--at', 'entry');
    assert.deepEqual(reply.result, { lines: expected.length });
    assert.equal(await vscode.env.clipboard.readText(), expected.join('\n') + '\n');
  });

  test('a static program says that no dynamic loader runs', async () => {
    const file = fixture('static');
    await open(file);
    const result = await linkedOf(file);
    assert.equal(result.kind, 'static');
    assert.match((result as LinkedProblemView).message, /^statically linked: no dynamic loader runs/);
  });

  test('a missing library is ld.so\'s one-line error with the search path, as asx reports it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'asx-linked-'));
    const missing = vscode.Uri.file(join(dir, 'missing'));
    copyFileSync(join(extension().extensionPath, 'test/fixtures/rtld/bin/missing'), missing.fsPath);
    await open(missing);
    const result = (await linkedOf(missing)) as LinkedProblemView;
    assert.equal(result.kind, 'error');
    assert.equal(result.message, `${missing.fsPath}: error while loading shared libraries: libmissing.so.1: cannot open shared object file: No such file or directory`);
    assert.equal(result.searched[0], join(dir, 'lib'), 'RUNPATH $ORIGIN/lib first');
    assert.ok(asxError(missing).includes(`${result.message.slice(missing.fsPath.length)} (searched: ${result.searched.join(', ')})`));
  });

  test('the ldLibraryPath setting is LD_LIBRARY_PATH for the search', async () => {
    const runpath = vscode.Uri.file(join(extension().extensionPath, 'test/fixtures/rtld/bin/runpath'));
    const lib = join(extension().extensionPath, 'test/fixtures/rtld/bin/lib');
    await open(runpath);
    await config().update('ldLibraryPath', lib, vscode.ConfigurationTarget.Global);
    try {
      const linked = asLinked(await linkedOf(runpath));
      assert.equal(linked.ldLibraryPath, lib);
      assert.equal(linked.objects.find((o) => o.name === 'libgreet.so.1')?.foundVia, `found via LD_LIBRARY_PATH ${lib}`);
    } finally {
      await config().update('ldLibraryPath', undefined, vscode.ConfigurationTarget.Global);
    }
    const linked = asLinked(await linkedOf(runpath));
    assert.match(linked.objects.find((o) => o.name === 'libgreet.so.1')?.foundVia ?? '', /^found via RUNPATH /);
  });
});
