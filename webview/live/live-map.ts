// The live process's regions as the ELF view's address-space map draws them (a LayoutView). Pure.
import type { RegionRow } from '../../simulator/inspect/view-models';
import type { LayoutView, RegionOwner } from '../view-models';

/** Who a live region belongs to, for the map's colours: the program, ld.so and the libraries it loaded, the stack, the kernel, anonymous memory. */
export function liveOwner(row: RegionRow, program: string | undefined): RegionOwner {
  const n = row.name;
  if (n === '[stack]') return 'stack';
  if (n === '[vdso]' || n.startsWith('[vvar') || n === '[vsyscall]') return 'kernel';
  if (n.startsWith('/')) return n === program ? 'program' : 'interpreter';
  return 'anonymous';
}

/** The rows as a layout: the maps columns split from each maps line. */
export function liveLayout(rows: readonly RegionRow[]): LayoutView {
  const program = rows.find((r) => r.name.startsWith('/'))?.name;
  return {
    kind: 'layout', aslr: 'off', seed: '0', loadBias: '0x0', entry: '0x0', interpreter: null, incomplete: null,
    regions: rows.map((r) => {
      const [range = '', perms = r.perms, offset = '', device = '', inode = ''] = r.mapsLine.split(/\s+/);
      return {
        start: r.start, end: r.end, line: r.mapsLine, range, perms, offset, device, inode, name: r.name,
        owner: liveOwner(r, program), description: r.origin, linkStart: null, linkEnd: null,
      };
    }),
  };
}
