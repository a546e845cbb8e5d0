// Threads (`T = thread P [STACKSIZE]`, `exit T`, `fork T`) against glibc 2.36's pthread_create on the
// real kernel: test/oracle/threads/threads-oracle.c runs the steps of threads.aspace with real
// detached threads; its output, captured on Linux 6.18, is the golden test/golden/threads/threads.out.
// Where gcc is present the oracle is also built and run live.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioFilesOnDisk } from '../../../../simulator/cli/node-file-access';
import { formatDiagnostic } from '../../../../simulator/scenario/diagnostics';
import { parseScenario } from '../../../../simulator/scenario/parser';
import { runScenario } from '../../../../simulator/scenario/run';
import { REPO_ROOT } from '../../../support/exec-layout';
import { compile, liveKernelAvailable } from '../../../support/live-kernel';

const SCENARIO = resolve(REPO_ROOT, 'test/oracle/threads/threads.aspace');
const ORACLE = resolve(REPO_ROOT, 'test/oracle/threads/threads-oracle.c');
const GOLDEN = resolve(REPO_ROOT, 'test/golden/threads/threads.out');
const hello = resolve(REPO_ROOT, 'examples/hello/hello');

async function run(text: string, path = join(mkdtempSync(join(tmpdir(), 'asx-threads-')), 's.aspace')) {
  writeFileSync(path, text);
  const outcome = await runScenario(text, path, scenarioFilesOnDisk(path));
  if (!outcome.ok) throw new Error(outcome.diagnostics.map((d) => d.message).join('; '));
  return outcome.run;
}

const hex = (n: bigint) => `${n < 0n ? '-' : '+'}0x${(n < 0n ? -n : n).toString(16)}`;

/** The oracle's lines for one `show smaps` + `show status`: Threads, then every `nh` VMA relative to `base`. */
function checkpoint(smaps: string, status: string, base: { end?: bigint }): string[] {
  const out = [`Threads: ${/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? '?'}`];
  let start = 0n;
  let end = 0n;
  let perms = '';
  let rss = '';
  for (const line of smaps.split('\n')) {
    const header = /^([0-9a-f]+)-([0-9a-f]+) (\S+)/.exec(line);
    if (header) [start, end, perms] = [BigInt(`0x${header[1]}`), BigInt(`0x${header[2]}`), header[3]!];
    else if (line.startsWith('Rss:')) rss = line.slice(4).trim().replace(/ kB$/, '');
    else if (line.startsWith('VmFlags:') && / nh\b/.test(line)) {
      base.end ??= end;
      out.push(`${hex(start - base.end)} ${hex(end - base.end)} ${perms} Rss=${rss} ${line.slice(8).trim()}`);
    }
  }
  return out;
}

/** The golden's (or the live oracle's) checkpoints: label and lines. */
function oracleCheckpoints(text: string): { label: string; lines: string[] }[] {
  return text
    .split(/^== /m)
    .filter((c) => c.trim())
    .map((c) => {
      const [label, ...lines] = c.trimEnd().split('\n');
      return { label: label!, lines: lines.map((l) => l.trim()) };
    });
}

async function simulatedCheckpoints(): Promise<string[][]> {
  const text = readFileSync(SCENARIO, 'utf8');
  const r = await run(text, SCENARIO);
  expect(r.steps.flatMap((s) => s.failures)).toEqual([]);
  const shows = r.steps.filter((s) => s.output !== undefined).map((s) => s.output as string);
  const base: { end?: bigint } = {};
  const out: string[][] = [];
  for (let i = 0; i + 1 < shows.length; i += 2) out.push(checkpoint(shows[i]!, shows[i + 1]!, base));
  return out;
}

