// Transparent huge pages: what test/oracle's THP goldens cannot hold because the capturing machine forbids the
// zero page (pvm_no_zero_page=1), plus the huge zero page, allocation fallback, settings and the language.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NodeFileSystem } from '../../../../simulator/cli/node-file-access';
import { anonHugePages, thpModeFromSysfs } from '../../../../simulator/mm/huge-memory';
import { fileHugePages, filePmdMappedPages } from '../../../../simulator/mm/huge-file';
import type { ThpMode } from '../../../../simulator/mm/kernel';
import { parseScenario } from '../../../../simulator/scenario/parser';
import { runScenario } from '../../../../simulator/scenario/run';
import { REPO_ROOT } from '../../../support/exec-layout';
import { ensureScenarioData, showSections } from '../../../support/scenarios';

const STATIC = resolve(REPO_ROOT, 'test/fixtures/elf/bin/static');
const THP_ORACLE = resolve(REPO_ROOT, 'test/oracle/thp');

async function run(text: string, host: { forbidsZeroPage?: boolean; thp?: ThpMode } = {}, folder = REPO_ROOT) {
  const outcome = await runScenario(text, resolve(folder, 's.aspace'), { fs: new NodeFileSystem('/'), resolve: (p) => resolve(folder, p) }, { host: { pkeys: false, ...host } });
  if (!outcome.ok) throw new Error(outcome.diagnostics.map((d) => d.message).join('\n'));
  const r = outcome.run;
  const text2 = r.steps.map((step, i) => (step.output === undefined ? '' : `# ${step.line}: ${r.statements[i]?.text}\n${step.output}`)).join('');
  return { run: r, text: text2, sections: showSections(text2) };
}

/** One smaps field of a `show smaps` section, in kB (or the bare number of THPeligible). */
function field(lines: readonly string[] | undefined, name: string): number {
  const line = (lines ?? []).find((l) => l.startsWith(`${name}:`));
  return Number(/(\d+)/.exec(line?.slice(name.length + 1) ?? '')?.[1] ?? NaN);
}

describe('THP on a kernel that forbids the zero page (captured with pvm_no_zero_page=1)', () => {
  it('matches the kernel smaps of test/oracle/thp/123 field for field', async () => {
    const name = '123-thp-read-fault-no-zero-page';
    const golden = showSections(readFileSync(resolve(REPO_ROOT, `test/golden/thp/${name}.out`), 'utf8'));
    const { sections, run: r } = await run(readFileSync(resolve(THP_ORACLE, `${name}.aspace`), 'utf8'), { forbidsZeroPage: true, thp: 'madvise' }, THP_ORACLE);
    let compared = 0;
    for (const [header, lines] of golden) {
      if (!header.includes('show smaps')) continue;
      // The first line is the maps line: the oracle's addresses are its own.
      expect(sections.get(header)?.slice(1), header).toEqual(lines.slice(1));
      compared++;
    }
    expect(compared).toBe(5);
    expect(r.failures).toEqual([]);
  });
});

describe('the huge zero page (a kernel with the zero page)', () => {
  it('a read maps it (Rss 0, a PDE with PS), a write replaces it with a THP (do_huge_zero_wp_pmd)', async () => {
    const { sections } = await run(`P = exec ${STATIC}\nA = mmap P 4M rw- private anon\nmadvise P A hugepage\nread P A 0 1\nshow smaps P A\nshow pagetable P A 0x10\nwrite P A 0x1000 1\nshow smaps P A\nshow status P`);
    const [afterRead, walk, afterWrite, status] = [...sections.values()];
    expect(field(afterRead, 'Rss')).toBe(0);
    expect(field(afterRead, 'AnonHugePages')).toBe(0);
    expect(walk?.find((l) => l.startsWith('PDE'))).toMatch(/ PS .*the huge zero page/);
    expect(walk?.some((l) => l.startsWith('PTE'))).toBe(false);
    expect(field(afterWrite, 'Rss')).toBe(2048);
    expect(field(afterWrite, 'AnonHugePages')).toBe(2048);
    expect(field(afterWrite, 'Private_Dirty')).toBe(2048);
    // RssAnon counts the 512 subpages (MM_ANONPAGES += HPAGE_PMD_NR), beside the program's own 8 kB.
    expect(field(status, 'RssAnon')).toBe(2048 + 8);
  });
});

