// /proc/PID/maps lines of a core's regions, through proc/maps.ts's formatter (show_map_vma).
import { VM_EXEC, VM_READ, VM_MAYSHARE, VM_WRITE } from '../mm/vm-flags';
import { vmaHeaderPrefix, withName } from '../proc/maps';
import type { CoreDump, CoreRegion } from './core-types';

function vmFlags(perms: string): number {
  return (perms[0] === 'r' ? VM_READ : 0) | (perms[1] === 'w' ? VM_WRITE : 0) | (perms[2] === 'x' ? VM_EXEC : 0) | (perms[3] === 's' ? VM_MAYSHARE : 0);
}

/** One maps line of a core region: dev:inode are the file's now at the path, or 00:00 0 (not in a core). */
export function coreMapsLine(r: CoreRegion): string {
  const [major, minor] = r.dev.split(':').map((x) => parseInt(x, 16) || 0);
  const prefix = vmaHeaderPrefix(BigInt(r.start), BigInt(r.end), vmFlags(r.perms), BigInt(r.offset), major ?? 0, minor ?? 0, r.inode);
  // seq_path's mangle_path escapes a newline in a path as \012.
  const name = r.path !== undefined ? r.path.replace(/\n/g, '\\012') : r.name;
  return name === undefined ? prefix : withName(prefix, name);
}

/** The address space at the dump as /proc/PID/maps printed it (see CoreDump.notes for what is guessed). */
export function renderCoreMaps(dump: CoreDump): string {
  let out = '';
  for (const r of dump.regions) out += coreMapsLine(r) + '\n';
  return out;
}
