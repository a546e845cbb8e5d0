// The page-table walk in the three paging modes.
import { describe, expect, it } from 'vitest';
import { walkAddress } from '../../../../simulator/inspect';
import { userAccess } from '../../../../simulator/mm/fault';
import { Kernel, type Task } from '../../../../simulator/mm/kernel';
import { MmStruct } from '../../../../simulator/mm/mm-struct';
import { doMadvise } from '../../../../simulator/mm/madvise';
import { doMmap } from '../../../../simulator/mm/syscalls';
import { PROT_READ, PROT_WRITE } from '../../../../simulator/mm/vm-flags';
import { walkPageTable } from '../../../../simulator/proc/pagetable';
import { DEFAULT_SETTINGS, RegionNames, ScenarioState } from '../../../../simulator/scenario/state';
import { runExample, stepOf } from './run-scenario';

/** A process whose mmap area is below 4 GiB, so that i386 can show it. */
function lowProcess(swapBytes = 0): { state: ScenarioState; task: Task; a: bigint } {
  const k = new Kernel({ ramBytes: 64 << 20, swapBytes, pkeys: false, forbidsZeroPage: false });
  const mm = new MmStruct({ mmapBase: 0xb0000000n, taskSize: 0xc0000000n });
  const task: Task = { name: 'P', pid: 1, mm, pt: k.newPageTable(), rss: { file: 0, anon: 0, shmem: 0, swapEnts: 0 }, hiwaterRss: 0, hiwaterVm: 0, exited: false, program: 'test', createdAt: 0 };
  k.tasks.set('P', task);
  const a = doMmap(k, task, 0x10000n, PROT_READ | PROT_WRITE, false, undefined, 0n, 1, 'A').start;
  userAccess(k, task, a, 'write');
  userAccess(k, task, a + 0x1000n, 'read');
  return { state: new ScenarioState(k, new RegionNames(), { ...DEFAULT_SETTINGS }, 0), task, a };
}

describe('x86-64', () => {
  it('is the walk `show pagetable` prints, with bits, tables and the physical address', async () => {
    const run = await runExample('01-demand-paging.aspace');
    const i = stepOf(run, 'show pagetable P A');
    const state = run.stateAfter(i);
    const a = state.regions.get('A')!.start + 0x123n;
    const walk = walkAddress(state, 'P', a, 'x86-64');
    const steps = walkPageTable(state.kernel, state.kernel.tasks.get('P')!, a);
    expect(walk.levels.map((l) => l.level)).toEqual(['CR3', 'PML4E', 'PDPTE', 'PDE', 'PTE']);
    expect(walk.levels.map((l) => l.bits)).toEqual(['', '47:39', '38:30', '29:21', '20:12']);
    expect(walk.levels.map((l) => BigInt(l.entry))).toEqual(steps.map((s) => s.entry));
    expect(walk.levels.map((l) => l.index)).toEqual([0, 255, 511, 447, Number((a >> 12n) & 511n)]);
    // Each level reads the table the previous entry points at.
    for (let l = 2; l < 5; l++) expect(BigInt(walk.levels[l]!.table)).toBe(BigInt(walk.levels[l - 1]!.entry) & 0xffffffffff000n);
    expect(walk.levels[4]!.flags).toEqual(['P', 'RW', 'US', 'A', 'D', 'NX']);
    expect(walk.physical).toBe(`0x${((BigInt(walk.levels[4]!.entry) & 0xffffffffff000n) | 0x123n).toString(16)}`);
    // `show pagetable P A` walks the first byte of A.
    expect(run.steps[i]!.output).toContain(`physical address ${walkAddress(state, 'P', a - 0x123n, 'x86-64').physical}`);
  });

  it('stops at the first entry that is not present', async () => {
    const run = await runExample('01-demand-paging.aspace');
    const walk = walkAddress(run.stateAfter(stepOf(run, 'P = exec')), 'P', 0x10000000000n, 'x86-64');
    expect(walk.levels.at(-1)).toMatchObject({ level: 'PML4E', present: false });
    expect(walk.physical).toBeUndefined();
  });
});

describe('i386', () => {
  it('is unavailable above 4 GiB', async () => {
    const run = await runExample('01-demand-paging.aspace');
    const walk = walkAddress(run.stateAfter(1), 'P', 0x7ffff7fff000n, 'i386');
    expect(walk.levels).toEqual([]);
    expect(walk.unavailable).toMatch(/32-bit addresses/);
  });

  it('walks two levels with 4-byte entries and the same frame and flags', () => {
    const { state, task, a } = lowProcess();
    expect(a < 1n << 32n).toBe(true);
    const walk = walkAddress(state, 'P', a + 0x45n, 'i386');
    expect(walk.levels.map((l) => [l.level, l.bits])).toEqual([['CR3', ''], ['PDE', '31:22'], ['PTE', '21:12']]);
    expect(walk.levels[1]!.index).toBe(Number(a >> 22n));
    expect(walk.levels[2]!.index).toBe(Number((a >> 12n) & 0x3ffn));
    const x86 = walkPageTable(state.kernel, task, a).at(-1)!.entry;
    const pte = walk.levels[2]!;
    expect(pte.entry).toMatch(/^0x[0-9a-f]{8}$/);
    expect(BigInt(pte.entry)).toBe(x86 & 0xfffff1ffn);
    expect(pte.flags).toEqual(['P', 'RW', 'US', 'A', 'D']);
    expect(pte.note).toMatch(/NX/);
    expect(walk.levels[1]!.note).toMatch(/synthesized/);
    expect(BigInt(walk.physical!)).toBe((x86 & 0xfffff000n) | 0x45n);
  });
});

describe('i386 swap entries', () => {
  it('use the 2-level format: offset from bit 9, exclusive in bit 7', () => {
    const { state, task, a } = lowProcess(1 << 20);
    doMadvise(state.kernel, task, a, a + 0x1000n, 'pageout');
    const pte = walkAddress(state, 'P', a, 'i386').levels[2]!;
    expect(pte).toMatchObject({ entry: `0x${((1 << 9) | 0x80).toString(16).padStart(8, '0')}`, present: false, flags: ['swap'] });
    expect(walkAddress(state, 'P', a, 'toy6').levels[1]!.note).toMatch(/swapped out \(slot 1\)/);
  });
});

describe('toy6', () => {
  it('shows the page as one of 8 toy pages: VPN from the page index, frame = pfn & 7', () => {
    const { state, task, a } = lowProcess();
    const x86 = walkPageTable(state.kernel, task, a + 0x1000n).at(-1)!.entry;
    const walk = walkAddress(state, 'P', a + 0x1005n, 'toy6');
    expect(walk.modeAddress).toBe(`0x${((1 << 3) | 5).toString(16)}`);
    expect(walk.levels.map((l) => l.level)).toEqual(['PTBR', 'PTE']);
    const pte = walk.levels[1]!;
    const frame = Number((x86 >> 12n) & 7n);
    // The zero page, read-only: P and U, no W.
    expect(pte).toMatchObject({ index: 1, bits: '5:3', present: true, flags: ['P', 'U'], entry: `0x${((frame << 3) | 5).toString(16)}` });
    expect(walk.physical).toBe(`0x${((frame << 3) | 5).toString(16)}`);
    expect(walk.levels[0]!.note).toMatch(/page 0\+i of the VMA/);
    expect(walkAddress(state, 'P', a + 0x3000n, 'toy6').levels[1]).toMatchObject({ present: false, entry: '0x0' });
    expect(walkAddress(state, 'P', 0x1000n, 'toy6').unavailable).toMatch(/no VMA/);
  });
});
