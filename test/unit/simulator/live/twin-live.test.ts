// The twin against the real kernel (issue 12 §2): small C programs (test/oracle/twin/*.c) and real
// processes (node, python3) are read with `asx twin --pid`'s functions while they wait, the twin
// runs in the simulator, and every private VMA must have the live Size, Rss, Anonymous, Swap,
// Private_Dirty and Private_Clean. Needs x86-64 Linux, gcc and root (pagemap PFNs, kpagecount).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../../simulator/cli/main';
import { NodeProcReader } from '../../../../simulator/cli/node-proc-reader';
import { runAndCompare } from '../../../../simulator/cli/twin-command';
import { twinScenario } from '../../../../simulator/live/twin';
import type { TwinComparison } from '../../../../simulator/live/twin-compare';
import { readTwinInput } from '../../../../simulator/live/twin-input';
import { KERNEL_MAPPINGS } from '../../../../simulator/live/twin-model';
import { REPO_ROOT } from '../../../support/exec-layout';
import { withSwap } from '../../../support/swap';

const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const runnable = process.platform === 'linux' && process.arch === 'x64' && process.getuid?.() === 0 && has('gcc');
const SOURCES = join(REPO_ROOT, 'test/oracle/twin');
const work = mkdtempSync(join(tmpdir(), 'asx-twin-live-'));
const children: ChildProcess[] = [];

beforeAll(() => {
  if (!runnable) return;
  for (const file of readdirSync(SOURCES).filter((f) => f.endsWith('.c'))) {
    const result = spawnSync('gcc', ['-O1', '-pthread', '-o', join(work, file.slice(0, -2)), join(SOURCES, file)], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`gcc ${file}: ${result.stderr}`);
  }
});

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

