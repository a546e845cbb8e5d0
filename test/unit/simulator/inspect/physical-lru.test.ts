// Physical memory, the reverse map, the LRU lists and the reclaim trace.
import { describe, expect, it } from 'vitest';
import { frameDetail, FrameUse, lruView, physicalView, reclaimEvents, regionSmaps, listRegions } from '../../../../simulator/inspect';
import { PG_LRU } from '../../../../simulator/mm/page-flags';
import { runExample, stepOf } from './run-scenario';

describe('physical memory', () => {
  it('accounts for every frame: free frames match the buddy free lists', async () => {
    const run = await runExample('02-fork-cow.aspace');
    const state = run.stateAfter(stepOf(run, 'write Q A 0 8K'));
    const view = physicalView(state);
    const count = (use: FrameUse) => view.uses.filter((u) => u === use).length;
    expect(view.uses.length).toBe(view.frames);
    expect(count(FrameUse.Free) * 4).toBe(view.freeKb);
    expect(view.freeBlocks.reduce((sum, n, order) => sum + n * (1 << order), 0) * 4).toBe(view.freeKb);
    expect(count(FrameUse.ZeroPage)).toBe(1);
    // P and Q: a PML4 each, plus their PDPTs, page directories and PTE tables.
    const tables = [...state.kernel.tasks.values()].reduce((n, t) => n + t.pt.tableFrames().length, 0);
    expect(count(FrameUse.PageTable)).toBe(tables);
    expect(count(FrameUse.Anon) + count(FrameUse.File) + count(FrameUse.Shmem)).toBe(state.kernel.phys.lruCount.reduce((a, b) => a + b, 0));
    expect(view.swapTotalKb).toBe(0);
  });

  it('names the owners of a frame through the reverse map', async () => {
    const run = await runExample('02-fork-cow.aspace');
    const state = run.stateAfter(stepOf(run, 'write Q A 0 8K'));
    const a = listRegions(state, 'P').find((r) => r.region === 'A')!;
    const shared = regionSmaps(state, 'P', a.index)!.pss[2]!;
    const detail = frameDetail(state, shared.pfn);
    expect(detail.use).toBe(FrameUse.Anon);
    expect(detail.owners.map((o) => [o.process, o.address, o.mapsLine])).toEqual([['P', shared.address, a.mapsLine], ['Q', shared.address, a.mapsLine]]);
    expect(detail.description).toMatch(/^anonymous page, mapcount 2, refcount 2, dirty/);
    expect(frameDetail(state, state.kernel.tasks.get('Q')!.pt.pgdPfn)).toMatchObject({ use: FrameUse.PageTable, description: expect.stringContaining('Q (PML4)') });
    expect(frameDetail(state, state.kernel.phys.frames - 1)).toMatchObject({ use: FrameUse.Free, owners: [] });
  });
});

describe('LRU lists', () => {
  it('lists every page on an LRU list, head first, with referenced and young bits', async () => {
    const run = await runExample('06-reclaim-lru.aspace');
    const i = stepOf(run, 'reclaim');
    const state = run.stateAfter(i);
    const view = lruView(state, 100_000);
    expect(view.lists.map((l) => l.name)).toEqual(['inactive_anon', 'active_anon', 'inactive_file', 'active_file', 'unevictable']);
    for (const list of view.lists) expect(list.pages.length).toBe(list.total);
    let onLru = 0;
    for (const f of state.kernel.phys.flags) if (f & PG_LRU) onLru++;
    expect(view.lists.reduce((n, l) => n + l.total, 0)).toBe(onLru);
    // Head first: the tail is what reclaim scans next (lruOldestFirst).
    const anon = view.lists[0]!;
    expect(anon.pages.map((p) => p.pfn).reverse()).toEqual(state.kernel.phys.lruOldestFirst('inactive_anon'));
    // The anon pages that survived their first scan are marked referenced; the scan cleared their accessed bits.
    expect(anon.pages.filter((p) => p.referenced).length).toBeGreaterThan(0);
    expect(anon.pages.every((p) => !p.young && p.dirty && /^P 0x[0-9a-f]+ \(A\)$/.test(p.owner))).toBe(true);
    expect(view.lists[2]!.pages[0]!.owner).toMatch(/^page cache of notes\.txt, index \d+$/);
    expect(lruView(state, 3).lists[0]!.pages).toHaveLength(3);
  });
});

describe('reclaim events', () => {
  it('record every page reclaim decided about, matching its report', async () => {
    const run = await runExample('06-reclaim-lru.aspace');
    const i = stepOf(run, 'reclaim');
    const events = reclaimEvents(run, i);
    const [, freed, swapped, dropped, activated, rotated] = /freed (\d+) pages: (\d+) swapped out, (\d+) file pages dropped, (\d+) activated, (\d+) rotated/.exec(run.steps[i]!.notes[0]!)!.map(Number);
    const count = (action: string) => events.filter((e) => e.action === action).length;
    expect(count('swapped-out')).toBe(swapped);
    expect(count('reclaimed')).toBe(dropped);
    expect(count('swapped-out') + count('reclaimed')).toBe(freed);
    expect(count('activated')).toBe(activated);
    expect(count('kept') + count('rotated')).toBe(rotated);
    expect(events.find((e) => e.action === 'kept')).toMatchObject({ list: 'inactive_anon', reason: expect.stringContaining('accessed bit') });
    expect(Object.keys(events[0]!).sort()).toEqual(['action', 'list', 'pfn', 'reason']);
    expect(reclaimEvents(run, 0)).toEqual([]);
  });

  it('record MADV_PAGEOUT', async () => {
    const run = await runExample('05-swap-fork.aspace');
    const events = reclaimEvents(run, stepOf(run, 'madvise P A pageout'));
    expect(events.map((e) => e.action)).toEqual(Array(8).fill('swapped-out'));
    expect(events[0]!.reason).toMatch(/^MADV_PAGEOUT: written to swap slot 1/);
  });
});
