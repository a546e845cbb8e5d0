// The address-space map's rows: regions to a log scale, unmapped gaps collapsed and labelled.
import { describe, expect, it } from 'vitest';
import { mapRows, regionHeight } from '../../../webview/address-map-model';
import { formatSize } from '../../../webview/format';
import type { RegionView } from '../../../webview/view-models';

const region = (start: bigint, end: bigint): RegionView => ({
  start: '0x' + start.toString(16), end: '0x' + end.toString(16), line: '', range: '', perms: 'r--p', offset: '00000000',
  device: '00:00', inode: '0', name: '', owner: 'anonymous', description: '', linkStart: null, linkEnd: null,
});

describe('the address-space map', () => {
  it('collapses each unmapped gap into one labelled row, and adjacent regions get none', () => {
    const rows = mapRows([region(0x555555554000n, 0x555555555000n), region(0x555555555000n, 0x555555557000n), region(0x7ffff7fc2000n, 0x7ffff7fc6000n)]);
    expect(rows.map((r) => r.kind)).toEqual(['gap', 'region', 'region', 'gap', 'region']);
    expect(rows[3]).toMatchObject({ kind: 'gap', label: '… 42.7 TiB unmapped …' });
  });

  it('names the hole between user space and the kernel', () => {
    const rows = mapRows([region(0x7ffffffde000n, 0x7ffffffff000n), region(0xffffffffff600000n, 0xffffffffff601000n)]);
    expect(rows[2]).toMatchObject({ kind: 'gap', label: '… 16 EiB: the end of user space, the non-canonical hole, the kernel …' });
  });

  it('draws bigger regions taller, within bounds', () => {
    expect(regionHeight(0x1000n)).toBe(24);
    expect(regionHeight(0x21000n)).toBeGreaterThan(regionHeight(0x1000n));
    expect(regionHeight(1n << 40n)).toBe(96);
  });

  it('writes sizes with binary units and at most one decimal', () => {
    expect(formatSize(4096n)).toBe('4 KiB');
    expect(formatSize(0x26000n)).toBe('152 KiB');
    expect(formatSize(1536n * 1024n)).toBe('1.5 MiB');
  });
});
