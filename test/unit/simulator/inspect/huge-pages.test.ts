// A PMD-mapped huge page in the panel's views: one unit in the pages grid, a PDE with PS in the walk,
// its place in the page tooltip; a split (fork + CoW) makes 512 separate pages again.
import { describe, expect, it } from 'vitest';
import { listRegions, pageDetail, regionPages, walkAddress } from '../../../../simulator/inspect';
import { runText, stepOf } from './run-scenario';

const SCENARIO = `set exec start
P = exec hello/hello
A = mmap P 4M rw- private anon
madvise P A hugepage
write P A 0 1
write P A 2M 1
Q = fork P
write Q A 4K 1
`;

describe('huge pages in the views', () => {
  it('the pages grid marks each PMD mapping as one unit of 512 pages, until it is split', async () => {
    const run = await runText(SCENARIO);
    const regionOf = (after: string, process: string) => {
      const state = run.stateAfter(stepOf(run, after));
      const index = listRegions(state, process).findIndex((r) => r.region === 'A');
      return regionPages(state, process, index)!;
    };
    expect(regionOf('write P A 2M 1', 'P').hugePages).toEqual([0, 512]);
    expect(regionOf('write Q A 4K 1', 'P').hugePages).toEqual([0, 512]);
    // The child's write split its first PMD (do_huge_pmd_wp_page); the second is still whole.
    expect(regionOf('write Q A 4K 1', 'Q').hugePages).toEqual([512]);
    expect(regionOf('madvise P A', 'P').hugePages).toBeUndefined();
  });

  it('the walk ends at a PDE with PS, and the tooltip names the subpage', async () => {
    const run = await runText(SCENARIO);
    const i = stepOf(run, 'write P A 2M 1');
    const state = run.stateAfter(i);
    const start = listRegions(state, 'P').find((r) => r.region === 'A')!.start;
    const address = BigInt(start) + 0x3456n;
    const walk = walkAddress(state, 'P', address, 'x86-64');
    const pde = walk.levels.at(-1)!;
    expect(pde.level).toBe('PDE');
    expect(pde.flags).toContain('PS');
    expect(pde.note).toMatch(/^2 MiB page \(a transparent huge page\)/);
    expect(BigInt(walk.physical!) & 0x1fffffn).toBe(0x3456n);
    expect(pageDetail(run, i, 'P', address)?.description).toMatch(/subpage 3 of a 2 MiB transparent huge page, mapped by one PMD$/);
  });
});
