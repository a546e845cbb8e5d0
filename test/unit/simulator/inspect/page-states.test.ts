// The pages grid's classification: zero page, fork + copy-on-write, swap and
// the swap cache, file pages clean and dirty, shmem; plus the page tooltip.
import { describe, expect, it } from 'vitest';
import { listRegions, pageDetail, PageState, regionPages, regionSmaps } from '../../../../simulator/inspect';
import type { ScenarioRun } from '../../../../simulator/scenario/run';
import { runExample, runText, stepOf } from './run-scenario';

const { NotPresent, ZeroPage, FileClean, FileDirty, AnonPrivate, AnonShared, Shmem, Swapped, SwapCache } = PageState;

function pagesOf(run: ScenarioRun, after: string, process: string, region: string) {
  const state = run.stateAfter(stepOf(run, after));
  const index = listRegions(state, process).findIndex((r) => r.region === region);
  const pages = regionPages(state, process, index)!;
  return { states: [...pages.states], mapcounts: [...pages.mapcounts], index, state };
}

describe('page states', () => {
  it('demand paging: nothing, then the zero page, then private pages', async () => {
    const run = await runExample('01-demand-paging.aspace');
    expect(pagesOf(run, 'A = mmap', 'P', 'A').states).toEqual(Array(16).fill(NotPresent));
    expect(pagesOf(run, 'read P A', 'P', 'A').states).toEqual(Array(16).fill(ZeroPage));
    const written = pagesOf(run, 'write P A 0 16K', 'P', 'A');
    expect(written.states).toEqual([...Array(4).fill(AnonPrivate), ...Array(12).fill(ZeroPage)]);
    expect(written.mapcounts).toEqual([...Array(4).fill(1), ...Array(12).fill(0)]);
    const smaps = regionSmaps(written.state, 'P', written.index)!;
    expect(smaps.residentPages).toBe(4);
    expect(smaps.zeroPages).toBe(12);
    expect(smaps.pss[0]!.explanation).toBe('all 4 kB: mapcount 1');
    expect(smaps.pss[4]).toMatchObject({ kind: 'zero', explanation: 'the zero page is not counted in Rss/Pss' });
  });

  it('fork shares anonymous pages until copy-on-write', async () => {
    const run = await runExample('02-fork-cow.aspace');
    expect(pagesOf(run, 'Q = fork', 'Q', 'A')).toMatchObject({ states: Array(8).fill(AnonShared), mapcounts: Array(8).fill(2) });
    const after = [...Array(2).fill(AnonPrivate), ...Array(6).fill(AnonShared)];
    expect(pagesOf(run, 'write Q A 0 8K', 'Q', 'A').states).toEqual(after);
    expect(pagesOf(run, 'write Q A 0 8K', 'P', 'A').states).toEqual(after);
    expect(pagesOf(run, 'exit Q', 'P', 'A').states).toEqual(Array(8).fill(AnonPrivate));
  });

  it('three sharers: the Pss explainer says ⅓', async () => {
    const run = await runExample('03-pss-three-sharers.aspace');
    const { state, index } = pagesOf(run, 'R = fork', 'R', 'A');
    const smaps = regionSmaps(state, 'R', index, 2)!;
    expect(smaps.pss).toHaveLength(2);
    expect(smaps.residentPages).toBe(4);
    expect(smaps.pss[0]).toMatchObject({ mapcount: 3, kind: 'anon', dirty: true, explanation: 'this page adds ⅓ of 4 kB: mapcount 3' });
  });

  it('swap entries, shared after fork, and the swap cache after a swap-in', async () => {
    const run = await runExample('05-swap-fork.aspace');
    expect(pagesOf(run, 'madvise P A pageout', 'P', 'A')).toMatchObject({ states: Array(8).fill(Swapped), mapcounts: Array(8).fill(1) });
    expect(pagesOf(run, 'Q = fork', 'Q', 'A').mapcounts).toEqual(Array(8).fill(2));
    // The child read page 0 back: it maps it; the parent's entry still names the slot, whose page is in the swap cache.
    expect(pagesOf(run, 'read Q A', 'Q', 'A').states).toEqual([AnonPrivate, ...Array(7).fill(Swapped)]);
    expect(pagesOf(run, 'read Q A', 'P', 'A').states).toEqual([SwapCache, ...Array(7).fill(Swapped)]);
    const i = stepOf(run, 'read Q A');
    const detail = pageDetail(run, i, 'P', run.stateAfter(i).regions.get('A')!.start);
    expect(detail).toMatchObject({ state: SwapCache, swapSlot: 1, mapcount: 1 });
    expect(detail!.description).toContain('swap cache');
  });

  it('file pages clean and dirty, private copies, shmem', async () => {
    const run = await runText(
      ['P = exec hello/hello', 'F = mmap P 16K r-- private file data/notes.txt', 'read P F', 'S = mmap P 16K rw- shared file data/notes.txt', 'write P S 0 4K', 'C = mmap P 16K rw- private file data/notes.txt', 'write P C 0 4K', 'read P C 4K 4K', 'M = mmap P 16K rw- shared anon', 'write P M 0 8K'].join('\n'),
    );
    const last = run.statements.at(-1)!.text;
    expect(pagesOf(run, last, 'P', 'F').states).toEqual([FileDirty, FileClean, FileClean, FileClean]);
    // A shared write fault maps just the page (no fault-around).
    expect(pagesOf(run, last, 'P', 'S').states).toEqual([FileDirty, NotPresent, NotPresent, NotPresent]);
    expect(pagesOf(run, last, 'P', 'C').states).toEqual([AnonPrivate, FileClean, FileClean, FileClean]);
    expect(pagesOf(run, last, 'P', 'M').states).toEqual([Shmem, Shmem, NotPresent, NotPresent]);
    // Page 0 is mapped by F and S, pages 1-3 by F and C (C's page 0 is its own copy).
    expect(pagesOf(run, last, 'P', 'F').mapcounts).toEqual([2, 2, 2, 2]);
  });
});

