// smaps (or maps) text → LiveVma rows, through proc/parse-smaps.
import { parseSmaps, type SmapsEntry } from '../proc/parse-smaps';
import type { LiveVma } from './types';

export type MutableVma = { -readonly [K in keyof LiveVma]: LiveVma[K] };

const hex = (v: bigint) => `0x${v.toString(16)}`;

/** One parsed entry as a LiveVma (explain and pages come later). */
export function liveVmaOf(entry: SmapsEntry, index: number): MutableVma {
  const fields: Record<string, number> = {};
  for (const f of entry.fields) fields[f.name] = f.value;
  const lines = [entry.raw, ...entry.fields.map((f) => f.raw)];
  if (entry.vmFlags) lines.push(entry.vmFlags.raw);
  const inode = Number(entry.inode);
  return {
    index,
    start: hex(entry.start),
    end: hex(entry.end),
    perms: entry.perms,
    offset: hex(entry.offset),
    dev: entry.dev,
    inode: Number.isSafeInteger(inode) ? inode : 0,
    path: entry.pathname,
    mapsLine: entry.raw,
    fields,
    smapsText: entry.fields.length || entry.vmFlags ? `${lines.join('\n')}\n` : '',
    vmFlags: entry.vmFlags?.flags ?? [],
  };
}

/** Parses smaps or maps text; damaged lines become one-line errors naming `file`. */
export function parseLiveVmas(text: string, file: string): { vmas: MutableVma[]; errors: string[] } {
  const parsed = parseSmaps(text);
  const errors = parsed.errors.map((e) => `${file}: ${e.message}`);
  if (parsed.errorCount > parsed.errors.length) errors.push(`${file}: ${parsed.errorCount - parsed.errors.length} more bad lines`);
  if (parsed.truncated) errors.push(`${file}: ${parsed.truncated}`);
  return { vmas: parsed.entries.map((e, i) => liveVmaOf(e, i)), errors };
}

/** smaps counts no page of these VMAs in Pss: VM_PFNMAP/VM_IO (vm_normal_page) and hugetlb (its own counters). */
export function skipKind(vma: LiveVma): 'pfnmap' | 'hugetlb' | undefined {
  if (vma.vmFlags.includes('ht')) return 'hugetlb';
  if (vma.vmFlags.includes('pf') || vma.vmFlags.includes('io') || vma.path === '[vvar]' || vma.path === '[vvar_vclock]') return 'pfnmap';
  return undefined;
}

/** Whether the VMA maps a shared-memory object (shmem), judged from its name and flags. */
export function looksShmem(vma: LiveVma): boolean {
  const p = vma.path;
  return p.startsWith('/dev/zero') || p.startsWith('/SYSV') || p.startsWith('/memfd:') || p.startsWith('/dev/shm/') || (p === '' && vma.perms[3] === 's');
}