/** Starts a command and resolves with its words after "ready" once it printed that line. */
function start(command: string, args: readonly string[]): Promise<{ pid: number; words: string[] }> {
  const child = spawn(command, args, { cwd: work, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let text = '';
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`${command} exited (${code ?? signal}) before it was ready: ${text}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const line = /^ready\b(.*)$/m.exec(text);
      if (line) resolve({ pid: child.pid as number, words: line[1]!.trim().split(/\s+/).filter(Boolean) });
    });
  });
}

/** The twin of `pid` read, run in the simulator as on this machine, and compared with the live smaps. */
async function twinOf(pid: number): Promise<{ comparison: TwinComparison; text: string }> {
  const { input } = readTwinInput(new NodeProcReader(), pid, { program: readlinkSync(`/proc/${pid}/exe`) });
  const twin = twinScenario(input);
  const errors: string[] = [];
  const comparison = await runAndCompare(input, twin, join(work, `twin-${pid}.aspace`), { write: (t) => void errors.push(t) });
  if (!comparison) throw new Error(`the twin of ${pid} does not run: ${errors.join('')}\n${twin.text}`);
  return { comparison, text: twin.text };
}

const isPrivate = (r: { perms: string; path: string }) => r.perms[3] === 'p' && !KERNEL_MAPPINGS.includes(r.path);

/** The rows that differ, one line each: the private VMAs, and with `shared` the shared ones too. */
function differences(c: TwinComparison, shared = false): string[] {
  return c.rows.filter((r) => r.status !== 'match' && (isPrivate(r) || (shared && r.perms[3] === 's' && !KERNEL_MAPPINGS.includes(r.path)))).map((r) => `${r.start}-${r.end} ${r.perms} ${r.path} ${r.status}: ${r.reason ?? ''}`);
}

async function expectTwinMatches(program: string, args: readonly string[] = [work], shared = true): Promise<{ comparison: TwinComparison; words: string[] }> {
  const { pid, words } = await start(join(work, program), args);
  const { comparison } = await twinOf(pid);
  expect(differences(comparison, shared)).toEqual([]);
  expect(comparison.privateMatched).toBe(comparison.privateVmas);
  return { comparison, words };
}

describe.skipIf(!runnable)('the twin of a live process on this kernel', () => {
  it('private anonymous memory: stores, loads, untouched pages, a read-only mapping, an mprotect split, mlock (anon.c)', async () => {
    const { comparison } = await expectTwinMatches('anon');
    // The locked mapping: all 4 pages faulted in by mlock, live and in the twin.
    expect(comparison.rows.some((r) => r.live?.['Locked'] === 16 && r.twin?.['Locked'] === 16)).toBe(true);
  }, 60_000);

  it('[vdso]: the pages resident live are read by the twin, so its Rss is the live one', async () => {
    const { pid } = await start(join(work, 'anon'), []);
    const { comparison } = await twinOf(pid);
    const vdso = comparison.rows.find((r) => r.path === '[vdso]');
    expect(vdso?.live?.['Rss']).toBeGreaterThan(0);
    expect(vdso?.status).toBe('match');
    expect(vdso?.reason).toMatch(/the twin reads the ones resident live/);
  }, 60_000);

  it('adjacent anonymous VMAs with the same flags, kept apart by their own anon_vmas (apart.c)', async () => {
    const { comparison } = await expectTwinMatches('apart');
    expect(comparison.rows.filter((r) => r.perms === 'rw-p' && r.path === '' && r.live?.['Size'] === 64).length).toBeGreaterThanOrEqual(5);
  }, 60_000);

  it('malloc: the brk heap, a large mmapped block, an untouched calloc (heap.c)', async () => {
    await expectTwinMatches('heap');
  }, 60_000);

  it('private file mappings read, copied on write, and written then made read-only (file-private.c)', async () => {
    await expectTwinMatches('file-private');
  }, 60_000);

  it('file mappings advised MADV_RANDOM and MADV_SEQUENTIAL, anonymous memory advised MADV_RANDOM (read-advice.c)', async () => {
    const { comparison } = await expectTwinMatches('read-advice');
    expect(comparison.rows.filter((r) => r.path.endsWith('/advised.bin')).length).toBe(2);
  }, 60_000);

  it('shared file and shared anonymous mappings, clean and dirty (shared.c)', async () => {
    await expectTwinMatches('shared');
  }, 60_000);

  it('a forked child sharing copy-on-write pages: the parent and the child (fork.c)', async () => {
    const { words } = await expectTwinMatches('fork', []);
    const child = Number(words[0]);
    afterAll(() => void process.kill(child, 'SIGKILL'));
    const { comparison } = await twinOf(child);
    expect(differences(comparison)).toEqual([]);
  }, 60_000);

  it('a second thread: its stack and guard page (thread.c)', async () => {
    await expectTwinMatches('thread', []);
  }, 60_000);

  it('MADV_HUGEPAGE: a huge page, and a plain region beside it (hugepage.c)', async () => {
    const { comparison } = await expectTwinMatches('hugepage', []);
    // Where THP is not 'never', the advised region holds a huge page live, and in the twin.
    if (!readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8').includes('[never]')) {
      expect(comparison.rows.some((r) => r.live?.['AnonHugePages'] === 2048 && r.twin?.['AnonHugePages'] === 2048)).toBe(true);
    }
  }, 60_000);

  it('pages swapped out with MADV_PAGEOUT, one read back (swap.c)', async (ctx) => {
    const ran = await withSwap(work, async () => expectTwinMatches('swap', []));
    if (!ran) return ctx.skip();
    // 32 pages paged out, one of them read back: 31 swapped, and the one read back clean.
    expect(ran.comparison.rows.some((r) => r.live?.['Swap'] === 124 && r.live['Private_Clean'] === 4)).toBe(true);
  }, 60_000);

  it('asx twin --pid writes the scenario and --compare exits 0 when every private VMA matches', async () => {
    const { pid } = await start(join(work, 'anon'), []);
    const out: string[] = [];
    const err: string[] = [];
    const file = join(work, 'anon.aspace');
    const status = await main(['twin', '--pid', String(pid), '-o', file, '--compare'], { write: (t) => void out.push(t) }, { write: (t) => void err.push(t) });
    expect(err.join('')).not.toMatch(/does not run|failed/);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toMatch(/^P = exec /m);
    expect(out.join('')).toMatch(/private VMAs: (\d+) of \1\n/);
    expect(status).toBe(0);
  }, 60_000);

  it('a real node process with buffers allocated', async () => {
    const script = "const b=[];for(let i=0;i<16;i++)b.push(Buffer.alloc(1<<20,i));console.log('ready');setInterval(()=>b.length,1e6)";
    const { pid } = await start(process.execPath, ['-e', script]);
    const { comparison } = await twinOf(pid);
    expect(differences(comparison)).toEqual([]);
  }, 120_000);

  it('a real python3 process (with numpy when it imports)', async (ctx) => {
    if (!has('python3')) ctx.skip();
    const numpy = spawnSync('python3', ['-c', 'import numpy']).status === 0;
    const script = numpy
      ? "import numpy, time; a = numpy.ones((1024, 1024)); print('ready', flush=True); time.sleep(3600)"
      : "import time; a = [bytearray(4096) for _ in range(1000)]; print('ready', flush=True); time.sleep(3600)";
    const { pid } = await start('python3', ['-c', script]);
    const { comparison } = await twinOf(pid);
    expect(differences(comparison)).toEqual([]);
  }, 120_000);
});
