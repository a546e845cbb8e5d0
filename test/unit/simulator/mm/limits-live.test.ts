// The limits, differentially: the same statements on this machine's kernel (test/oracle/limits/limits-oracle.c,
// real system calls) and in the simulator fail at the same statement with the same errno.
// Runs only as root with gcc and a static glibc (CI has them); otherwise every test says why it is skipped.
// Modes 1 and 2 write /proc/sys/vm/overcommit_memory for a moment; the runner puts the old value back at
// exit (and on SIGINT/SIGTERM/SIGSEGV), and the test writes it back again in a finally block.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../support/exec-layout';
import { compile } from '../../../support/live-kernel';
import type { StepEvent } from '../../../../simulator/scenario/events';
import { results, run, STATIC } from '../../../support/static-run';

const SOURCE = readFileSync(join(REPO_ROOT, 'test/oracle/limits/limits-oracle.c'), 'utf8');

function why(): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return 'not x86-64 Linux';
  if (process.getuid?.() !== 0) return 'not root (setrlimit up, /proc/sys/vm and vm.stat_refresh need it)';
  if (spawnSync('gcc', ['--version']).status !== 0) return 'no gcc';
  try {
    oracle();
  } catch (error) {
    return `the runner does not build: ${(error as Error).message.split('\n')[0]}`;
  }
  return undefined;
}

const oracle = () => compile(`limits-oracle-${createHash('sha256').update(SOURCE).digest('hex').slice(0, 12)}`, SOURCE, ['-static']);
const SKIP = why();
if (SKIP) console.warn(`limits-live: skipped: ${SKIP}`);
const live = describe.skipIf(SKIP !== undefined);

/** The kernel's result per line ("ok", "ENOMEM", ...), the lines it ran, and the map_count it started with. */
/** The scenario the oracle runs, one file per test process, removed at the end. */
const scenarioFile = join(tmpdir(), `asx-limits-${process.pid}.aspace`);
afterAll(() => rmSync(scenarioFile, { force: true }));

