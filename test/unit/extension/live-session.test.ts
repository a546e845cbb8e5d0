// The live view's host end on recorded /proc files: the view models of a reading, the timeline,
// snapshot and diff, page detail, and what a failing reading leaves (the last good one, and why).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LiveSession, StaleReadingError } from '../../../extension/live/live-session';
import { recordedReader, type RecordedProcess } from '../../../simulator/live/index';
import { checkLiveStatus, LIVE_METHODS } from '../../../webview/live/protocol';
import { checkLiveDiff, checkLivePageDetail, checkLivePages, checkLiveSmaps } from '../../../webview/live/checks';
import { checkRegionRows, checkTimeline } from '../../../webview/scenario/checks';
import { REPO_ROOT } from '../../support/exec-layout';

const recording = (): RecordedProcess => JSON.parse(readFileSync(join(REPO_ROOT, 'test/fixtures/live/workload-parent.json'), 'utf8')) as RecordedProcess;
const options = { intervalSec: 0, freeze: false };

function session() {
  const rec = recording();
  const reader = recordedReader(rec);
  let now = 1_700_000_000_000;
  const s = new LiveSession(reader, rec.pid, options, () => (now += 1000));
  return { s, reader, pid: rec.pid };
}

describe('the live session of a recorded process', () => {
  it('reads once per refresh: the status names the process, the rows are its VMAs with the kernel\'s Rss and Pss', () => {
    const { s, pid } = session();
    expect(s.status().run).toBe(0);
    s.read();
    const status = checkLiveStatus(s.status());
    expect(status).toMatchObject({ pid, name: 'pss-workload', run: 1, error: null, gone: false, kpageAccess: 'full', samples: 1 });
    expect(status.processes[0]?.vmaCount).toBeGreaterThan(20);
    const { rows } = s.regions(1);
    expect(checkRegionRows({ rows })).toHaveLength(status.processes[0]!.vmaCount);
    expect(rows.every((r) => r.line === 0 && r.origin.length > 0)).toBe(true);
  });

  it('every VMA\'s smaps model passes the protocol checks, and its explainer sums to the kernel\'s Pss, exactly', () => {
    const { s } = session();
    s.read();
    const { rows } = s.regions(1);
    for (const row of rows) {
      const smaps = checkLiveSmaps(s.smaps(1, row.index));
      expect(smaps.header).toBe(row.mapsLine);
      expect(smaps.fields.find((f) => f.name === 'Rss')?.kb).toBe(row.rssKb);
      expect(smaps.explain?.exact).toBe(true);
      expect(smaps.explain?.pssKb, row.mapsLine).toBe(row.pssKb);
      for (const g of smaps.explain!.groups) expect(g.explanation).toMatch(/page/);
    }
  });

  it('the pages grid and one page detail come from pagemap, checked as the view checks them', () => {
    const { s } = session();
    s.read();
    const { rows } = s.regions(1);
    const resident = rows.find((r) => r.rssKb > 0 && r.name === '')!;
    const pages = checkLivePages(s.pages(1, resident.index));
    expect(pages.count).toBe(resident.pages);
    const first = pages.states.findIndex((st) => st !== 0);
    const address = `0x${(BigInt(pages.start) + BigInt(first) * 4096n).toString(16)}`;
    const detail = checkLivePageDetail(s.page(1, address));
    expect(detail.present).toBe(true);
    expect(detail.mapcount).toBeGreaterThan(0);
    expect(s.page(1, '0x10')).toBeNull();
  });

  it('a request for an older reading is stale; the timeline has one sample per reading', () => {
    const { s } = session();
    s.read();
    s.read();
    expect(() => s.regions(1)).toThrow(StaleReadingError);
    const timeline = checkTimeline(s.timeline());
    expect(timeline.lines).toEqual([1, 2]);
    expect(timeline.processes[0]?.rssKb[0]).toBe(s.status().processes[0]?.rssKb);
  });

  it('Snapshot, then a VMA changes: the diff says which, by how much', () => {
    const { s, reader, pid } = session();
    s.read();
    s.takeSnapshot(false);
    expect(s.diff(1)?.rows).toEqual([]);
    const smaps = reader.readText(`${pid}/smaps`);
    const heap = /^([0-9a-f]+)-[0-9a-f]+ rw-p [^\n]*\[heap\]\n(?:[A-Z]\w*:[^\n]*\n)*?Rss:\s+(\d+) kB/m.exec(smaps)!;
    reader.set(`${pid}/smaps`, smaps.replace(heap[0], heap[0].replace(/Rss:(\s+)\d+ kB$/, `Rss:$1${Number(heap[2]) + 8} kB`)));
    s.read();
    const diff = checkLiveDiff(s.diff(2));
    expect(diff.rows).toHaveLength(1);
    expect(diff.rows[0]).toMatchObject({ change: 'changed', path: '[heap]', rssKb: [Number(heap[2]), Number(heap[2]) + 8] });
    s.takeSnapshot(true);
    expect(s.diff(2)).toBeNull();
  });

  it('a process that exits: the status says so, naming the pid and the file, and the last reading stays', () => {
    const { s, reader, pid } = session();
    s.read();
    for (const name of ['comm', 'cmdline', 'status', 'smaps', 'smaps_rollup', 'pagemap']) reader.set(`${pid}/${name}`, undefined);
    s.read();
    const status = s.status();
    expect(status).toMatchObject({ run: 1, gone: true });
    expect(status.error).toMatch(new RegExp(`^pid ${pid} \\(/proc/${pid}/comm\\)`));
    expect(s.regions(1).rows.length).toBeGreaterThan(0);
  });

  it('permission denied is an error, not an exit', () => {
    const { s, reader, pid } = session();
    reader.set(`${pid}/comm`, { error: 'EACCES' });
    s.read();
    expect(s.status()).toMatchObject({ run: 0, gone: false });
    expect(s.status().error).toMatch(/permission denied/);
  });

  it('freeze while reading sends SIGSTOP then SIGCONT, only when asked', () => {
    const { s, reader } = session();
    s.read();
    expect(reader.signals).toEqual([]);
    s.options = { intervalSec: 0, freeze: true };
    s.read();
    expect(reader.signals).toEqual([`SIGSTOP ${s.pid}`, `SIGCONT ${s.pid}`]);
  });
});

describe('the live protocol', () => {
  it('refuses an auto-refresh interval it does not offer, and a step other than 0', () => {
    expect(() => LIVE_METHODS.params.setOptions({ intervalSec: 7, freeze: false })).toThrow(/intervalSec/);
    expect(LIVE_METHODS.params.setOptions({ intervalSec: 5, freeze: true })).toEqual({ intervalSec: 5, freeze: true });
    expect(() => LIVE_METHODS.params.smaps({ run: 1, step: 1, process: 'p', region: 0 })).toThrow(/step/);
  });
});
