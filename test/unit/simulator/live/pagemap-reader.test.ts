import { describe, expect, it } from 'vitest';
import { PagemapReader } from '../../../../simulator/live/pagemap';
import type { ProcReader } from '../../../../simulator/live/types';

/** A pagemap of `pages` entries whose entry for page v is (v, 0x80000000 | v & 0xff), counting the preads. */
function fakePagemap(pages: number) {
  const reads: [number, number][] = [];
  const reader = {
    readAt(_path: string, offset: number, into: Uint8Array): number {
      const first = offset / 8;
      const count = Math.max(0, Math.min(into.length / 8, pages - first));
      const words = new Uint32Array(into.buffer, into.byteOffset, count * 2);
      for (let i = 0; i < count; i++) {
        words[2 * i] = first + i;
        words[2 * i + 1] = 0x80000000 | ((first + i) & 0xff);
      }
      reads.push([first, count]);
      return count * 8;
    },
  } as unknown as ProcReader;
  return { reader, reads };
}

/** The entries a scan visits, as [vpn, low, high]. */
function scanned(pagemap: PagemapReader, start: number, end: number): number[][] {
  const out: number[][] = [];
  pagemap.scan(start, end, (words, count, first) => {
    for (let i = 0; i < count; i++) out.push([first + i, words[2 * i]!, words[2 * i + 1]!]);
  });
  return out;
}

describe('PagemapReader', () => {
  it('reads short ranges side by side with one pread, and gives each the entries of its own pages', () => {
    const { reader, reads } = fakePagemap(10_000);
    const pagemap = new PagemapReader(reader, 1);
    for (let vpn = 100; vpn < 1100; vpn += 2) {
      const entries = scanned(pagemap, vpn, vpn + 1);
      expect(entries).toEqual([[vpn, vpn, (0x80000000 | (vpn & 0xff)) >>> 0]]);
    }
    // 1,000 pages from 100 on, 512 entries a read: two preads for 500 one-page ranges.
    expect(reads).toEqual([[100, 512], [612, 512]]);
  });

  it('stops at the end of the file, read ahead or not', () => {
    const { reader } = fakePagemap(1000);
    const pagemap = new PagemapReader(reader, 1);
    expect(scanned(pagemap, 990, 995).map(([v]) => v)).toEqual([990, 991, 992, 993, 994]);
    expect(pagemap.scan(995, 1010, () => undefined)).toBe(5);
    expect(pagemap.scan(1000, 1010, () => undefined)).toBe(0);
  });
});