describe('the grid and the tooltip agree', () => {
  for (const example of ['02-fork-cow.aspace', '04-file-mappings.aspace', '05-swap-fork.aspace', '06-reclaim-lru.aspace']) {
    it(example, async () => {
      const run = await runExample(example);
      for (let i = 0; i < run.steps.length; i += 3) {
        const state = run.stateAfter(i);
        for (const task of state.kernel.liveTasks()) {
          for (const row of listRegions(state, task.name)) {
            const pages = regionPages(state, task.name, row.index)!;
            for (let p = 0; p < Math.min(pages.count, 64); p++) {
              const detail = pageDetail(run, i, task.name, BigInt(row.start) + BigInt(p) * 4096n)!;
              expect(pages.states[p], `${task.name} ${row.name} page ${p}`).toBe(detail.state);
              expect(pages.mapcounts[p]).toBe(detail.mapcount ?? 0);
            }
          }
        }
      }
    });
  }
});

describe('page detail', () => {
  it('names the statement that last changed the page', async () => {
    const run = await runExample('02-fork-cow.aspace');
    const i = stepOf(run, 'write Q A 0 8K');
    const a = run.stateAfter(i).regions.get('A')!.start;
    const copied = pageDetail(run, i, 'Q', a + 0x10n)!;
    expect(copied).toMatchObject({ address: `0x${a.toString(16)}`, state: AnonPrivate, mapcount: 1, line: run.statements[i]!.line });
    expect(copied.description).toBe('anonymous, private (mapcount 1), dirty');
    expect(BigInt(copied.pte) & 0xfffn).toBe(0x067n);
    // Pages the child never wrote were last changed by the fork.
    expect(pageDetail(run, i, 'Q', a + 0x3000n)).toMatchObject({ state: AnonShared, line: run.statements[stepOf(run, 'Q = fork')]!.line });
    expect(pageDetail(run, i, 'Q', 0x1000n)).toBeUndefined();
  });

  it('knows system calls over the page, and falls back to the line of the VMA', async () => {
    const run = await runText(['P = exec hello/hello', 'A = mmap P 16K rw- private anon', 'write P A 0 8K', 'madvise P A 0 4K dontneed', 'show maps P'].join('\n'));
    const last = run.steps.length - 1;
    const a = run.stateAfter(last).regions.get('A')!.start;
    expect(pageDetail(run, last, 'P', a)).toMatchObject({ state: NotPresent, line: 4 });
    expect(pageDetail(run, last, 'P', a + 0x1000n)).toMatchObject({ state: AnonPrivate, line: 3 });
    expect(pageDetail(run, last, 'P', a + 0x2000n)).toMatchObject({ state: NotPresent, line: 2 });
    expect(pageDetail(run, 2, 'P', a + 0x1000n)!.line).toBe(3);
  });
});
