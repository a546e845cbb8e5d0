import { describe, expect, it } from 'vitest';
import { FrameCounts } from '../../../../simulator/mm/frame-counts';

describe('FrameCounts: a byte per frame, the upper bits of counts above 255 in a second array', () => {
  it('counts past 255 and back, each frame on its own', () => {
    const counts = FrameCounts.of(8);
    for (let i = 0; i < 1025; i++) counts.add(3, 1);
    counts.add(5, 2);
    expect([counts.get(3), counts.get(5), counts.get(4)]).toEqual([1025, 2, 0]);
    for (let i = 0; i < 1000; i++) counts.add(3, -1);
    expect(counts.get(3)).toBe(25);
    counts.set(6, 70000);
    expect(counts.add(6, -69999)).toBe(1);
  });

  it('copies the first frames into arrays of any capacity, the upper bits with them', () => {
    const counts = FrameCounts.of(4);
    counts.set(1, 300);
    counts.set(3, 7);
    const copy = counts.copy(2, 16);
    expect([copy.length, copy.get(1), copy.get(3)]).toEqual([16, 300, 0]);
    copy.add(1, 1);
    expect(counts.get(1)).toBe(300);
  });

  it('refuses a count below zero (a mapcount or refcount never is)', () => {
    const counts = FrameCounts.of(2);
    expect(() => counts.add(0, -1)).toThrow(RangeError);
  });
});
