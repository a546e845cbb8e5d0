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

/** show_vma_header_prefix: addresses, permissions, offset, device and inode, with the trailing space. */
export function vmaHeaderPrefix(start: bigint, end: bigint, flags: number, pgoff: bigint, major: number, minor: number, inode: number): string {
  return `${hex(start, 8)}-${hex(end, 8)} ${permissionString(flags)} ${hex(pgoff, 8)} ${hex(major, 2)}:${hex(minor, 2)} ${inode} `;
}

/** seq_pad then the name: names start at column 73 unless the prefix is already longer. */
export function withName(prefix: string, name: string): string {
  return `${prefix.padEnd(NAME_COLUMN, ' ')} ${name}`;
}

/** One line of /proc/PID/maps (show_map_vma), without the newline. */
export function mapsLine(mm: MmStruct, vma: Vma): string {
  const file = vma.file;
  const prefix = vmaHeaderPrefix(vma.start, vma.end, vma.flags, file ? vma.pgoff << 12n : 0n, file?.identity.major ?? 0, file?.identity.minor ?? 0, file?.identity.inode ?? 0);
  const name = vmaName(mm, vma);
  return name === undefined ? prefix : withName(prefix, name);
}

/** /proc/PID/maps: every VMA in address order, then the gate VMA. */
export function renderMaps(mm: MmStruct): string {
  let out = '';
  for (const vma of mm.eachVma) out += mapsLine(mm, vma) + '\n';
  if (mm.gateVma) out += mapsLine(mm, mm.gateVma) + '\n';
  return out;
}