describe('THP allocation and settings', () => {
  beforeAll(ensureScenarioData);
  it('falls back to a 4 KiB page when no 2 MiB block is free', async () => {
    // 3 MiB of RAM has no order-9 block at all (768 frames: blocks of at most 256).
    const { sections } = await run(`set ram 3M\nP = exec ${STATIC}\nA = mmap P 2M rw- private anon\nmadvise P A hugepage\nwrite P A 0 1\nshow smaps P A`);
    const smaps = [...sections.values()][0];
    expect(field(smaps, 'AnonHugePages')).toBe(0);
    expect(field(smaps, 'Rss')).toBe(4);
    expect(field(smaps, 'THPeligible')).toBe(1);
  });

  it('follows set thp from its line on, and the host mode before it', async () => {
    const text = `P = exec ${STATIC}\nA = mmap P 4M rw- private anon\nwrite P A 0 1\nshow smaps P A\nset thp never\nshow smaps P A`;
    const always = [...(await run(text, { thp: 'always' })).sections.values()];
    expect([field(always[0], 'AnonHugePages'), field(always[0], 'THPeligible')]).toEqual([2048, 1]);
    expect([field(always[1], 'AnonHugePages'), field(always[1], 'THPeligible')]).toEqual([2048, 0]);
    const madvise = [...(await run(text)).sections.values()];
    expect([field(madvise[0], 'AnonHugePages'), field(madvise[0], 'THPeligible')]).toEqual([0, 0]);
  });

  it('advises the mapped part of a range with a hole and fails with ENOMEM', async () => {
    const { run: r, sections } = await run(`P = exec ${STATIC}\nA = mmap P 4M rw- private anon\nmunmap P A 2M 1M\nmadvise P A hugepage\nshow smaps P A`);
    expect(r.steps.flatMap((s) => s.notes).join('\n')).toMatch(/ENOMEM/);
    const lines = [...sections.values()][0] ?? [];
    expect(lines.filter((l) => l.startsWith('VmFlags')).every((l) => l.endsWith(' hg '))).toBe(true);
  });

  it('counts a THP that a fork shares once in AnonHugePages of meminfo', async () => {
    const { run: r } = await run(`P = exec ${STATIC}\nA = mmap P 4M rw- private anon\nmadvise P A hugepage\nwrite P A\nQ = fork P\nwrite Q A 0 1`);
    // Two THPs: Q's split PMD still maps the first, so it stays a THP; P maps both.
    expect(anonHugePages(r.stateAfter(r.statements.length - 1).kernel)).toBe(1024);
  });

  it('counts page-cache huge folios for meminfo: FileHugePages cached, FilePmdMapped mapped', async () => {
    const { run: r } = await run(`P = exec ${STATIC}\nF = mmap P 4M r-- private file test/oracle/scenarios/data/file4m.bin\nmadvise P F hugepage\nread P F 0 1`);
    const k = r.stateAfter(r.statements.length - 1).kernel;
    // Readahead read two 2 MiB folios; one is mapped.
    expect([fileHugePages(k), filePmdMappedPages(k)]).toEqual([1024, 512]);
  });

  it('reads the selected mode of transparent_hugepage/enabled', () => {
    expect(thpModeFromSysfs('always [madvise] never\n')).toBe('madvise');
    expect(thpModeFromSysfs('[always] madvise never\n')).toBe('always');
    expect(thpModeFromSysfs('garbage')).toBeUndefined();
    expect(thpModeFromSysfs(undefined)).toBeUndefined();
  });
});

describe('the THP statements', () => {
  const errors = (text: string) => parseScenario(text, 's.aspace').diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
  it('names the values it takes', () => {
    expect(errors('set thp sometimes')[0]).toMatch(/^expected 'always', 'madvise' or 'never' \(\/sys\/kernel\/mm\/transparent_hugepage\/enabled\), found 'sometimes'/);
    expect(errors('set thp madvise')).toEqual([]);
    expect(errors(`P = exec ${STATIC}\nA = mmap P 4M rw- private anon\nmadvise P A MADV_HUGEPAGE`)[0]).toMatch(/did you mean 'hugepage'/);
    expect(errors(`P = exec ${STATIC}\nA = mmap P 4M rw- private anon\nmadvise P A 0 2M nohugepage`)).toEqual([]);
  });
});
