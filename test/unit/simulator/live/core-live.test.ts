// Cores of a real process against its /proc/PID/maps on this machine's kernel: a dynamic program
// with a thread and every kind of mapping (test/fixtures/core/src/mappings.c), dumped by gdb's
// gcore while it waits and by the kernel when it crashes. Needs gcc (and gdb for gcore).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCoreFile } from '../../../../simulator/cli/core-command';
import { renderCoreMaps } from '../../../../simulator/live/core';
import { mapsDifferences, mapsFields } from '../../../support/core-compare';
import { REPO_ROOT } from '../../../support/exec-layout';

const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const runnable = process.platform === 'linux' && process.arch === 'x64' && has('gcc');
const work = mkdtempSync(join(tmpdir(), 'asx-core-live-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function build(): string {
  const out = join(work, 'mappings');
  const result = spawnSync('gcc', ['-O1', '-pthread', '-o', out, join(REPO_ROOT, 'test/fixtures/core/src/mappings.c')], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`gcc: ${result.stderr}`);
  return out;
}

/** Starts the program and resolves once it printed "ready", with its maps read at that moment. */
function start(command: string, args: string[]): Promise<{ child: ChildProcess; maps: string }> {
  const child = spawn(command, args, { cwd: work, stdio: ['pipe', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout?.once('data', () => resolve({ child, maps: readFileSync(`/proc/${child.pid}/maps`, 'utf8') }));
  });
}

/** Where the kernel writes cores: core_pattern, set to a file in `work` (and restored) when it pipes elsewhere. */
function withCorePattern<T>(run: () => Promise<T>): Promise<T> | undefined {
  const file = '/proc/sys/kernel/core_pattern';
  const saved = readFileSync(file, 'utf8').trimEnd();
  if (/^core[^/|]*$/.test(saved)) return run();
  if (process.getuid?.() !== 0) return undefined;
  try {
    writeFileSync(file, join(work, 'core.%p'));
  } catch {
    return undefined; // a container's read-only /proc/sys
  }
  return run().finally(() => writeFileSync(file, saved));
}

describe.skipIf(!runnable)('cores of a live process on this kernel', () => {
  it('gcore: every line of the maps captured before the dump (the read-only page holding data told from the PROT_NONE one by its bytes)', async (ctx) => {
    if (!has('gcore')) ctx.skip();
    const program = build();
    const { child, maps } = await start(program, ['wait']);
    let dump;
    try {
      const result = spawnSync('gcore', ['-o', join(work, 'g'), String(child.pid)], { encoding: 'utf8' });
      if (/ptrace: Operation not permitted/.test(result.stderr + result.stdout)) ctx.skip();
      expect(result.status).toBe(0);
      dump = await readCoreFile(join(work, `g.${child.pid}`));
    } finally {
      child.kill('SIGKILL');
    }
    expect(dump.producer).toBe('gdb');
    const printed = renderCoreMaps(dump);
    const differences = mapsDifferences(maps, printed);
    // mappings.c writes a page, then makes it PROT_READ: gcore marks it PF_R like the PROT_NONE page next to it.
    expect(differences).toEqual([]);
    expect(dump.notes.some((n) => n.startsWith('r-- is inferred for 1 anonymous region'))).toBe(true);
    for (const name of ['[stack]', '[vdso]', '[heap]']) expect(mapsFields(printed).some((f) => f.path === name)).toBe(true);
    expect(dump.threads).toHaveLength(2);
  }, 60_000);

  it('a real crash (SIGSEGV, ulimit -c unlimited): every line; the signal, the crash and the fault address', async (ctx) => {
    const program = build();
    const ran = withCorePattern(async () => {
      const { child, maps } = await start('bash', ['-c', `ulimit -c unlimited && exec ${program}`]);
      const exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
      child.stdin?.end('x');
      expect(await exited).toBe('SIGSEGV');
      const cores = readdirSync(work).filter((n) => n.startsWith('core')).map((n) => join(work, n)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
      expect(cores.length).toBeGreaterThan(0);
      return { maps, dump: await readCoreFile(cores[0] as string) };
    });
    if (!ran) return ctx.skip();
    const { maps, dump } = await ran;
    expect(dump.producer).toBe('kernel');
    const printed = renderCoreMaps(dump);
    expect(mapsDifferences(maps, printed)).toEqual([]);
    // Files still at their paths: dev:inode from stat, so those lines are the kernel's byte for byte (but p/s).
    const withoutPs = (text: string) => text.split('\n').filter((l) => /\/\S/.test(l) && !l.endsWith(' (deleted)')).map((l) => l.replace(/^(\S+ [r-][w-][x-])[ps]/, '$1'));
    expect(withoutPs(printed)).toEqual(withoutPs(maps));
    expect(dump.signal).toMatchObject({ name: 'SIGSEGV', codeName: 'SEGV_MAPERR', addr: '0x1234' });
    expect(dump.regions[dump.crash?.region ?? -1]).toMatchObject({ perms: 'r-xp', path: program });
    expect(dump.process?.fname).toBe('mappings');
    expect(dump.threads).toHaveLength(2);
    expect(dump.threads[0]?.signal).toBe(11);
  }, 60_000);
});
