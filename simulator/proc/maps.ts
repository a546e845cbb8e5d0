import type { MmStruct } from '../mm/mm-struct';
import { permissionString } from '../mm/vm-flags';
import type { Vma } from '../mm/vma';

/** seq_setwidth(m, 25 + sizeof(void *) * 6 - 1): where names start on 64-bit kernels. */
const NAME_COLUMN = 72;

const hex = (v: bigint | number, width: number) => v.toString(16).padStart(width, '0');

/** The label get_vma_name gives a VMA without a file: special mappings, [heap], [stack]. */
export function vmaName(mm: MmStruct, vma: Vma): string | undefined {
  if (vma.file) return escapePath(vma.file.path);
  if (vma.special) return vma.special;
  const l = mm.layout;
  // vma_is_initial_heap (strict since 6.7) and vma_is_initial_stack.
  if (vma.start < l.brk && vma.end > l.startBrk) return '[heap]';
  if (vma.start <= l.startStack && vma.end >= l.startStack) return '[stack]';
  return undefined;
}

/** seq_path with "\n" escaped as the kernel's mangle_path does (octal). */
function escapePath(path: string): string {
  return path.replace(/\n/g, '\\012');
}

/** One line of /proc/PID/maps (show_map_vma), without the newline. */
export function mapsLine(mm: MmStruct, vma: Vma): string {
  const file = vma.file;
  const pgoff = file ? vma.pgoff << 12n : 0n;
  const dev = file ? `${hex(file.identity.major, 2)}:${hex(file.identity.minor, 2)}` : '00:00';
  const inode = file ? file.identity.inode : 0;
  const prefix = `${hex(vma.start, 8)}-${hex(vma.end, 8)} ${permissionString(vma.flags)} ${hex(pgoff, 8)} ${dev} ${inode} `;
  const name = vmaName(mm, vma);
  if (name === undefined) return prefix;
  return `${prefix.padEnd(NAME_COLUMN, ' ')} ${name}`;
}

/** /proc/PID/maps: every VMA in address order, then the gate VMA. */
export function renderMaps(mm: MmStruct): string {
  let out = '';
  for (const vma of mm.vmaList) out += mapsLine(mm, vma) + '\n';
  if (mm.gateVma) out += mapsLine(mm, mm.gateVma) + '\n';
  return out;
}
