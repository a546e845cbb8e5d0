import { describe, expect, it } from 'vitest';
import { BuddyAllocator, MAX_ORDER } from '../../../../simulator/mm/buddy';

describe('buddy allocator', () => {
  it('starts with maximal aligned blocks and splits them on demand', () => {
    const buddy = new BuddyAllocator(4096, 16);
    expect(buddy.freePages).toBe(4096 - 16);
    const first = buddy.allocate(0) as number;
    expect(first).toBe(16);
    // Splitting the order-4 block at 16 left one free block at every order below 4.
    expect(buddy.freeBlocksPerOrder.slice(0, 4)).toEqual([1, 1, 1, 1]);
  });

  it('coalesces a freed block with its free buddy all the way up', () => {
    const buddy = new BuddyAllocator(2048, 0);
    const before = buddy.freeBlocksPerOrder;
    const pages = Array.from({ length: 5 }, () => buddy.allocate(0) as number);
    for (const p of pages) buddy.free(p, 0);
    expect(buddy.freeBlocksPerOrder).toEqual(before);
    expect(buddy.freeBlocksPerOrder[MAX_ORDER]).toBe(2);
  });

  it('returns undefined when memory is exhausted, and clones independently', () => {
    const buddy = new BuddyAllocator(8, 0);
    const copy = buddy.clone();
    for (let i = 0; i < 8; i++) expect(buddy.allocate(0)).toBeDefined();
    expect(buddy.allocate(0)).toBeUndefined();
    expect(copy.freePages).toBe(8);
  });
});
