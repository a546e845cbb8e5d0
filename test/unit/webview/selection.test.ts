// Links between a selection and the rest of the view: region ↔ segment ↔ sections ↔ symbols.
import { describe, expect, it } from 'vitest';
import { linksOf } from '../../../webview/selection';
import type { ElfSummary, LayoutView, RegionView } from '../../../webview/view-models';

const phdr = (index: number, type: number, vaddr: number, memsz: number) => ({
  index, type, typeName: '', flags: 5, flagsText: 'R E', offset: '0x0', vaddr: '0x' + vaddr.toString(16), paddr: '0x0', filesz: '0x0', memsz: '0x' + memsz.toString(16), align: '0x1000',
});
const section = (index: number, name: string, addr: number, size: number, flags = 2) => ({
  index, name, type: 1, typeName: 'PROGBITS', flags: '0x' + flags.toString(16), flagLetters: '', addr: '0x' + addr.toString(16), offset: '0x0', size: '0x' + size.toString(16), entsize: '0x0', addralign: '0x1', link: 0, info: 0,
});
const summary = {
  programHeaders: [phdr(0, 1, 0, 0x5e0), phdr(1, 1, 0x1000, 0x145), phdr(2, 0x6474e551, 0, 0)],
  sections: [section(0, '', 0, 0, 0), section(1, '.interp', 0x318, 0x1c), section(2, '.text', 0x1040, 0x100, 6), section(3, '.comment', 0, 0x2b, 0x30)],
} as unknown as ElfSummary;
const region = (start: number, end: number, link: boolean): RegionView => ({
  start: '0x' + (0x555555554000 + start).toString(16), end: '0x' + (0x555555554000 + end).toString(16), line: '', range: '', perms: 'r-xp', offset: '', device: '', inode: '', name: '',
  owner: link ? 'program' : 'stack', description: '', linkStart: link ? '0x' + start.toString(16) : null, linkEnd: link ? '0x' + end.toString(16) : null,
});
const layout = { kind: 'layout', regions: [region(0, 0x1000, true), region(0x1000, 0x2000, true), region(0x10000, 0x20000, false)] } as LayoutView;

describe('selection links', () => {
  it('a region lights up the segments and allocated sections it holds, and filters symbols to its range', () => {
    const links = linksOf({ kind: 'region', start: layout.regions[1]?.start ?? '' }, summary, layout);
    expect([...links.regions]).toEqual([1]);
    expect([...links.segments]).toEqual([1]);
    expect([...links.sections]).toEqual([2]);
    expect(links.range).toEqual({ start: '0x1000', end: '0x2000' });
  });

  it('a symbol lights up the region, segment and section that hold it', () => {
    const links = linksOf({ kind: 'symbol', table: 0, index: 5, value: '0x1040', size: '0x3' }, summary, layout);
    expect([...links.regions]).toEqual([1]);
    expect([...links.segments]).toEqual([1]);
    expect([...links.sections]).toEqual([2]);
  });

  it('a section that is not in memory links to nothing; a region without a file links only itself', () => {
    expect([...linksOf({ kind: 'section', index: 3 }, summary, layout).regions]).toEqual([]);
    const stack = linksOf({ kind: 'region', start: layout.regions[2]?.start ?? '' }, summary, layout);
    expect([...stack.regions]).toEqual([2]);
    expect(stack.segments.size + stack.sections.size).toBe(0);
    expect(stack.range).toBeNull();
  });
});
