// The region names' history in columns: what each name is at each line, through redefinitions,
// replays, failed mmaps, copies for a changed run, and addresses that do not fit a double.
import { describe, expect, it } from 'vitest';
import { RegionHistory } from '../../../../simulator/scenario/region-history';
import type { Region } from '../../../../simulator/scenario/state';

const region = (name: string, start: bigint, line: number, size = 0x1000n): Region => ({ name, start, end: start + size, line });

describe('RegionHistory', () => {
  it('gives each name the region of the last line at or before the one asked, the same as it was set', () => {
    const h = new RegionHistory();
    h.set('A', region('A', 0x7f0000000000n, 3));
    h.set('A', region('A', 0x7f0000100000n, 9, 0x2345n));
    h.set('B', region('B', 0x1000n, 5));
    expect(h.get('A', 2)).toBeUndefined();
    expect(h.get('A', 3)).toStrictEqual(region('A', 0x7f0000000000n, 3));
    expect(h.get('A', 8)).toStrictEqual(region('A', 0x7f0000000000n, 3));
    expect(h.get('A', 9)).toStrictEqual(region('A', 0x7f0000100000n, 9, 0x2345n));
    expect(h.get('B', 100)).toStrictEqual(region('B', 0x1000n, 5));
    expect(h.get('C', 100)).toBeUndefined();
    expect(h.size).toBe(2);
  });

  it('sets a line again in place (a replay), and an earlier line between the later ones', () => {
    const h = new RegionHistory();
    h.set('A', region('A', 0x1000n, 10));
    h.set('A', region('A', 0x5000n, 10));
    expect(h.get('A', 10)?.start).toBe(0x5000n);
    h.set('A', region('A', 0x9000n, 4));
    h.set('A', region('A', 0xa000n, 4));
    expect([h.get('A', 5)?.start, h.get('A', 10)?.start]).toEqual([0xa000n, 0x5000n]);
  });

  it('keeps a failed mmap and an address past 2^53 whole', () => {
    const h = new RegionHistory();
    const failed: Region = { name: 'F', start: 0n, end: 0n, line: 2, failed: { errno: 'ENOMEM', reason: 'no room' } };
    const far = region('G', 1n << 56n, 3);
    h.set('F', failed);
    h.set('G', far);
    expect(h.get('F', 2)).toStrictEqual(failed);
    expect(h.get('G', 3)).toStrictEqual(far);
    h.set('F', region('F', 0x3000n, 2));
    expect(h.get('F', 2)).toStrictEqual(region('F', 0x3000n, 2));
  });

  it('copies itself without the lines from one on, and the copy and the original go their own ways', () => {
    const h = new RegionHistory();
    h.set('A', region('A', 0x1000n, 1));
    h.set('B', region('B', 0x2000n, 5));
    h.set('A', region('A', 0x3000n, 7));
    const copy = h.before(5);
    expect([copy.get('A', 100)?.start, copy.get('B', 100)]).toEqual([0x1000n, undefined]);
    copy.set('B', region('B', 0x9000n, 6));
    expect([copy.get('B', 100)?.start, h.get('B', 100)?.start, h.get('A', 100)?.start]).toEqual([0x9000n, 0x2000n, 0x3000n]);
    expect(copy.size).toBe(2);
  });

  it('grows past its first columns', () => {
    const h = new RegionHistory();
    for (let i = 0; i < 1000; i++) h.set(`R${i}`, region(`R${i}`, BigInt(i) << 12n, i + 1));
    for (let i = 0; i < 1000; i += 97) expect(h.get(`R${i}`, 1000)?.start).toBe(BigInt(i) << 12n);
  });
});
