// The exports' text: maps lines as the kernel prints them, CSV quoting, Markdown escaping.
import { describe, expect, it } from 'vitest';
import { layoutCsv, layoutMarkdown, mapsText } from '../../../extension/elf-editor/layout-text';
import type { ElfSummary, LayoutView } from '../../../webview/view-models';

const line = '555555554000-555555555000 r--p 00000000 fe:00 42                         /tmp/a "b",c|d';
const layout: LayoutView = {
  kind: 'layout', aslr: 'off', seed: '0', loadBias: '0x555555554000', entry: '0x555555555040', interpreter: null, incomplete: null,
  regions: [{
    start: '0x555555554000', end: '0x555555555000', line, range: '555555554000-555555555000', perms: 'r--p', offset: '00000000',
    device: 'fe:00', inode: '42', name: '/tmp/a "b",c|d', owner: 'program', description: 'PT_LOAD [2]', linkStart: '0x0', linkEnd: '0x1000',
  }],
};

describe('layout exports', () => {
  it('maps text is the lines, each ending in a newline', () => {
    expect(mapsText(layout)).toBe(line + '\n');
  });

  it('CSV quotes fields with quotes, commas or newlines (RFC 4180)', () => {
    const [head, row] = layoutCsv(layout).split('\r\n');
    expect(head).toBe('start,end,perms,offset,device,inode,name,owner,description');
    expect(row).toBe('0x555555554000,0x555555555000,r--p,00000000,fe:00,42,"/tmp/a ""b"",c|d",program,PT_LOAD [2]');
  });

  it('Markdown escapes table pipes', () => {
    const summary = {
      file: '/tmp/a', interpreter: null, programHeaders: [], sections: [], segmentSectionIndices: [],
      header: { class: 'ELF64', typeName: 'DYN', machineName: 'x86-64', entry: '0x1040' },
    } as unknown as ElfSummary;
    expect(layoutMarkdown(summary, layout)).toContain('| 555555554000-555555555000 | r--p | 00000000 | fe:00 | 42 | /tmp/a "b",c\\|d |');
  });
});
