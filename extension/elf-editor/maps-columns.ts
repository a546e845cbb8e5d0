import type { MmStruct } from '../../simulator/mm/mm-struct';
import type { Vma } from '../../simulator/mm/vma';
import { mapsLine, vmaName } from '../../simulator/proc/maps';
import type { MapsColumns } from '../../webview/view-models';

const hex = (v: bigint) => '0x' + v.toString(16);

/** The VMAs of an address space in maps order, the gate VMA ([vsyscall]) last. */
export const mapsOrder = (mm: MmStruct): Vma[] => (mm.gateVma ? [...mm.vmaList, mm.gateVma] : [...mm.vmaList]);

/** A VMA's /proc/PID/maps line, and the line split into the columns the tables show. */
export function mapsColumns(mm: MmStruct, vma: Vma): MapsColumns {
  const line = mapsLine(mm, vma);
  const [range = '', perms = '', offset = '', device = '', inode = ''] = line.split(' ');
  return { start: hex(vma.start), end: hex(vma.end), line, range, perms, offset, device, inode, name: vmaName(mm, vma) ?? '' };
}
