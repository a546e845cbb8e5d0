// The live reader on recorded /proc files: parsing, the Pss explainer, the pages grid, and
// what happens when files are missing, denied, emptied or vanish mid-read.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PageState } from '../../../../simulator/inspect/view-models';
import {
  diffLiveProcesses, explainLines, LivePageFlag, listProcesses, liveProcessSummary, liveRegionPages, liveRegionRows, liveRegionSmaps, ProcFileError,
  readLiveProcess, readPageDetail, readProcessRow, readVmaPages, recordedReader, RecordedProcReader, type RecordedProcess,
} from '../../../../simulator/live/index';
import { REPO_ROOT } from '../../../support/exec-layout';

const fixture = (): RecordedProcess => JSON.parse(readFileSync(join(REPO_ROOT, 'test/fixtures/live/workload-parent.json'), 'utf8')) as RecordedProcess;

describe('a recorded process (the pss-workload parent: anon, file, shmem, CoW after fork, a THP)', () => {
  const rec = fixture();
  const pid = rec.pid;

  it('explains every VMA exactly: the groups sum to the kernel Pss', () => {
    const p = readLiveProcess(recordedReader(rec), pid, { explain: true, pages: true });
    expect(p.warnings).toEqual([]);
    expect(p.kpageAccess).toBe('full');
    expect(p.vmas.length).toBeGreaterThan(20);
    for (const v of p.vmas) {
      expect(v.explain, v.mapsLine).toBeDefined();
      expect(v.explain!.exact).toBe(true);
      expect(v.explain!.pssKb, v.mapsLine).toBe(v.fields.Pss);
      const sum = v.explain!.groups.filter((g) => g.kind !== 'swap').reduce((s, g) => s + g.pssBytes, 0);
      expect(Math.floor(sum / 1024 + 1e-9)).toBe(v.fields.Pss);
    }
  });

  it('finds the THP split by the child: one page of mapcount 1, 511 of mapcount 2', () => {
    const p = readLiveProcess(recordedReader(rec), pid, { explain: true, pages: true });
    const thp = p.vmas.find((v) => v.fields.AnonHugePages === 2048)!;
    expect(thp.explain!.groups).toEqual([
      { kind: 'anon', mapcount: 1, pages: 1, pssBytes: 4096 },
      { kind: 'anon', mapcount: 2, pages: 511, pssBytes: 511 * 2048 },
    ]);
    expect(thp.pages!.count).toBe(512);
    expect(thp.pages!.flags[0]! & LivePageFlag.Thp).toBeTruthy();
    expect(thp.pages!.states[5]).toBe(PageState.AnonPrivate);
    expect(thp.pages!.states[6]).toBe(PageState.AnonShared);
    expect(thp.pages!.mapcounts[6]).toBe(2);
  });

  it('tells file and shmem pages apart, and prints # Pss lines', () => {
    const p = readLiveProcess(recordedReader(rec), pid, { explain: true });
    const shm = p.vmas.find((v) => v.path.startsWith('/dev/zero'))!;
    expect(shm.explain!.groups.every((g) => g.kind === 'shmem')).toBe(true);
    const file = p.vmas.find((v) => v.path.endsWith('pssfile') && v.perms === 'r--p')!;
    expect(file.explain!.groups.every((g) => g.kind === 'file')).toBe(true);
    const text = explainLines(shm);
    expect(text).toMatch(/^# Pss: \d+ shmem pages, mapcount \d+: /m);
    expect(text).toMatch(new RegExp(`^# Pss sum: ${shm.fields.Pss} kB \\(exact`, 'm'));
  });

  it('reads one page in detail and a range as a grid', () => {
    const reader = recordedReader(rec);
    const p = readLiveProcess(reader, pid, { explain: true });
    const thp = p.vmas.find((v) => v.fields.AnonHugePages === 2048)!;
    const d = readPageDetail(reader, pid, BigInt(thp.start) + 6n * 4096n);
    expect(d).toMatchObject({ present: true, exclusive: false, mapcount: 2, state: PageState.AnonShared });
    expect(d.kpageflagNames).toContain('THP');
    const grid = readVmaPages(reader, pid, thp.start, thp.end);
    expect(grid.count).toBe(512);
  });

  it('without kpagecount/kpageflags: exact false, and present/exclusive still shown', () => {
    const reader = recordedReader(rec);
    reader.set('kpagecount', { error: 'EACCES' });
    reader.set('kpageflags', { error: 'EACCES' });
    const p = readLiveProcess(reader, pid, { explain: true, pages: true });
    expect(p.kpageAccess).toBe('no-kpage');
    expect(p.warnings.includes('/proc/kpagecount: permission denied (reading it needs root: CAP_SYS_ADMIN) (EACCES)')).toBe(true);
    const anon = p.vmas.filter((v) => v.fields.Anonymous! > 0);
    expect(anon.every((v) => v.explain!.exact === false)).toBe(true);
    // A large folio's pages are exclusive only when the whole folio is (folio_maybe_mapped_shared):
    // the THP that the child's write split in part shows none exclusive.
    const thp = p.vmas.find((v) => v.fields.AnonHugePages === 2048)!;
    expect(thp.pages!.flags[5]! & LivePageFlag.Exclusive).toBe(0);
    expect(thp.pages!.states[5]).toBe(PageState.AnonShared);
    const cow = p.vmas.find((v) => v.fields.Rss === 264)!;
    const exclusive = [...cow.pages!.flags].filter((f) => f & LivePageFlag.Exclusive).length;
    expect(exclusive).toBe(34);
    expect([...cow.pages!.states].filter((s) => s === PageState.AnonPrivate)).toHaveLength(34);
  });

  it('with PFNs hidden (not root): exact false, exclusive pages count whole, the rest shares what smaps leaves', () => {
    const reader = recordedReader(rec);
    const pagemap = rec.files[`${pid}/pagemap`] as { length: number; u64: [number, string][] };
    // An unprivileged reader sees the flags but PFN 0.
    reader.set(`${pid}/pagemap`, { kind: 'u64', length: pagemap.length, entries: new Map(pagemap.u64.map(([i, v]) => [i, BigInt(v) & ~((1n << 55n) - 1n) | (BigInt(v) & (1n << 62n) ? BigInt(v) : 0n)])) });
    const p = readLiveProcess(reader, pid, { explain: true });
    expect(p.kpageAccess).toBe('no-pfn');
    // 64 pages written before the fork, 32 of them written again by the child; 3 more written after.
    const cow = p.vmas.find((v) => v.fields.Rss === 264)!;
    expect(cow.explain!.exact).toBe(false);
    expect(cow.explain!.groups).toEqual([
      { kind: 'anon', mapcount: 0, pages: 32, pssBytes: 64 * 1024 },
      { kind: 'anon', mapcount: 1, pages: 34, pssBytes: 34 * 4096 },
    ]);
    expect(cow.explain!.pssKb).toBe(cow.fields.Pss);
    expect(cow.explain!.notes[0]).toMatch(/PFNs read as 0/);
    const thp = p.vmas.find((v) => v.fields.AnonHugePages === 2048)!;
    expect(thp.explain!.groups).toEqual([{ kind: 'anon', mapcount: 0, pages: 512, pssBytes: 1026 * 1024 }]);
  });
});

describe('errors name the pid and the file', () => {
  const rec = fixture();
  const pid = rec.pid;

  it('permission denied on smaps: one ProcFileError line', () => {
    const reader = recordedReader(rec);
    reader.set(`${pid}/smaps`, { error: 'EACCES' });
    expect(() => readLiveProcess(reader, pid)).toThrow(new ProcFileError(`/proc/${pid}/smaps`, 'EACCES', pid));
    expect(() => readLiveProcess(reader, pid)).toThrow(`pid ${pid} (/proc/${pid}/smaps): permission denied`);
  });

  it('hidepid (the pid is not there) and a process that is gone', () => {
    expect(() => readLiveProcess(new RecordedProcReader({}), 77)).toThrow('pid 77 (/proc/77/comm): no such process');
  });

  it('a process that exits while its pagemap is read: a warning and the smaps part', () => {
    const reader = recordedReader(rec);
    let smapsRead = false;
    reader.beforeRead = (path) => {
      if (path === `${pid}/smaps`) smapsRead = true;
      if (path === `${pid}/pagemap` && smapsRead) for (const f of Object.keys(rec.files)) reader.set(f, { error: 'ESRCH' });
    };
    const p = readLiveProcess(reader, pid, { explain: true });
    expect(p.vmas.length).toBeGreaterThan(20);
    expect(p.kpageAccess).toBe('no-pagemap');
    expect(p.warnings).toEqual([`pid ${pid} (/proc/${pid}/pagemap): no such process (it exited while it was read) (ESRCH)`]);
  });

  it('empty files (a zombie or a kernel thread): no VMAs and one warning each', () => {
    const reader = recordedReader(rec);
    reader.set(`${pid}/smaps`, '');
    reader.set(`${pid}/smaps_rollup`, '');
    const p = readLiveProcess(reader, pid, { explain: true });
    expect(p.vmas).toEqual([]);
    expect(p.warnings).toEqual([`pid ${pid} (/proc/${pid}/smaps): empty (the process exited, or has no address space: a kernel thread or a zombie)`]);
  });

  it('a VMA whose smaps changed while it was read is read again', () => {
    const reader = recordedReader(rec);
    const smaps = rec.files[`${pid}/smaps`] as string;
    const thpStart = /^([0-9a-f]+)-[0-9a-f]+ rw-p 00000000 00:00 0 *\nSize: +2048 kB/m.exec(smaps)![1]!;
    // The first read says Pss 2048 kB; the second, what the pages say.
    const stale = smaps.replace(new RegExp(`(^${thpStart}-[^]*?\\nPss: +)1026 kB`, 'm'), '$12048 kB');
    expect(stale).not.toBe(smaps);
    let reads = 0;
    reader.set(`${pid}/smaps`, stale);
    reader.beforeRead = (path) => {
      if (path === `${pid}/smaps` && ++reads === 2) reader.set(path, smaps);
    };
    const p = readLiveProcess(reader, pid, { explain: true });
    expect(reads).toBe(2);
    expect(p.warnings).toEqual([]);
    expect(p.vmas.find((v) => v.start === `0x${thpStart}`)!.fields.Pss).toBe(1026);
  });

  it('freeze: SIGSTOP before and SIGCONT after, never for a process already stopped', () => {
    const reader = recordedReader(rec);
    const status = rec.files[`${pid}/status`] as string;
    reader.set(`${pid}/status`, status.replace(/^State:.*$/m, 'State:\tS (sleeping)'));
    reader.beforeRead = (path) => {
      if (path === `${pid}/status` && reader.signals.length) reader.set(path, status.replace(/^State:.*$/m, 'State:\tT (stopped)'));
    };
    expect(readLiveProcess(reader, pid, { freeze: true }).frozen).toBe(true);
    expect(reader.signals).toEqual([`SIGSTOP ${pid}`, `SIGCONT ${pid}`]);
    const stopped = recordedReader(rec);
    stopped.set(`${pid}/status`, status.replace(/^State:.*$/m, 'State:\tT (stopped)'));
    const q = readLiveProcess(stopped, pid, { freeze: true });
    expect(q.frozen).toBe(false);
    expect(stopped.signals).toEqual([]);
    expect(q.warnings).toEqual([`pid ${pid}: already stopped; left as it is`]);
  });

  it('lists processes from smaps_rollup, skipping kernel threads and naming the unreadable', () => {
    const rec2 = fixture();
    const reader = recordedReader(rec2);
    reader.set('2/smaps_rollup', '');
    reader.set('9/smaps_rollup', { error: 'EACCES' });
    const { rows, errors } = listProcesses(reader);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ pid: rec2.pid, command: expect.stringContaining('pss-workload') as string, user: '0' });
    expect(rows[0]!.ussKb).toBeGreaterThan(0);
    expect(errors).toEqual(['pid 9 (/proc/9/smaps_rollup): permission denied (ptrace access mode, or hidepid) (EACCES)']);
  });
});

