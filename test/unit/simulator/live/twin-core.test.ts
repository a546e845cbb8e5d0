// `asx twin CORE` (issue 12 §2): a core records the mappings but no page state, so the twin of a
// core must remake every mapping at its address with its size and permissions. Checked on the
// committed cores (test/fixtures/core) and, where gcc and gdb are present, on a gcore of
// test/oracle/twin/anon.c against the process's maps.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCoreFile } from '../../../../simulator/cli/core-command';
import { main } from '../../../../simulator/cli/main';
import { runAndCompare } from '../../../../simulator/cli/twin-command';
import { twinScenario } from '../../../../simulator/live/twin';
import type { TwinComparison } from '../../../../simulator/live/twin-compare';
import { coreTwinInput } from '../../../../simulator/live/twin-input';
import { KERNEL_MAPPINGS } from '../../../../simulator/live/twin-model';
import { REPO_ROOT } from '../../../support/exec-layout';

const FIXTURES = join(REPO_ROOT, 'test/fixtures/core');
/** Where the fixtures' program ran (the path their NT_FILE notes record): a copy of bin/tiny-core. */
const RAN_AS = '/tmp/asx-core-fixture/tiny-core';
let work = '';
let madeRanAs = false;
// Made in beforeAll, not when the file loads: a run that filters out every test here runs neither
// hook, and a copy left in /tmp would make the e2e suite's twin of the core run where it must not.
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'asx-twin-core-'));
  madeRanAs = !existsSync(RAN_AS);
  if (madeRanAs) {
    mkdirSync('/tmp/asx-core-fixture', { recursive: true });
    copyFileSync(join(FIXTURES, 'bin/tiny-core'), RAN_AS);
  }
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  if (madeRanAs) rmSync('/tmp/asx-core-fixture', { recursive: true, force: true });
});

async function twinOfCore(file: string): Promise<{ comparison: TwinComparison; text: string }> {
  const input = coreTwinInput(await readCoreFile(file), file);
  const twin = twinScenario(input);
  const errors: string[] = [];
  const comparison = await runAndCompare(input, twin, join(work, 'core-twin.aspace'), { write: (t) => void errors.push(t) });
  if (!comparison) throw new Error(`the twin of ${file} does not run: ${errors.join('')}\n${twin.text}`);
  return { comparison, text: twin.text };
}

/** The core's VMAs the twin does not remake with their size (kernel-internal ones are exec's). */
const unmatched = (c: TwinComparison) => c.rows.filter((r) => r.status !== 'match' && !KERNEL_MAPPINGS.includes(r.path)).map((r) => `${r.start}-${r.end} ${r.perms} ${r.path} ${r.status}: ${r.reason ?? ''}`);

describe('the twin of a core file', () => {
  for (const name of ['kernel.core', 'gcore.core']) {
    it(`${name}: every mapping at its address with its size; the note says no page state is known`, async () => {
      const { comparison, text } = await twinOfCore(join(FIXTURES, name));
      expect(unmatched(comparison)).toEqual([]);
      expect(comparison.vmas).toBe(13);
      expect(text).toMatch(/^# 13 VMAs, 0 kB resident, 0 kB swapped \(a core file records no page residency/m);
      expect(comparison.rows.find((r) => r.path === '/dev/zero (deleted)')?.status).toBe('match');
    });
  }

  it('asx twin CORE prints the scenario, with the note on stderr', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const status = await main(['twin', join(FIXTURES, 'kernel.core')], { write: (t) => void out.push(t) }, { write: (t) => void err.push(t) });
    expect(status).toBe(0);
    expect(out.join('')).toMatch(/^P = exec \/tmp\/asx-core-fixture\/tiny-core$/m);
    expect(err.join('')).toMatch(/note: a core file records no page residency/);
  });

  it('asx twin -o FILE that cannot be written says which file and why, in one line', async () => {
    const err: string[] = [];
    const status = await main(['twin', join(FIXTURES, 'kernel.core'), '-o', '/dev/full'], { write: () => {} }, { write: (t) => void err.push(t) });
    expect(status).toBe(1);
    expect(err.join('').split('\n').filter((l) => !/note|^ {2}- /.test(l))).toEqual(['asx: /dev/full: no space left on device (ENOSPC)', '']);
  });

  const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
  it.skipIf(!(process.platform === 'linux' && process.arch === 'x64' && has('gcc') && has('gcore')))('a gcore of a waiting C program (anon.c): every VMA of its maps, by address and size', async (ctx) => {
    const program = join(work, 'anon');
    const built = spawnSync('gcc', ['-O1', '-o', program, join(REPO_ROOT, 'test/oracle/twin/anon.c')], { encoding: 'utf8' });
    expect(built.stderr).toBe('');
    const child = spawn(program, [], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      await new Promise((resolve) => child.stdout.once('data', resolve));
      const maps = readFileSync(`/proc/${child.pid}/maps`, 'utf8');
      const dumped = spawnSync('gcore', ['-o', join(work, 'g'), String(child.pid)], { encoding: 'utf8' });
      if (/ptrace: Operation not permitted/.test(dumped.stderr + dumped.stdout)) return ctx.skip();
      expect(dumped.status).toBe(0);
      const { comparison } = await twinOfCore(join(work, `g.${child.pid}`));
      expect(unmatched(comparison)).toEqual([]);
      const lines = maps.trim().split('\n').filter((l) => !/\[(vvar|vvar_vclock|vdso|vsyscall)\]$/.test(l));
      expect(comparison.rows.filter((r) => r.status === 'match' && !KERNEL_MAPPINGS.includes(r.path)).length).toBe(lines.length);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
});