function kernel(text: string, env: Record<string, string> = {}): { byLine: Map<number, string>; vmas: number; meminfo: Map<number, Record<string, number>> } {
  const file = scenarioFile;
  writeFileSync(file, text);
  const r = spawnSync(oracle(), [file], { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`limits-oracle failed: ${r.stderr}`);
  const byLine = new Map<number, string>();
  const meminfo = new Map<number, Record<string, number>>();
  let vmas = 0;
  for (const line of r.stdout.trim().split('\n')) {
    const [first, second, ...rest] = line.split(' ');
    if (first === 'vmas') vmas = Number(second);
    else if (second === 'meminfo') meminfo.set(Number(first), Object.fromEntries(rest.map((f) => f.split('=')).map(([k, v]) => [k!, Number(v)])));
    else if (second !== 'skip') byLine.set(Number(first), second!);
  }
  return { byLine, vmas, meminfo };
}

/** The simulator's result for the lines the kernel ran (its own program: the runner itself). */
async function simulated(text: string, lines: Iterable<number>): Promise<Map<number, string>> {
  const r = await run(text);
  if (process.env.LIMITS_DEBUG) for (const s of r.steps) console.log(s.line, s.events?.map((e) => e.message));
  const byStep = results(r);
  const index = new Map(r.steps.map((s, i) => [s.line, i]));
  const out = new Map<number, string>();
  for (const line of lines) {
    const i = index.get(line);
    out.set(line, i === undefined ? 'missing' : byStep[i]!);
  }
  return out;
}

/** Runs the calls of `body` on both, after `P = exec` of the runner with the machine's RAM and swap. */
async function compare(body: string, header = ''): Promise<{ kernel: Map<number, string>; sim: Map<number, string> }> {
  const text = `${machine()}${header}P = exec ${oracle()}\n${body}`;
  const k = kernel(text);
  const calls = [...k.byLine.keys()].filter((line) => !/^\s*set /.test(text.split('\n')[line - 1]!));
  const sim = await simulated(text, calls);
  return { kernel: new Map(calls.map((l) => [l, k.byLine.get(l)!])), sim };
}

function meminfoKb(): Record<string, number> {
  return Object.fromEntries(readFileSync('/proc/meminfo', 'utf8').trim().split('\n').map((l) => l.split(/:\s+/)).map(([k, v]) => [k!, parseInt(v!, 10)]));
}

/** `set ram` equal to this machine's MemTotal, `set swap` to its SwapTotal (plus the header page a swap device keeps). */
function machine(): string {
  const m = meminfoKb();
  return `set ram ${m.MemTotal}K\nset swap ${m.SwapTotal ? `${m.SwapTotal! + 4}K` : '0'}\n`;
}

function withSysctl<T>(name: string, work: () => Promise<T>): Promise<T> {
  const path = `/proc/sys/vm/${name}`;
  const before = readFileSync(path, 'utf8');
  return work().finally(() => writeFileSync(path, before));
}

live('vm.overcommit_memory=0 against this machine\'s RAM and swap', () => {
  it('one request above MemTotal + SwapTotal fails, one of exactly that size does not; read-only, noreserve and fork are not refused', async () => {
    const m = meminfoKb();
    const total = m.MemTotal! + m.SwapTotal!;
    const { kernel: k, sim } = await compare(
      [
        `A = mmap P ${total}K rw- private anon`,
        `B = mmap P ${total + 4}K rw- private anon`,
        `C = mmap P ${total + 4}K rw- shared anon`,
        `D = mmap P ${total + 4}K r-- private anon`,
        `E = mmap P ${total + 4}K rw- private anon noreserve`,
        `mprotect P D rw-`,
        `Q = fork P`,
        `brk P +${total + 4}K`,
        'brk P +64G',
        'F = mmap P 131072G r-- private anon',
        'G = mmap P 22G rw- shared anon',
      ].join('\n'),
    );
    expect(sim).toEqual(k);
    expect([...k.values()]).toEqual(['ok', 'ENOMEM', 'ENOMEM', 'ok', 'ok', 'ENOMEM', 'ok', 'ENOMEM', m.MemTotal! + m.SwapTotal! > 64 << 20 ? 'ok' : 'ENOMEM', 'ENOMEM', m.MemTotal! + m.SwapTotal! > 22 << 20 ? 'ok' : 'ENOMEM']);
  }, 60_000);
});

live('vm.overcommit_memory=1 and 2 (the test writes the sysctl and puts it back)', () => {
  it('mode 1 grants what fits in the address space', async () => {
    await withSysctl('overcommit_memory', async () => {
      const { kernel: k, sim } = await compare('A = mmap P 1024G rw- private anon\nB = mmap P 1024G rw- shared anon\nbrk P +1024G\nset overcommit 0', 'set overcommit 1\n');
      expect(sim).toEqual(k);
      expect([...k.values()]).toEqual(['ok', 'ok', 'ok']);
    });
  }, 60_000);

  it('mode 2 refuses at CommitLimit: mmap, shared anonymous memory, mprotect to writable, fork; noreserve is ignored', async (ctx) => {
    const m = meminfoKb();
    const limit = m.CommitLimit!;
    if (m.Committed_AS! > limit * 0.15) ctx.skip(`Committed_AS is ${m.Committed_AS} kB, more than 15% of CommitLimit: the margins of this test would not hold`);
    const part = (fraction: number) => `${Math.floor((limit * fraction) / 4) * 4}K`;
    await withSysctl('overcommit_memory', async () => {
      const { kernel: k, sim } = await compare(
        [
          `A = mmap P ${part(0.4)} rw- private anon`,
          `B = mmap P ${part(0.4)} rw- private anon`,
          `C = mmap P ${part(0.4)} rw- private anon`,
          `D = mmap P ${part(0.4)} r-- private anon`,
          'mprotect P D rw-',
          `E = mmap P ${part(0.3)} rw- private anon noreserve`,
          `F = mmap P ${part(0.3)} rw- shared anon`,
          'Q = fork P',
          'munmap P B',
          'mprotect P D rw-',
          'munmap P A',
          `G = mmap P ${part(0.3)} rw- shared anon`,
          'Q2 = fork P',
          'set overcommit 0',
        ].join('\n'),
        'set overcommit 2\n',
      );
      expect(sim).toEqual(k);
      expect([...k.values()]).toEqual(['ok', 'ok', 'ENOMEM', 'ok', 'ENOMEM', 'ENOMEM', 'ENOMEM', 'ENOMEM', 'ok', 'ok', 'ok', 'ok', 'ENOMEM']);
    });
  }, 60_000);
});

live('vm.overcommit_memory=2 and execve (the test writes the sysctl and puts it back)', () => {
  /** Per line, as limits-oracle says it: "ok", the errno, "SIGSEGV" (killed past the point of no return) or "EXIT127" (ld.so). */
  const outcome = (events: readonly StepEvent[] | undefined): string => {
    if (events?.some((e) => e.kind === 'killed' && e.message.includes('killed by SIGSEGV'))) return 'SIGSEGV';
    const failed = events?.find((e) => e.kind === 'syscall-failed');
    if (failed?.message.includes('ld.so exits with status 127')) return 'EXIT127';
    return failed?.errno ?? 'ok';
  };

  it('a bss the commit cannot hold kills the process past the point of no return; a library\'s makes ld.so exit 127', async (ctx) => {
    const m = meminfoKb();
    const limit = m.CommitLimit!;
    if (m.Committed_AS! > limit * 0.15) ctx.skip(`Committed_AS is ${m.Committed_AS} kB, more than 15% of CommitLimit: the margins of this test would not hold`);
    // Half of CommitLimit as bss: in the program (mapped by the kernel) and in a library (by ld.so).
    const bytes = `${Math.floor(limit / 8) * 4096}UL`;
    const bigBss = compile(`exec-bigbss-${bytes}`, `char big[${bytes}];\nint main(void) { return big[0]; }\n`, ['-mcmodel=medium']);
    const library = compile(`libexec-big-${bytes}.so`, `char libbig[${bytes}];\nint touch(void) { return libbig[0]; }\n`, ['-shared', '-fPIC', '-mcmodel=medium']);
    const useLib = compile(`exec-uselib-${bytes}`, 'int touch(void);\nint main(void) { return touch(); }\n', [library, `-Wl,-rpath,${join(library, '..')}`]);
    const lines = [
      'set overcommit 2',
      `P = exec ${oracle()}`,
      `Q1 = exec ${bigBss}`,
      'exit Q1',
      `A = mmap P ${Math.floor((limit * 0.6) / 4) * 4}K rw- private anon`,
      `Q2 = exec ${bigBss}`,
      `Q3 = exec ${useLib}`,
      `Q4 = exec ${STATIC}`,
      'set overcommit 0',
    ];
    const text = `${machine()}${lines.join('\n')}\n`;
    await withSysctl('overcommit_memory', async () => {
      const k = kernel(text).byLine;
      const r = await run(text);
      const calls = [...k.keys()].filter((line) => !/^\s*set /.test(text.split('\n')[line - 1]!));
      const sim = new Map(calls.map((line) => [line, outcome(r.steps.find((s) => s.line === line)?.events)]));
      expect(sim).toEqual(new Map(calls.map((line) => [line, k.get(line)])));
      expect([...sim.values()]).toEqual(['ok', 'ok', 'SIGSEGV', 'EXIT127', 'ok']);
      expect(r.steps.find((s) => s.line === calls[3])?.events?.[0]?.message).toContain(`error while loading shared libraries: ${library}: cannot map zero-fill pages`);
    });
  }, 120_000);
});

live('vm.max_map_count', () => {
  /** `count` mmaps of 3 pages with alternating permissions (no two merge), then splits at the limit. */
  const body = (count: number) => {
    const lines = Array.from({ length: count }, (_, i) => `R${i} = mmap P 12K ${i % 2 ? 'r--' : 'rw-'} private anon`);
    return [...lines, 'munmap P R0 4K 4K', 'mprotect P R0 4K 4K r--', 'munmap P R0 0 4K', 'munmap P R2', 'munmap P R4 4K 4K', 'munmap P R6', 'munmap P R8 4K 4K'].join('\n');
  };

  /** The outcome of each side: how many mmaps passed, how many failed, then the seven unmap and split calls. */
  function outcome(results: string[], mmaps: number): { passed: number; failed: number; splits: string[] } {
    const calls = results.slice(-(mmaps + 7));
    return { passed: calls.slice(0, mmaps).filter((r) => r === 'ok').length, failed: calls.slice(0, mmaps).filter((r) => r !== 'ok').length, splits: calls.slice(mmaps) };
  }

  async function check(max: number, header: string): Promise<void> {
    const kernelStart = kernel(`${header}P = exec x\n`).vmas;
    const simStart = (await run(`P = exec ${oracle()}`)).stateAfter(0).kernel.tasks.get('P')!.mm.vmaCount;
    // Each side gets enough mmaps to pass the limit by two: do_mmap lets map_count reach max + 1.
    const kernelMmaps = max - kernelStart + 3;
    const kernelRun = kernel(`${machine()}${header}P = exec x\n${body(kernelMmaps)}`);
    const simMmaps = max - simStart + 3;
    const simText = `${machine()}${header}P = exec ${oracle()}\n${body(simMmaps)}`;
    const simLines = simText.split('\n').flatMap((text, i) => (/^(R\d+ = |munmap|mprotect)/.test(text) ? [i + 1] : []));
    const sim = outcome([...(await simulated(simText, simLines)).values()], simMmaps);
    const real = outcome([...kernelRun.byLine.values()], kernelMmaps);
    expect(real).toEqual({ passed: max - kernelStart + 1, failed: 2, splits: ['ENOMEM', 'ENOMEM', 'ok', 'ok', 'ENOMEM', 'ok', 'ok'] });
    expect(sim).toEqual({ passed: max - simStart + 1, failed: 2, splits: real.splits });
  }

  it('with max_map_count 1000 (written and put back): the mmap past the limit fails, and so does a split, until a VMA goes', async () => {
    await withSysctl('max_map_count', () => check(1000, 'set max_map_count 1000\n'));
  }, 120_000);

  it('at the default, 65530: about 65,500 mmaps that do not merge, then the one past the limit fails', async () => {
    await withSysctl('max_map_count', () => check(65530, 'set max_map_count 65530\n'));
  }, 300_000);
});

live('RLIMIT_AS and RLIMIT_DATA (prlimit)', () => {
  it('mmap, mprotect and brk fail where the kernel refuses them', async () => {
    const { kernel: k, sim } = await compare(
      [
        'set rlimit P as 1G',
        'A = mmap P 512M r-- private anon',
        'B = mmap P 600M r-- private anon',
        'brk P +600M',
        'set rlimit P as unlimited',
        'munmap P A',
        'set rlimit P data 64M',
        'C = mmap P 32M rw- private anon',
        'D = mmap P 40M rw- private anon',
        'E = mmap P 40M r-- private anon',
        'mprotect P E rw-',
        'F = mmap P 40M rw- shared anon',
        'brk P +16M',
        'brk P +20M',
        'munmap P C',
        'brk P +20M',
        'brk P +40M',
        'brk P -30M',
      ].join('\n'),
    );
    expect(sim).toEqual(k);
    expect([...k.values()]).toEqual(['ok', 'ENOMEM', 'ENOMEM', 'ok', 'ok', 'ENOMEM', 'ok', 'ENOMEM', 'ok', 'ok', 'ENOMEM', 'ok', 'ok', 'ENOMEM', 'ok']);
  }, 60_000);
});

live('show meminfo against the kernel (deltas around the calls)', () => {
  // The kernel's /proc/meminfo counters are machine-wide, and on a busy machine other processes move
  // them between two readings. So AnonPages, Shmem and Mapped are read from a fresh memory cgroup the
  // runner joins (memory.stat rss, shmem, mapped_file: this process's pages only) when the machine has
  // one (cgroup v1), else from /proc/meminfo after vm.stat_refresh. Committed_AS has no per-cgroup
  // counter: the machine-wide delta is taken when no other process moved it meanwhile, else the runner's
  // own share stands for it (its VMAs with "ac" in VmFlags plus its shared anonymous objects, whole).
  // The memcg statistics are flushed lazily (a few pages may be pending at the first reading), so a run
  // is retried, each in a new cgroup, up to five times.
  const FIELDS = ['AnonPages', 'Shmem', 'Mapped', 'Committed_AS'] as const;
  const body = [
    'show meminfo',
    'show meminfo',
    'A = mmap P 1M rw- private anon',
    'write P A',
    'B = mmap P 512K rw- shared anon',
    'write P B',
    'C = mmap P 2M r-- private anon',
    'D = mmap P 256K rw- private anon noreserve',
    'write P D',
    'E = mmap P 64K r-- private anon',
    'mprotect P E rw-',
    'munmap P A 0 256K',
    'show meminfo',
  ].join('\n');
  const CGROUP_ROOT = '/sys/fs/cgroup/memory';

  it('AnonPages, Shmem, Mapped and Committed_AS move by what the simulator says', async () => {
    const text = `${machine()}P = exec ${oracle()}\n${body}`;
    const shows = text.split('\n').map((l, i) => (l === 'show meminfo' ? i + 1 : 0)).filter((l) => l > 0);
    const r = await run(text);
    const simAt = (line: number) => Object.fromEntries(r.steps.find((s) => s.line === line)!.output!.trim().split('\n').map((l) => l.split(/:\s+/)).map(([k, v]) => [k!, parseInt(v!, 10)]));
    const sim = Object.fromEntries(FIELDS.map((f) => [f, simAt(shows[2]!)[f]! - simAt(shows[1]!)[f]!]));
    expect(sim).toEqual({ AnonPages: 1024, Shmem: 512, Mapped: 512, Committed_AS: 768 + 512 + 64 });
    const cgroups = existsSync(`${CGROUP_ROOT}/cgroup.procs`);
    let real: Record<string, number> = {};
    for (let attempt = 0; attempt < 5; attempt++) {
      const dir = `${CGROUP_ROOT}/asx-limits-${process.pid}-${attempt}`;
      if (cgroups) mkdirSync(dir);
      try {
        const k = kernel(text, cgroups ? { ASX_CGROUP: dir } : {});
        const [before, after] = [k.meminfo.get(shows[1]!)!, k.meminfo.get(shows[2]!)!];
        const d = (name: string) => after[name]! - before[name]!;
        const own = d('own_ac') + d('own_shanon');
        real = cgroups ? { AnonPages: d('cg_rss'), Shmem: d('cg_shmem'), Mapped: d('cg_mapped_file'), Committed_AS: d('Committed_AS') } : Object.fromEntries(FIELDS.map((f) => [f, d(f)]));
        if (real.Committed_AS !== sim.Committed_AS) real.Committed_AS = own;
      } finally {
        if (cgroups) rmdirSync(dir);
      }
      if (JSON.stringify(real) === JSON.stringify(sim)) break;
    }
    expect(real).toEqual(sim);
  }, 120_000);
});
