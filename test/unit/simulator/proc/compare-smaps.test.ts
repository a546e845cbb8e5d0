// compare-smaps: a real capture of examples/hello/hello stopped at execve (setarch -R, as
// capture-maps.c does; test/fixtures/smaps/hello-at-exec.smaps) against the simulated process.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alignedTexts, compareSmaps } from '../../../../simulator/proc/compare-smaps';
import { parseSmaps } from '../../../../simulator/proc/parse-smaps';
import { renderSmaps } from '../../../../simulator/proc/smaps';
import { REPO_ROOT } from '../../../support/exec-layout';
import { runText } from '../inspect/run-scenario';

const fixture = (name: string) => readFileSync(resolve(REPO_ROOT, 'test/fixtures/smaps', name), 'utf8');

async function simulatedHello(extra = ''): Promise<string> {
  // At the first instruction after execve, where the capture was taken (the default is the entry point),
  // on a CPU with protection keys, as the capturing machine's.
  const run = await runText(`set pkeys on\nset exec start\nP = exec hello/hello\n${extra}`);
  const state = run.stateAfter(run.statements.length - 1);
  const task = state.kernel.tasks.get('P')!;
  return renderSmaps(state.kernel, task) + (task.mm.gateVma ? renderSmaps(state.kernel, task, [task.mm.gateVma]) : '');
}

/** The real capture with its program path rewritten to this checkout's (it was taken in /work/main). */
function realHello(): string {
  return fixture('hello-at-exec.smaps').replaceAll('/work/main/examples/hello/hello', resolve(REPO_ROOT, 'examples/hello/hello'));
}

describe('compareSmaps', () => {
  it('aligns the real process at execve with the simulated one by address range', async () => {
    const real = parseSmaps(realHello());
    const simulated = parseSmaps(await simulatedHello());
    const c = compareSmaps(real, simulated);
    const paired = c.pairs.filter((p) => p.real && p.simulated);
    expect(paired.length).toBe(real.entries.length);
    expect(paired.every((p) => p.matchedBy === 'range')).toBe(true);
    expect(c.onlyReal + c.onlySimulated).toBe(0);
    // Rss and friends of the program, ld.so, [stack]: the kernel's numbers.
    for (const p of paired) {
      const diffs = p.fields.filter((f) => ['Size', 'Rss', 'Pss', 'Anonymous', 'Swap'].includes(f.field));
      expect(diffs, `${p.real!.raw}`).toEqual([]);
    }
    expect(c.summary).toMatch(/^\d+ VMAs match, \d+ differ/);
  });

  it('says which field of which VMA differs first', async () => {
    const real = parseSmaps(realHello().replace(/(\[stack\]\nSize:\s+\d+ kB\nKernelPageSize:\s+4 kB\nMMUPageSize:\s+4 kB\nRss:\s+)(\d+)/, (_, head: string, rss: string) => `${head}${Number(rss) + 4}`));
    const c = compareSmaps(real, parseSmaps(await simulatedHello()));
    expect(c.differing).toBeGreaterThan(0);
    const stack = c.pairs.find((p) => p.real?.pathname === '[stack]')!;
    expect(stack.fields.find((f) => f.field === 'Rss')).toMatchObject({ unit: 'kB' });
    expect(stack.fields.find((f) => f.field === 'Rss')!.real).toBe(stack.fields.find((f) => f.field === 'Rss')!.simulated! + 4);
  });

  it('falls back to order and pathname when ranges differ (ASLR), and reports VMAs on one side only', async () => {
    const simulated = parseSmaps(await simulatedHello('A = mmap P 64K rw- private anon\nwrite P A 0 16K'));
    const real = parseSmaps(fixture('real-smaps.txt'));
    const c = compareSmaps(real, simulated);
    const byName = c.pairs.filter((p) => p.matchedBy === 'pathname').map((p) => p.real!.pathname);
    expect(byName).toEqual(expect.arrayContaining(['[stack]', '[vdso]', '/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2']));
    expect(c.pairs.find((p) => p.real?.pathname === '[vsyscall]')).toMatchObject({ matchedBy: 'range' });
    expect(c.onlyReal).toBeGreaterThan(0); // libc is not mapped at execve
    expect(c.summary).toMatch(/only in the real file/);
    // Both sides stay in address order.
    const order = (side: 'real' | 'simulated') => c.pairs.map((p) => p[side]).filter((e) => e !== undefined).map((e) => e.line);
    expect(order('real')).toEqual([...order('real')].sort((a, b) => a - b));
    expect(order('simulated')).toEqual([...order('simulated')].sort((a, b) => a - b));
  });

  it('lays the two sides out line for line, so that only differing lines differ', async () => {
    const realText = realHello();
    const c = compareSmaps(parseSmaps(realText), parseSmaps(await simulatedHello()));
    const { real, simulated } = alignedTexts(c, { real: '# real', simulated: '# simulated' });
    const left = real.split('\n');
    const right = simulated.split('\n');
    expect(left.length).toBe(right.length);
    const differing = left.filter((l, i) => l !== right[i]).length;
    const fieldDiffs = c.pairs.reduce((n, p) => n + p.fields.length + (p.header.length ? 1 : 0), 0);
    expect(differing).toBe(fieldDiffs + 1); // + the header comment
    // The real side keeps the capture's own lines.
    for (const line of left.slice(1)) if (!line.startsWith('#') && line) expect(realText).toContain(line);
  });

  it('compares maps files by their maps lines only', async () => {
    const maps = realHello().split('\n').filter((l) => /^[0-9a-f]+-/.test(l)).join('\n');
    const c = compareSmaps(parseSmaps(maps), parseSmaps(await simulatedHello()));
    expect(c.pairs.every((p) => p.fields.length === 0)).toBe(true);
    const { real, simulated } = alignedTexts(c, { real: '#', simulated: '#' }, true);
    expect(real.split('\n').length).toBe(simulated.split('\n').length);
  });
});