describe('threads against glibc 2.36 and Linux 6.18 (threads-oracle.c)', () => {
  it('every checkpoint of threads.aspace equals the golden: guard and stack VMAs, Rss, VmFlags nh, Threads:', async () => {
    const golden = oracleCheckpoints(readFileSync(GOLDEN, 'utf8'));
    const simulated = await simulatedCheckpoints();
    expect(simulated.length).toBe(golden.length);
    golden.forEach((g, i) => expect(simulated[i], g.label).toEqual(g.lines));
  });

  it.skipIf(!liveKernelAvailable())('the oracle built and run here agrees with the simulator', async () => {
    const binary = compile('threads-oracle', readFileSync(ORACLE, 'utf8'), ['-pthread']);
    const result = spawnSync(binary, { encoding: 'utf8' });
    expect(result.status).toBe(0);
    const live = oracleCheckpoints(result.stdout);
    const simulated = await simulatedCheckpoints();
    expect(simulated.length).toBe(live.length);
    live.forEach((l, i) => expect(simulated[i], l.label).toEqual(l.lines));
  });
});

describe('the thread statement', () => {
  const diags = (text: string) => parseScenario(text, 's.aspace').diagnostics.map((d) => formatDiagnostic('s.aspace', d));

  it('parses T = thread P [STACKSIZE] and refuses a stack below PTHREAD_STACK_MIN', () => {
    const { statements, diagnostics } = parseScenario('P = exec ./prog\nT = thread P\nU = thread P 64K\n', 's.aspace');
    expect(diagnostics).toEqual([]);
    expect(statements[1]).toMatchObject({ kind: 'thread', thread: { name: 'T' }, process: { name: 'P' } });
    expect(statements[2]).toMatchObject({ kind: 'thread', stackSize: 65536n });
    expect(diags('P = exec ./prog\nT = thread P 10000\n')).toEqual([
      `s.aspace:2:14: thread stack size 10000 is below PTHREAD_STACK_MIN (16K): pthread_attr_setstacksize fails with EINVAL`,
    ]);
    expect(diags('T = thread Q\n')[0]).toMatch(/^s\.aspace:1:12: process 'Q' is not defined/);
    expect(diags('P = exec ./prog\nT = thread P 64K 9\n')[0]).toMatch(/unexpected '9'.*T = thread P \[STACKSIZE\]/);
  });

  it('a thread stands for its process; stack is its own stack above the guard', async () => {
    const r = await run(`P = exec ${hello}\nT = thread P\nR = mmap T 8K rw- private anon\nwrite T stack\nexpect P stack Size=132K\nexpect T stack Size=8M Rss=8M\nshow maps T\n`);
    expect(r.steps.flatMap((s) => s.failures)).toEqual([]);
    expect(r.steps[6]?.output).toMatch(/---p 00000000 00:00 0 \n[0-9a-f]+-[0-9a-f]+ rw-p 00000000 00:00 0 \n/);
  });

  it('an exited thread is skipped with a note; exit T twice says so', async () => {
    const r = await run(`P = exec ${hello}\nT = thread P\nexit T\nread T stack\nexit T\n`);
    expect(r.steps[3]?.notes).toContain('thread T exited at line 3: statement skipped');
    expect(r.steps[4]?.notes).toContain('thread T exited at line 3: statement skipped');
  });

  it('the first thread makes the heap (the DTV is calloc\'d); a cached stack needs no mmap', async () => {
    const r = await run(`P = exec ${hello}\nshow maps P\nT = thread P 1M\nexit T\nshow maps P\nU = thread P 1M\nshow maps P\nV = thread P 2M\nshow maps P\n`);
    expect(r.steps[1]?.output).not.toMatch(/\[heap\]/);
    expect(r.steps[4]?.output).toMatch(/\[heap\]/);
    expect(r.steps[6]?.output).toBe(r.steps[4]?.output);
    expect(r.steps[8]?.output).not.toBe(r.steps[6]?.output);
  });

  it('fork from the main thread puts the running threads\' stacks in the child\'s cache (__nptl_reclaim_stacks)', async () => {
    const r = await run(`P = exec ${hello}\nT = thread P 64K\nQ = fork P\nshow maps Q\nshow status Q\nU = thread Q 64K\nshow maps Q\nV = thread Q 64K\nshow maps Q\n`);
    expect(r.steps[4]?.output).toMatch(/^Threads:\t1$/m);
    expect(r.steps[6]?.output).toBe(r.steps[3]?.output);
    expect(r.steps[8]?.output).not.toBe(r.steps[6]?.output);
  });
});
