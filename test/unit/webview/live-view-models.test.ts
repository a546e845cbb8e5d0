// The live view's pure parts: the map's layout and owners, the pages grid's colourings, the
// explainer's words, the diff's deltas.
import { describe, expect, it } from 'vitest';
import { PageState, type RegionRow } from '../../../simulator/inspect/view-models';
import { explainGroup, liveOrigin, smapsKbFields } from '../../../simulator/live/live-view-models';
import { LivePageFlag, type LiveVma } from '../../../simulator/live/types';
import { liveLayout } from '../../../webview/live/live-map';
import { colourValues, delta } from '../../../webview/live/live-math';

const row = (start: string, end: string, perms: string, name: string, index = 0): RegionRow => ({
  index, start, end, perms, name, pages: 1, rssKb: 4, pssKb: 4, swapKb: 0, line: 0, origin: 'x',
  mapsLine: `${start.slice(2)}-${end.slice(2)} ${perms} 00000000 00:00 0 ${name}`.trimEnd(),
});

describe('the live view models', () => {
  it('the map: the first file is the program, other files are loaded objects, [stack] and the kernel\'s by name', () => {
    const layout = liveLayout([
      row('0x555555554000', '0x555555555000', 'r--p', '/usr/bin/cat'),
      row('0x7ffff7dd0000', '0x7ffff7dd1000', 'r-xp', '/usr/lib/libc.so.6'),
      row('0x7ffff7ff0000', '0x7ffff7ff1000', 'rw-p', ''),
      row('0x7ffff7ff8000', '0x7ffff7ffa000', 'r-xp', '[vdso]'),
      row('0x7ffffffde000', '0x7ffffffff000', 'rw-p', '[stack]'),
    ]);
    expect(layout.regions.map((r) => r.owner)).toEqual(['program', 'interpreter', 'anonymous', 'kernel', 'stack']);
    expect(layout.regions[0]).toMatchObject({ range: '555555554000-555555555000', perms: 'r--p', offset: '00000000', device: '00:00', inode: '0' });
  });

  it('explains a group in words: its pages, mapcount, share and total', () => {
    expect(explainGroup({ kind: 'file', mapcount: 3, pages: 6, pssBytes: 8192 }).explanation).toBe('6 file pages, mapcount 3 (3 mappings share each): ⅓ of 4 kB each = 8 kB');
    expect(explainGroup({ kind: 'anon', mapcount: 1, pages: 1, pssBytes: 4096 }).explanation).toBe('1 anonymous page, mapcount 1: 4 kB each = 4 kB');
    expect(explainGroup({ kind: 'anon', mapcount: 0, pages: 2, pssBytes: 8192 }).explanation).toMatch(/mapcount unknown/);
    expect(explainGroup({ kind: 'swap', mapcount: 0, pages: 2, pssBytes: 8192 }).explanation).toMatch(/SwapPss.*not exported/);
  });

  it('smaps fields: the kB lines in order, not the unitless ones', () => {
    const vma = { smapsText: '7f-80 rw-p 0 00:00 0\nSize:   8 kB\nRss:    4 kB\nTHPeligible:    0\nVmFlags: rd wr\n', fields: {} } as unknown as LiveVma;
    expect(smapsKbFields(vma)).toEqual([{ name: 'Size', kb: 8 }, { name: 'Rss', kb: 4 }]);
  });

  it('origins say what a region is', () => {
    const vma = (path: string, perms: string) => ({ path, perms, offset: '0x0' }) as LiveVma;
    expect(liveOrigin(vma('[heap]', 'rw-p'))).toMatch(/brk/);
    expect(liveOrigin(vma('', 'rw-s'))).toMatch(/shmem/);
    expect(liveOrigin(vma('/usr/lib/libc.so.6', 'r-xp'))).toBe('a library: code');
    expect(liveOrigin(vma('/usr/bin/cat', 'r--p'), '/usr/bin/cat')).toBe('the program: read-only data');
  });

  it('diff deltas are signed', () => {
    expect([delta([4, 12]), delta([12, 4]), delta([4, 4])]).toEqual(['+8 kB', '−8 kB', '0 kB']);
  });

  it('the pages grid\'s colourings: state as pagemap gives it, exclusive or shared, soft-dirty', () => {
    const pages = {
      start: '0x1000', count: 4,
      states: Uint8Array.from([PageState.NotPresent, PageState.AnonPrivate, PageState.FileClean, PageState.Swapped]),
      mapcounts: Uint8Array.from([0, 1, 3, 0]),
      flags: Uint8Array.from([0, LivePageFlag.Exclusive | LivePageFlag.SoftDirty, LivePageFlag.FileOrShared, LivePageFlag.SoftDirty]),
    };
    expect(colourValues(pages, 'state')).toBe(pages.states);
    expect([...colourValues(pages, 'sharing')]).toEqual([0, 1, 2, 3]);
    expect([...colourValues(pages, 'soft-dirty')]).toEqual([0, 2, 1, 2]);
  });

  it('page flags and states stay within what the protocol accepts', () => {
    expect(Math.max(...Object.values(LivePageFlag)) * 2).toBeLessThanOrEqual(64);
    expect(PageState.SwapCache).toBeLessThan(Object.values(PageState).length);
  });
});
