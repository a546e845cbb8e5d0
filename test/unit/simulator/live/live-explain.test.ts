// Differential tests against the kernel this test runs on: a workload (anon, file, shmem,
// a fork with partly CoW'd pages, a THP, swapped-out pages when swap can be had) is read
// through /proc, and the explainer's Pss must equal the kernel's smaps Pss on every VMA.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../../simulator/cli/main';
import { NodeProcReader } from '../../../../simulator/cli/node-proc-reader';
import { ProcFileError, readLiveProcess, type ProcReader } from '../../../../simulator/live/index';
import { REPO_ROOT } from '../../../support/exec-layout';
import { compile, liveKernelAvailable } from '../../../support/live-kernel';

const root = process.getuid?.() === 0;
const live = liveKernelAvailable() && existsSync('/proc/self/pagemap');

interface JsonVma {
  start: string;
  end: string;
  perms: string;
  offset: string;
  dev: string;
  inode: number;
  path: string;
  fields: Record<string, number>;
  explain?: { groups: { kind: string; mapcount: number; pages: number; pssBytes: number }[]; pssKb: number; exact: boolean };
}

async function asx(...argv: string[]): Promise<{ status: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const status = await main(argv, { write: (t) => (out += t) }, { write: (t) => (err += t) });
  return { status, out, err };
}

