// What changed in a debuggee between two stops: synthetic readings for each mark, and the kernel's own
// smaps before and after a program writes a page, splits a region with mprotect, unmaps one, maps
// one and grows its heap (test/fixtures/live/stop-steps.c).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NodeProcReader } from '../../../../simulator/cli/node-proc-reader';
import { readLiveProcess } from '../../../../simulator/live';
import { stopDelta, stopDiffView } from '../../../../simulator/live/stop-delta';
import type { LiveProcess, LiveVma } from '../../../../simulator/live/types';
import { checkLiveDiff } from '../../../../webview/live/checks';
import { REPO_ROOT } from '../../../support/exec-layout';

let index = 0;
function vma(start: number, end: number, perms = 'rw-p', fields: Record<string, number> = {}, path = ''): LiveVma {
  const s = `0x${start.toString(16)}`;
  const e = `0x${end.toString(16)}`;
  return {
    index: index++, start: s, end: e, perms, offset: '0x0', dev: '00:00', inode: 0, path, mapsLine: `${s.slice(2)}-${e.slice(2)} ${perms} 00000000 00:00 0 ${path}`,
    fields: { Rss: 0, Pss: 0, Swap: 0, ...fields }, smapsText: '', vmFlags: [],
  };
}
const proc = (...vmas: LiveVma[]): LiveProcess => ({ pid: 1, command: 't', cmdline: [], vmas, frozen: false, warnings: [] });
const K = 0x1000;

describe('the marks between two stops', () => {
  it('new, unmapped, grown up (heap) and down (stack), with the Rss, Pss and Swap deltas', () => {
    const before = proc(vma(0x10 * K, 0x20 * K, 'rw-p', { Rss: 8 }, '[heap]'), vma(0x40 * K, 0x44 * K), vma(0x80 * K, 0x90 * K, 'rw-p', { Rss: 16, Pss: 16 }, '[stack]'));
    const after = proc(vma(0x10 * K, 0x28 * K, 'rw-p', { Rss: 40 }, '[heap]'), vma(0x50 * K, 0x58 * K, 'rw-p', { Rss: 4, Pss: 4, Swap: 0 }), vma(0x7e * K, 0x90 * K, 'rw-p', { Rss: 24, Pss: 24 }, '[stack]'));
    const d = stopDelta(before, after);
    expect(d.changes.map((c) => [c.row.start, c.marks.join('+'), c.row.rssKb])).toEqual([
      ['0x10000', 'grown', [8, 40]],
      ['0x40000', 'unmapped', [0, 0]],
      ['0x50000', 'new', [0, 4]],
      ['0x7e000', 'grown', [16, 24]],
    ]);
    expect(d.changes[0]?.row.note).toBe('grown up from 64 kB, was 10000-20000');
    expect(d.changes[3]?.row.note).toBe('grown down from 64 kB, was 80000-90000');
    expect(d.counts).toMatchObject({ new: 1, grown: 2, unmapped: 1, shrunk: 0, 're-protected': 0 });
    expect(d.summary).toBe('1 new region, 2 grown, 1 unmapped; Rss +44 kB, Pss +12 kB');
  });

  it('mprotect of a part: the piece that changed is re-protected, the old numbers stay with the piece at the old start', () => {
    const before = proc(vma(0x10 * K, 0x20 * K, 'rw-p', { Rss: 64, Pss: 64 }));
    const after = proc(vma(0x10 * K, 0x18 * K, 'rw-p', { Rss: 32, Pss: 32 }), vma(0x18 * K, 0x1c * K, 'r--p', { Rss: 16, Pss: 16 }), vma(0x1c * K, 0x20 * K, 'rw-p', { Rss: 16, Pss: 16 }));
    const d = stopDelta(before, after);
    expect(d.changes.map((c) => [c.row.start, c.marks.join('+'), c.row.rssKb])).toEqual([
      ['0x10000', 'shrunk', [64, 32]],
      ['0x18000', 're-protected', [0, 16]],
      ['0x1c000', 'shrunk', [0, 16]],
    ]);
    expect(d.changes[1]?.row.note).toBe('re-protected: was rw-p, was 10000-20000');
    expect(d.summary).toBe('2 shrunk regions, 1 re-protected');
  });

  it('the same range with new perms is re-protected; an unchanged reading is "nothing changed"', () => {
    const a = proc(vma(0x10 * K, 0x20 * K, 'rw-p', { Rss: 4 }));
    expect(stopDelta(a, a).summary).toBe('nothing changed');
    const d = stopDelta(a, proc(vma(0x10 * K, 0x20 * K, 'r--p', { Rss: 4 })));
    expect(d.changes.map((c) => c.marks)).toEqual([['re-protected']]);
    expect(d.changes[0]?.row.note).toBe('re-protected: was rw-p');
  });

  it('as the Diff tab\'s model, it passes the view\'s checks', () => {
    const before = proc(vma(0x10 * K, 0x20 * K), vma(0x30 * K, 0x31 * K));
    const after = proc(vma(0x10 * K, 0x20 * K, 'rw-p', { Rss: 4 }), vma(0x40 * K, 0x41 * K));
    const view = checkLiveDiff(stopDiffView(stopDelta(before, after), 1000, 2000, [2, 2]));
    expect(view.rows.map((r) => r.change)).toEqual(['changed', 'removed', 'added']);
    expect(view.totals.rssKb).toEqual([0, 4]);
  });
});

