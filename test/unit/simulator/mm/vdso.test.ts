// The [vdso] mapping after reads (issue 14 §2): the vDSO's pages are the kernel's own, shared by
// every process, counted in Rss but not as anonymous memory, and not copied by fork. Checked live
// against test/oracle/vdso-read.c where gcc is present; the sharing between simulated processes
// (the host's vDSO pages are mapped by every process on it, so their Pss says nothing) here only.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../support/exec-layout';
import { STATIC, run } from '../../../support/static-run';
import { compile, liveKernelAvailable } from '../../../support/live-kernel';



/** Like vdso-read.c's report: Rss, Anonymous, clean and dirty kB and the VmFlags of one smaps entry. */
function summary(smaps: string): string {
  const kb = (name: string) => [...smaps.matchAll(new RegExp(`^${name}:\\s+(\\d+) kB`, 'gm'))].reduce((s, m) => s + Number(m[1]), 0);
  const flags = /^VmFlags: (.*)$/m.exec(smaps)?.[1] ?? '';
  return `${kb('Rss')} ${kb('Anonymous')} ${kb('Shared_Clean') + kb('Private_Clean')} ${kb('Shared_Dirty') + kb('Private_Dirty')} ${flags}`;
}

/** The simulated counterpart of vdso-read.c, plus a second look at the parent once the child shares page 0. */
async function simulated() {
  const first = await run(`P = exec ${STATIC}\nshow maps P\n`);
  const vdso = /^([0-9a-f]+)-[0-9a-f]+ .*\[vdso\]$/m.exec(first.steps[1]?.output ?? '')?.[1];
  if (!vdso) throw new Error('no [vdso] in the simulated maps');
  const page1 = (BigInt(`0x${vdso}`) + 0x1000n).toString(16);
  const r = await run([`P = exec ${STATIC}`, `read P 0x${vdso}`, `read P 0x${page1}`, `show smaps P 0x${vdso}`, 'Q = fork P', `show smaps Q 0x${vdso}`, `read Q 0x${vdso}`, `show smaps Q 0x${vdso}`, `show smaps P 0x${vdso}`].join('\n'));
  const at = (line: number) => r.steps.find((s) => s.line === line)?.output ?? '';
  return { parent: at(4), child: at(6), childRead: at(8), parentShared: at(9) };
}

describe('[vdso]', () => {
  it('is the kernel\'s shared pages: Rss without Anonymous, not copied by fork, Shared_Clean once two processes read a page', async () => {
    const s = await simulated();
    expect(summary(s.parent)).toBe('8 0 8 0 rd ex mr mw me de ');
    expect(summary(s.child)).toBe('0 0 0 0 rd ex mr mw me de ');
    expect(summary(s.childRead)).toBe('4 0 4 0 rd ex mr mw me de ');
    expect(s.childRead).toMatch(/^Shared_Clean:\s+4 kB$/m);
    expect(s.childRead).toMatch(/^Pss:\s+2 kB$/m);
    // Page 0 is mapped twice now, page 1 once: Pss 2 + 4.
    expect(s.parentShared).toMatch(/^Pss:\s+6 kB$/m);
    expect(s.parentShared).toMatch(/^Private_Clean:\s+4 kB$/m);
  });

  it.skipIf(!liveKernelAvailable())('reads as on the real kernel (test/oracle/vdso-read.c)', async () => {
    const program = compile('vdso-read', readFileSync(resolve(REPO_ROOT, 'test/oracle/vdso-read.c'), 'utf8'), ['-static']);
    const out = spawnSync(program, { encoding: 'utf8' }).stdout.split('\n').filter((line) => line !== '');
    const kernel = Object.fromEntries(out.map((line) => [line.split(' ')[0], line.slice(line.indexOf(' ') + 1)]));
    const s = await simulated();
    expect(summary(s.parent)).toBe(kernel['parent']);
    expect(summary(s.child)).toBe(kernel['child']);
    expect(summary(s.childRead)).toBe(kernel['child-read']);
  });
});
