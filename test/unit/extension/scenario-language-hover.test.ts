// The hover text of scenario statements and addresses, on real runs of the bundled examples.
import { describe, expect, it } from 'vitest';
import { codeBlock, escapeMarkdown, groupFaults, stepHoverMarkdown, translationMarkdown } from '../../../extension/scenario/language/hover-text';
import { translateAddress } from '../../../simulator/inspect';
import { runExample, stepOf } from '../simulator/inspect/run-scenario';

describe('statement hovers', () => {
  it('says what a write changed: Rss, faults, zero page', async () => {
    const run = await runExample('01-demand-paging.aspace');
    const index = stepOf(run, 'write P A 0 16K');
    const md = stepHoverMarkdown(run, index);
    expect(md.startsWith(`**Line ${run.statements[index]!.line}** (step ${index + 1} of ${run.statements.length}): Rss +16 kB, Pss +16 kB, 4 faults, 0 from the zero page`)).toBe(true);
    expect(md).toContain('**Faults**');
    expect(md).toMatch(/4 × write at `0x[0-9a-f]+`…`0x[0-9a-f]+` in P: cow, error code 0x7 \(PROT\\\|WRITE\\\|USER\)/);
  });

  it('counts zero-page faults of a read', async () => {
    const run = await runExample('01-demand-paging.aspace');
    const md = stepHoverMarkdown(run, stepOf(run, 'read P A'));
    expect(md).toContain('16 faults, 16 from the zero page');
    expect(md).toMatch(/- 16 × read at `0x[0-9a-f]+`…`0x[0-9a-f]+` in P: zero-page/);
  });

  it('shows a show statement\'s output in a code block', async () => {
    const run = await runExample('01-demand-paging.aspace');
    const index = stepOf(run, 'show smaps P A');
    const md = stepHoverMarkdown(run, index);
    expect(md).toContain('```\n');
    expect(md).toContain(run.steps[index]!.output!.split('\n')[0]);
    expect(md).toMatch(/Rss:\s+\d+ kB/);
  });

  it('shows the SIGSEGV of a protection fault with its si_code', async () => {
    const run = await runExample('07-mprotect-faults.aspace');
    const index = run.steps.findIndex((s) => s.faults.some((f) => f.signal));
    expect(index).toBeGreaterThanOrEqual(0);
    const md = stepHoverMarkdown(run, index);
    expect(md).toMatch(/\*\*SIGSEGV\*\* \(SEGV_(ACCERR|MAPERR)\)/);
  });

  it('shows failed expectations', async () => {
    const { runText } = await import('../simulator/inspect/run-scenario');
    const run = await runText('P = exec hello/hello\nA = mmap P 16K rw- private anon\nexpect P A Size=4K\n');
    const md = stepHoverMarkdown(run, 2);
    expect(md).toContain('**expect failed:**');
  });
});

describe('address hovers', () => {
  it('lists the process, maps line, page state, PTE and physical address', async () => {
    const run = await runExample('01-demand-paging.aspace');
    const state = run.stateAfter(stepOf(run, 'write P A 0 16K'));
    const region = state.regions.get('A')!;
    const md = translationMarkdown(translateAddress(state, region.start + 0x10n), 'example, after line 11');
    expect(md).toContain('**P**');
    expect(md).toMatch(/```\n[0-9a-f]+-[0-9a-f]+ rw-p/);
    expect(md).toMatch(/PTE `0x[0-9a-f]+`/);
    expect(md).toMatch(/physical `0x[0-9a-f]+`/);
  });

  it('groups like faults on consecutive pages, and keeps different ones apart', () => {
    const f = (address: string, kind = 'anonymous') => ({ line: 1, process: 'P', address, access: 'write' as const, kind, errorCode: '0x6 (WRITE|USER)', pagesMapped: 1, explanation: 'x' });
    const groups = groupFaults([f('0x1000'), f('0x2000'), f('0x3000'), f('0x5000'), f('0x6000', 'cow')]);
    expect(groups.map((g) => [g.first.address, g.last.address, g.count])).toEqual([['0x1000', '0x3000', 3], ['0x5000', '0x5000', 1], ['0x6000', '0x6000', 1]]);
  });

  it('escapes Markdown and fences code safely', () => {
    expect(escapeMarkdown('a_b *c* [d]')).toBe('a\\_b \\*c\\* \\[d\\]');
    expect(codeBlock('x ``` y')).toBe('````\nx ``` y\n````');
  });
});