/** A swap area for MADV_PAGEOUT: the machine's, or a small swapfile made here and removed after. */
function ensureSwap(dir: string): { ok: boolean; cleanup?: () => void } {
  if (readFileSync('/proc/swaps', 'utf8').trim().split('\n').length > 1) return { ok: true };
  if (!root) return { ok: false };
  const file = join(dir, 'swapfile');
  const run = (cmd: string, ...args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
  if (!run('fallocate', '-l', '64M', file) || !run('chmod', '600', file) || !run('mkswap', file) || !run('swapon', file)) return { ok: false };
  return { ok: true, cleanup: () => void run('swapoff', file) };
}

describe.skipIf(!live)('live processes against the kernel', () => {
  let dir = '';
  let swap: { ok: boolean; cleanup?: () => void } = { ok: false };
  let workload: ChildProcess | undefined;
  let parent = 0;
  let child = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'asx-live-pss-'));
    swap = ensureSwap(dir);
    const bin = compile('pss-workload-v3', readFileSync(join(REPO_ROOT, 'test/fixtures/live/pss-workload.c'), 'utf8'), []);
    const data = join(dir, 'data');
    writeFileSync(data, Buffer.alloc(64 * 4096, 7));
    workload = spawn(bin, [data, swap.ok ? 'pageout' : 'stay'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve, reject) => {
      let text = '';
      workload!.stdout!.on('data', (d: Buffer) => {
        text += d.toString();
        if (text.includes('\n')) resolve(text);
      });
      workload!.on('exit', (code) => reject(new Error(`pss-workload exited with ${code}`)));
    });
    [, parent = 0, child = 0] = line.trim().split(' ').map(Number);
  });

  afterAll(() => {
    for (const pid of [child, parent]) if (pid) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    workload?.kill('SIGKILL');
    swap.cleanup?.();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!root)('asx smaps --pid --explain --json: pssKb equals the kernel Pss on every VMA, exactly (parent and child)', async () => {
    for (const pid of [parent, child]) {
      const { status, out } = await asx('smaps', '--pid', String(pid), '--explain', '--json');
      expect(status).toBe(0);
      const doc = JSON.parse(out) as { pid: number; vmas: JsonVma[] };
      expect(doc.pid).toBe(pid);
      expect(doc.vmas.length).toBeGreaterThan(15);
      for (const v of doc.vmas) {
        expect(Object.keys(v)).toEqual(['start', 'end', 'perms', 'offset', 'dev', 'inode', 'path', 'fields', 'explain']);
        expect(v.start).toMatch(/^0x[0-9a-f]+$/);
        expect(v.explain!.exact, `${v.start} ${v.path}`).toBe(true);
        expect(v.explain!.pssKb, `${v.start} ${v.path}`).toBe(v.fields.Pss);
        const shares = v.explain!.groups.filter((g) => g.kind !== 'swap').reduce((s, g) => s + g.pssBytes, 0);
        expect(Math.floor(shares / 1024 + 1e-9)).toBe(v.fields.Pss);
      }
      // The kernel's maps, line for line.
      const maps = readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n').filter(Boolean);
      expect(doc.vmas.map((v) => `${v.start.slice(2)}-${v.end.slice(2)}`)).toEqual(maps.map((l) => l.split(' ')[0]!.replace(/^0+(?=[0-9a-f])/g, '').replace(/-0+(?=[0-9a-f])/, '-')));
    }
  });

  it.skipIf(!root)('the workload shows what it did: CoW halves, a THP, shmem, swap', () => {
    const p = readLiveProcess(new NodeProcReader(), parent, { explain: true, pages: true });
    const groups = p.vmas.flatMap((v) => v.explain?.groups ?? []);
    expect(groups.some((g) => g.kind === 'shmem' && g.mapcount === 2)).toBe(true);
    expect(groups.some((g) => g.kind === 'anon' && g.mapcount === 2)).toBe(true);
    expect(groups.some((g) => g.kind === 'file' && g.mapcount >= 2)).toBe(true);
    const thp = p.vmas.find((v) => v.fields.AnonHugePages === 2048);
    if (thp) expect(thp.explain!.groups).toEqual([{ kind: 'anon', mapcount: 1, pages: 1, pssBytes: 4096 }, { kind: 'anon', mapcount: 2, pages: 511, pssBytes: 511 * 2048 }]);
    if (swap.ok) {
      const swapped = p.vmas.find((v) => v.explain?.groups.some((g) => g.kind === 'swap'));
      expect(swapped, 'a VMA with swapped-out pages').toBeDefined();
      expect(swapped!.explain!.groups.find((g) => g.kind === 'swap')!.pages).toBe(16);
      expect(swapped!.fields.Swap).toBe(64);
      expect(swapped!.explain!.notes.join('\n')).toMatch(/SwapPss cannot be exact/);
    }
  });

  it('without the kpage files: exact false, present and exclusive still known', () => {
    const node = new NodeProcReader();
    const denying: ProcReader = {
      readText: (path) => node.readText(path),
      readAt: (path, offset, into) => {
        if (path.startsWith('kpage')) throw new ProcFileError(`/proc/${path}`, 'EACCES');
        return node.readAt(path, offset, into);
      },
      listPids: () => node.listPids(),
      userName: (uid) => node.userName(uid),
    };
    const p = readLiveProcess(denying, parent, { explain: true, pages: true });
    const resident = p.vmas.filter((v) => v.explain!.groups.some((g) => g.kind !== 'swap'));
    expect(resident.length).toBeGreaterThan(5);
    expect(resident.every((v) => !v.explain!.exact)).toBe(true);
    expect(p.kpageAccess === 'no-kpage' || p.kpageAccess === 'no-pfn').toBe(true);
    expect(p.vmas.some((v) => v.pages && v.pages.states.some((s) => s !== 0))).toBe(true);
    node.close();
  });

  it('asx maps --pid prints the live maps; asx ps lists the workload; errors are one line', async () => {
    expect((await asx('maps', '--pid', String(parent))).out).toBe(readFileSync(`/proc/${parent}/maps`, 'utf8'));
    const ps = await asx('ps', '--json', '--sort', 'rss');
    const rows = JSON.parse(ps.out) as { pid: number; pssKb: number; ussKb: number }[];
    expect(rows.find((r) => r.pid === parent)?.pssKb).toBeGreaterThan(0);
    const text = await asx('smaps', '--pid', String(parent), '--explain');
    expect(text.out.match(/^# Pss sum: /gm)?.length).toBe(readFileSync(`/proc/${parent}/maps`, 'utf8').trim().split('\n').length);
    const gone = await asx('smaps', '--pid', '999999999');
    expect(gone.status).toBe(1);
    expect(gone.err).toMatch(/^asx: pid 999999999 \(\/proc\/999999999\/comm\): no such process/);
    expect(gone.err.trim().split('\n')).toHaveLength(1);
  });
});
