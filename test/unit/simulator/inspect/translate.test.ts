// Hex addresses in the editor: parsing and translation through every process.
import { describe, expect, it } from 'vitest';
import { parseAddress, translateAddress } from '../../../../simulator/inspect';
import { runExample, stepOf } from './run-scenario';

describe('parseAddress', () => {
  it('reads hex with or without 0x, up to 64 bits', () => {
    expect(parseAddress('0x7ffff7dd1000')).toBe(0x7ffff7dd1000n);
    expect(parseAddress('7ffff7dd1000')).toBe(0x7ffff7dd1000n);
    expect(parseAddress(' 0XFFFFFFFFFF600000 ')).toBe(0xffffffffff600000n);
    expect(parseAddress('0xffffffffffffffff')).toBe((1n << 64n) - 1n);
    for (const bad of ['', '0x', '0x1ffffffffffffffff', 'xyz', '0x12g', '12 34']) expect(parseAddress(bad), bad).toBeUndefined();
  });
});

describe('translateAddress', () => {
  it('finds the address in every process that maps it, with a one-line summary', async () => {
    const run = await runExample('02-fork-cow.aspace');
    const state = run.stateAfter(stepOf(run, 'write Q A 0 8K'));
    const a = state.regions.get('A')!.start;
    const both = translateAddress(state, a + 0x123n);
    expect(both.map((t) => t.process)).toEqual(['P', 'Q']);
    const q = both[1]!;
    const pfn = q.page!.pfn!;
    expect(q.physical).toBe(`0x${((BigInt(pfn) << 12n) | 0x123n).toString(16)}`);
    expect(q.summary).toBe(`Q 0x${(a + 0x123n).toString(16)} → A rw-p, anonymous private, frame 0x${pfn.toString(16)} (phys ${q.physical})`);
    expect(q.mapsLine).toMatch(/^[0-9a-f]+-[0-9a-f]+ rw-p /);
    expect(translateAddress(state, a + 0x3000n, 'P')[0]!.summary).toMatch(/→ A rw-p, anonymous shared \(mapcount 2\), frame/);
    expect(translateAddress(state, 0x1000n)).toEqual([]);
    expect(translateAddress(state, 0x1000n, 'P')[0]!.summary).toBe('P 0x1000 → not mapped (no VMA contains it)');
    expect(translateAddress(state, 0x1000n, 'X')[0]!.summary).toBe('X is not running');
  });

  it('names the heap and the zero page', async () => {
    const run = await runExample('01-demand-paging.aspace');
    const state = run.stateAfter(stepOf(run, 'read P A'));
    const a = state.regions.get('A')!.start;
    expect(translateAddress(state, a, 'P')[0]!.summary).toBe(`P 0x${a.toString(16)} → A rw-p, the zero page, frame 0x1 (phys 0x1000)`);
    const stack = translateAddress(state, 0x7fffffffe000n)[0]!;
    expect(stack.summary).toMatch(/^P 0x7fffffffe000 → \[stack\] rw-p, /);
  });
});