describe('the panel view models and snapshots', () => {
  const rec = fixture();
  const pid = rec.pid;

  it('renders a live process in inspect/ shapes', () => {
    const p = readLiveProcess(recordedReader(rec), pid, { explain: true, pages: true });
    const summary = liveProcessSummary(p);
    expect(summary).toMatchObject({ pid, name: 'pss-workload', state: 'running', vmaCount: p.vmas.length });
    expect(summary.pssKb).toBe(p.rollup!.Pss);
    const rows = liveRegionRows(p);
    expect(rows.map((r) => r.mapsLine)).toEqual(p.vmas.map((v) => v.mapsLine));
    const thp = p.vmas.find((v) => v.fields.AnonHugePages === 2048)!;
    expect(rows[thp.index]).toMatchObject({ pages: 512, rssKb: 2048, pssKb: 1026, origin: 'anonymous memory' });
    const smaps = liveRegionSmaps(thp);
    expect(smaps.pssGroups.map((g) => g.explanation)).toEqual(['1 anonymous page, mapcount 1: all 4 kB each = 4 kB', '511 anonymous pages, mapcount 2: 1/2 of 4 kB each = 1022 kB']);
    expect(smaps.fields.find((f) => f.name === 'Pss')?.kb).toBe(1026);
    expect(liveRegionPages(thp)?.count).toBe(512);
  });

  it('diffs a snapshot with a later reading; a timeline sample is one smaps_rollup', () => {
    const before = readLiveProcess(recordedReader(rec), pid);
    const later = recordedReader(rec);
    const smaps = rec.files[`${pid}/smaps`] as string;
    later.set(`${pid}/smaps`, smaps.replace(/^(Rss: +)2048 kB/m, '$11024 kB'));
    const diff = diffLiveProcesses(before, readLiveProcess(later, pid));
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
    expect(diff.changed).toHaveLength(1);
    expect(diff.changed[0]!.fields).toEqual({ Rss: { before: 2048, after: 1024 } });
    expect(readProcessRow(recordedReader(rec), pid)).toMatchObject({ pid, pssKb: Number(/^Pss: +(\d+)/m.exec(rec.files[`${pid}/smaps_rollup`] as string)![1]) });
  });
});
