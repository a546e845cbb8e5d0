// The live view of a real process, in the extension host: a program compiled for the test is opened
// with Address Space: Open Process (its pid as the argument), and what the view painted and what
// its host end answers must be what /proc/PID/smaps says.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { LiveRender } from '../../../extension/live/live-panel';
import { kernelSmaps, startLiveTarget, type LiveTarget } from '../../support/live-target';
import { api, closeAllEditors, extension } from '../host-support';

/** Resolves with the first paint of the live view of `pid` that satisfies `test`. */
async function liveRendered(pid: number, test: (r: LiveRender) => boolean, timeoutMs = 30_000): Promise<LiveRender> {
  const live = (await api()).live;
  assert.ok(live, 'the desktop host has live views');
  const done = live.lastRender(pid);
  if (done && test(done)) return done;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`no matching paint of pid ${pid} within ${timeoutMs} ms; last: ${JSON.stringify(live.lastRender(pid))}`));
    }, timeoutMs);
    const listener = live.onDidRender((r) => {
      if (r.pid !== pid || !test(r)) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(r);
    });
  });
}

let nextId = 1;
/** A request as the live view sends it, through the same validation and handlers. */
async function ask<T>(pid: number, method: string, params: unknown): Promise<T> {
  const id = nextId++;
  const reply = await (await api()).live!.deliver(pid, { kind: 'request', id, method, params });
  assert.ok(reply && reply.id === id, 'one reply to the request');
  if (!reply.ok) throw new Error(reply.error);
  return reply.result as T;
}

interface Status { run: number; name: string; error: string | null; gone: boolean; snapshotAt: number | null; samples: number }
interface Row { index: number; start: string; end: string; rssKb: number }

const big = (hex: string) => BigInt(hex);

suite('the live view of a process (Open Process)', () => {
  let target: LiveTarget;

  suiteSetup(async function () {
    this.timeout(60_000);
    target = await startLiveTarget(extension().extensionPath);
    // Readings only when asked, so that the runs the tests see are theirs.
    await vscode.workspace.getConfiguration().update('addressSpaceExplorer.live.refreshInterval', 0, vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    target?.stop();
    await vscode.workspace.getConfiguration().update('addressSpaceExplorer.live.refreshInterval', undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
  });

  test('opens with the pid and paints every region of /proc/PID/maps', async () => {
    const pid = await vscode.commands.executeCommand<number>('addressSpaceExplorer.openProcess', target.pid);
    assert.equal(pid, target.pid);
    const painted = await liveRendered(target.pid, (r) => r.run > 0 && r.tab === 'maps');
    const kernel = kernelSmaps(target.pid);
    assert.equal(painted.regionCount, kernel.length);
    assert.deepEqual(painted.regions.map(([s, e]) => [big(s), big(e)]), kernel.map((v) => [big(v.start), big(v.end)]));
    assert.equal(painted.error, null);
  });

  test("one region's smaps fields and Pss explainer equal the kernel's", async () => {
    const status = await ask<Status>(target.pid, 'status', {});
    const { rows } = await ask<{ rows: Row[] }>(target.pid, 'regions', { run: status.run, step: 0, process: status.name });
    const anon = rows.find((r) => big(r.start) === big(target.anon));
    assert.ok(anon, `the anonymous mapping at ${target.anon} is a row`);
    const kernel = kernelSmaps(target.pid).find((v) => big(v.start) === big(target.anon));
    assert.ok(kernel);
    assert.equal(anon.rssKb, kernel.fields.Rss);
    assert.equal(anon.rssKb, 64 * 4);
    const smaps = await ask<{ fields: { name: string; kb: number }[]; explain: { pssKb: number; kernelPssKb: number; exact: boolean; groups: { kind: string; pages: number }[] } }>(
      target.pid, 'smaps', { run: status.run, step: 0, process: status.name, region: anon.index });
    const field = (name: string) => smaps.fields.find((f) => f.name === name)?.kb;
    for (const name of ['Size', 'Rss', 'Pss', 'Anonymous', 'Private_Dirty']) assert.equal(field(name), kernel.fields[name], name);
    assert.equal(smaps.explain.pssKb, kernel.fields.Pss);
    assert.equal(smaps.explain.groups.filter((g) => g.kind === 'anon').reduce((n, g) => n + g.pages, 0), 64);
    if (process.getuid?.() === 0) assert.equal(smaps.explain.exact, true);
  });

  test('the pages grid and one page come from pagemap', async () => {
    const status = await ask<Status>(target.pid, 'status', {});
    const { rows } = await ask<{ rows: Row[] }>(target.pid, 'regions', { run: status.run, step: 0, process: status.name });
    const anon = rows.find((r) => big(r.start) === big(target.anon)) as Row;
    const pages = await ask<{ count: number; states: Uint8Array; flags: Uint8Array }>(target.pid, 'pages', { run: status.run, step: 0, process: status.name, region: anon.index });
    assert.equal(pages.count, 256);
    const present = [...pages.states].filter((s) => s !== 0).length;
    assert.equal(present, 64);
    const page = await ask<{ present: boolean; exclusive: boolean; pfn?: number; mapcount?: number }>(target.pid, 'page', { run: status.run, step: 0, process: status.name, address: target.anon });
    assert.equal(page.present, true);
    assert.equal(page.exclusive, true);
    if (process.getuid?.() === 0) assert.equal(page.mapcount, 1);
  });

  test('Snapshot, then a change: the diff shows the region that grew in Rss', async () => {
    await ask(target.pid, 'snapshot', { clear: false });
    await target.touchMore();
    await ask(target.pid, 'refresh', {});
    const status = await ask<Status>(target.pid, 'status', {});
    assert.ok(status.snapshotAt);
    assert.ok(status.samples >= 2);
    const diff = await ask<{ rows: { start: string; rssKb: [number, number]; change: string }[] }>(target.pid, 'diff', { run: status.run });
    const anon = diff.rows.find((r) => big(r.start) === big(target.anon));
    assert.ok(anon, JSON.stringify(diff.rows));
    assert.deepEqual(anon.rssKb, [64 * 4, 128 * 4]);
    const timeline = await ask<{ lines: number[]; processes: { rssKb: number[] }[] }>(target.pid, 'timeline', { run: status.run });
    assert.equal(timeline.lines.length, status.samples);
  });

  test('a process that exits: the view says so and keeps its last reading', async () => {
    const before = await ask<Status>(target.pid, 'status', {});
    target.stop();
    await new Promise((r) => setTimeout(r, 300));
    await ask(target.pid, 'refresh', {});
    const after = await ask<Status>(target.pid, 'status', {});
    assert.equal(after.gone, true);
    assert.match(after.error ?? '', new RegExp(`pid ${target.pid}`));
    assert.equal(after.run, before.run, 'the last good reading stays');
    const { rows } = await ask<{ rows: Row[] }>(target.pid, 'regions', { run: after.run, step: 0, process: after.name });
    assert.ok(rows.length > 0);
    const painted = await liveRendered(target.pid, (r) => r.error !== null);
    assert.match(painted.error ?? '', /exited/);
  });

  test('a bad request is refused with a reason', async () => {
    await assert.rejects(ask(target.pid, 'smaps', { run: 1, step: 0, process: 'x', region: -1 }), /region/);
    await assert.rejects(ask(target.pid, 'setOptions', { intervalSec: 7, freeze: false }), /intervalSec/);
  });
});