describe('between two readings of a real process (the kernel\'s smaps)', () => {
  it('a page written, a split by mprotect, an unmap, a new mapping, the heap grown by sbrk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'asx-stop-steps-'));
    const program = join(dir, 'stop-steps');
    const cc = spawnSync(process.env.CC ?? 'gcc', ['-O1', '-o', program, join(REPO_ROOT, 'test/fixtures/live/stop-steps.c')], { encoding: 'utf8' });
    expect(cc.status, cc.stderr).toBe(0);
    const child = spawn(program, [], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    const line = (pattern: RegExp) => new Promise<RegExpExecArray>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${pattern} in ${JSON.stringify(out)}`)), 10_000);
      const look = () => {
        const m = pattern.exec(out);
        if (!m) return;
        clearTimeout(timer);
        resolve(m);
      };
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        look();
      });
      look();
    });
    try {
      const ready = await line(/ready (0x[0-9a-f]+) (0x[0-9a-f]+) (0x[0-9a-f]+)\n/);
      const [a, b] = [BigInt(ready[1]!), BigInt(ready[2]!)];
      const reader = new NodeProcReader();
      const before = readLiveProcess(reader, child.pid!, {});
      child.stdin.write('go\n');
      const done = await line(/done (0x[0-9a-f]+) /);
      const c = BigInt(done[1]!);
      const after = readLiveProcess(reader, child.pid!, {});
      const d = stopDelta(before, after);
      const at = (address: bigint) => d.changes.find((x) => BigInt(x.row.start) === address);
      expect(at(a)).toMatchObject({ marks: ['shrunk'], row: { rssKb: [0, 4], perms: 'rw-p' } });
      expect(at(a + 8n * 4096n)).toMatchObject({ marks: ['re-protected'], row: { perms: 'r--p', note: expect.stringMatching(/^re-protected: was rw-p/) } });
      expect(at(b)).toMatchObject({ marks: ['unmapped'] });
      expect(at(c)).toMatchObject({ marks: ['new'], row: { change: 'added' } });
      expect(d.changes.find((x) => x.row.path === '[heap]')).toMatchObject({ marks: ['grown'] });
      expect(d.counts).toMatchObject({ new: 1, unmapped: 1, 're-protected': 1 });
      expect(d.summary).toMatch(/Rss \+\d/);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
