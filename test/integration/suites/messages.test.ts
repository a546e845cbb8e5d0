import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { checkElfSummary, checkLayoutResult, checkSymbolPage } from '../../../webview/view-model-checks';
import type { LayoutView } from '../../../webview/view-models';
import { api, asxMaps, closeAllEditors, fixture, rendered, request } from '../host-support';
import { SYMBOLS_PROGRAM } from '../workspace';

const layoutOf = async (uri: vscode.Uri, params: unknown) => {
  const reply = await request(uri, 'layout', params);
  assert.ok(reply.ok, reply.error);
  return checkLayoutResult(reply.result) as LayoutView;
};

suite('the message protocol, host side', () => {
  const pie = fixture('pie');

  suiteSetup(async () => {
    await vscode.commands.executeCommand('vscode.openWith', pie, 'addressSpaceExplorer.anyFile');
    await rendered(pie);
  });
  suiteTeardown(closeAllEditors);

  test('summary: the ELF description without symbols, which passes the webview\'s checks', async () => {
    const reply = await request(pie, 'summary', {});
    assert.ok(reply.ok, reply.error);
    const summary = checkElfSummary(reply.result);
    assert.equal(summary.header.typeName, 'DYN (Position-Independent Executable file)');
    assert.ok(summary.symbolTables.length > 0);
    assert.equal('symbols' in (summary.symbolTables[0] ?? {}), false, 'symbols must be paged, not sent with the summary');
  });

  test('layout: every line equals `asx maps`, with ASLR off and with a seeded full ASLR', async () => {
    const off = await layoutOf(pie, { aslr: 'off', seed: '0' });
    assert.deepEqual(off.regions.map((r) => r.line), asxMaps(pie));
    const full = await layoutOf(pie, { aslr: 'full', seed: '42' });
    assert.deepEqual(full.regions.map((r) => r.line), asxMaps(pie, '--aslr', 'full', '--seed', '42'));
    assert.notDeepEqual(full.regions[0]?.start, off.regions[0]?.start);
  });

  test('symbols: pages of at most the limit, totals, and search on the host', async () => {
    const all = checkSymbolPage((await request(pie, 'symbols', { table: 0, text: '', range: null, offset: 0, limit: 5 })).result);
    assert.equal(all.rows.length, 5);
    assert.ok(all.total >= 5);
    const found = checkSymbolPage((await request(pie, 'symbols', { table: 0, text: 'MAIN', range: null, offset: 0, limit: 100 })).result);
    assert.ok(found.total > 0 && found.rows.every((r) => r.name.toLowerCase().includes('main')));
  });

  test('symbols: a range filter keeps defined symbols inside it', async () => {
    const hello = fixture(SYMBOLS_PROGRAM);
    await vscode.commands.executeCommand('vscode.openWith', hello, 'addressSpaceExplorer.anyFile');
    await rendered(hello);
    const layout = await layoutOf(hello, { aslr: 'off', seed: '0' });
    const text = layout.regions.find((r) => r.perms === 'r-xp' && r.linkStart);
    assert.ok(text?.linkStart && text.linkEnd);
    const summary = checkElfSummary((await request(hello, 'summary', {})).result);
    const symtab = summary.symbolTables.findIndex((t) => t.name === '.symtab');
    const reply = await request(hello, 'symbols', { table: symtab, text: '', range: { start: text.linkStart, end: text.linkEnd }, offset: 0, limit: 1000 });
    const page = checkSymbolPage(reply.result);
    assert.ok(page.rows.some((r) => r.name === 'main'), 'main is in the text');
    for (const r of page.rows) assert.ok(BigInt(r.value) >= BigInt(text.linkStart) && BigInt(r.value) < BigInt(text.linkEnd) && r.ndx !== 'UND');
  });

  test('rejects bad requests with an error reply to their id', async () => {
    const unknown = await request(pie, 'format-disk', {}, 7);
    assert.equal(unknown.ok, false);
    assert.match(unknown.error ?? '', /unknown method/);
    const tooMany = await request(pie, 'symbols', { table: 0, text: '', range: null, offset: 0, limit: 200_000 }, 8);
    assert.match(tooMany.error ?? '', /limit/);
    const badSeed = await request(pie, 'layout', { aslr: 'full', seed: '-1' }, 9);
    assert.match(badSeed.error ?? '', /seed/);
  });

  test('drops messages it cannot answer (no id), without replying', async () => {
    const explorer = await api();
    assert.equal(await explorer.deliver(pie, 'hello'), undefined);
    assert.equal(await explorer.deliver(pie, { kind: 'request', method: 'summary', params: {} }), undefined);
    assert.equal(await explorer.deliver(pie, { kind: 'event', event: 'launch-missiles', params: {} }), undefined);
  });

  test('a missing interpreter gives the program-only layout, marked incomplete', async () => {
    const config = vscode.workspace.getConfiguration('addressSpaceExplorer');
    await config.update('sysroot', mkdtempSync(join(tmpdir(), 'asx-empty-sysroot-')), vscode.ConfigurationTarget.Global);
    try {
      const layout = await layoutOf(pie, { aslr: 'off', seed: '0' });
      assert.match(layout.incomplete ?? '', /interpreter .* was not found/);
      assert.equal(layout.interpreter?.found, false);
      assert.ok(layout.regions.every((r) => r.owner !== 'interpreter' && !r.name.startsWith('[vdso')));
      const expected = asxMaps(pie).filter((l) => !/ld-linux|\[vvar|\[vdso/.test(l));
      assert.deepEqual(layout.regions.map((r) => r.line), expected);
    } finally {
      await config.update('sysroot', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
