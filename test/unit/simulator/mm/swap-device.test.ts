import { describe, expect, it } from 'vitest';
import { SwapDevice } from '../../../../simulator/mm/swap';

describe('SwapDevice', () => {
  it('takes the lowest free slot, and frees it when neither a PTE nor the swap cache refers to it', () => {
    const swap = new SwapDevice(4);
    expect(swap.allocate(10)).toBe(1);
    expect(swap.allocate(11)).toBe(2);
    swap.duplicate(1);
    swap.dropCache(1);
    expect(swap.usedSlots).toBe(2);
    swap.release(1);
    expect(swap.usedSlots).toBe(1);
    expect(swap.allocate(12)).toBe(1);
  });

  it('shares its arrays with a clone until one of them writes, and the other never sees the write', () => {
    const swap = new SwapDevice(8);
    swap.allocate(10);
    swap.duplicate(1);
    const copy = swap.clone();
    expect(copy.counts).toBe(swap.counts);
    // The original writes: the clone keeps the slot as it was.
    swap.release(1);
    swap.dropCache(1);
    expect(swap.usedSlots).toBe(0);
    expect([copy.count(1), copy.cachedPage(1), copy.usedSlots]).toEqual([1, 10, 1]);
    // The clone writes: the original does not see it.
    expect(copy.allocate(20)).toBe(2);
    copy.addToCache(1, 30);
    expect([swap.count(1), swap.cachedPage(1), swap.cachedPage(2), swap.usedSlots]).toEqual([0, undefined, undefined, 0]);
    expect([copy.cachedPage(1), copy.cachedPage(2), copy.usedSlots]).toEqual([30, 20, 2]);
  });

  it('always takes the lowest free slot, through frees, swap-cache drops, failures and clones (against a scan of every slot)', () => {
    let swap = new SwapDevice(64);
    let seed = 7;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const lowestFree = (s: SwapDevice) => {
      for (let slot = 1; slot < s.slots; slot++) if (s.count(slot) === 0 && s.cachedPage(slot) === undefined) return slot;
      return undefined;
    };
    for (let i = 0; i < 2000; i++) {
      const slot = 1 + random(63);
      const action = random(5);
      if (action <= 1) {
        const expected = lowestFree(swap);
        expect(swap.allocate(i)).toBe(expected);
      }
      else if (action === 2 && swap.cachedPage(slot) !== undefined) swap.duplicate(slot);
      else if (action === 3) swap.release(slot);
      else if (action === 4) swap.dropCache(slot);
      if (i % 500 === 499) swap = swap.clone();
    }
  });
});
