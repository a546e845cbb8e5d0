// How the panel writes sizes, counts and fractions.

/** "32 kB" as smaps writes it; thousands separated for the eye ("1,048,576 kB"). */
export function formatKb(kb: number): string {
  return `${kb.toLocaleString('en-US')} kB`;
}

/** "4 KiB", "1.5 MiB", "4 GiB" from kB. */
export function humanKb(kb: number): string {
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = kb;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = value >= 100 || Number.isInteger(value) ? value.toFixed(0) : value.toFixed(1);
  return `${text.replace(/\.0$/, '')} ${units[unit]}`;
}

/** A bar's fill: part / whole, clamped to [0, 1] (0 for an empty whole). */
export function fraction(part: number, whole: number): number {
  if (!(whole > 0) || !(part > 0)) return 0;
  return Math.min(1, part / whole);
}

/** The smaps fields drawn as bars against Size, and the ones that are only numbers. */
const BAR_FIELDS = new Set([
  'Rss', 'Pss', 'Pss_Dirty', 'Pss_Anon', 'Pss_File', 'Pss_Shmem', 'Shared_Clean', 'Shared_Dirty', 'Private_Clean', 'Private_Dirty',
  'Referenced', 'Anonymous', 'LazyFree', 'Swap', 'SwapPss', 'Locked',
]);
export const hasBar = (field: string): boolean => BAR_FIELDS.has(field);

/** Hex address plus a page offset: "0x7ffff7ff0000" + 3 pages. */
export function pageAddress(start: string, index: number, pageSize = 4096n): string {
  return `0x${(BigInt(start) + BigInt(index) * pageSize).toString(16)}`;
}

/** "0x7ffff7ff0123" from what a person types: hex with or without 0x; blanks, underscores and quotes ignored. */
export function normalizeAddress(text: string): string | undefined {
  const m = /^(?:0x)?([0-9a-f]{1,16})$/i.exec(text.trim().replace(/[_\s`']/g, ''));
  return m ? `0x${(m[1] as string).toLowerCase().replace(/^0+(?=.)/, '')}` : undefined;
}

/** "/proc/1235/smaps of Q": which process a per-process view shows, named and numbered as the Processes tab lists it. */
export function procFileTitle(processes: readonly { readonly name: string; readonly pid: number }[], name: string, file: string): string {
  const pid = processes.find((p) => p.name === name)?.pid;
  return `/proc/${pid ?? '?'}/${file} of ${name}`;
}

/** A smaps field's value as smaps prints it: "32 kB", or the bare number of THPeligible and ProtectionKey. */
export const smapsValue = (field: { readonly kb: number; readonly plain?: true }): string => (field.plain ? String(field.kb) : formatKb(field.kb));

/**
 * The label of a walk card: the virtual-address bits that index its table, or for the register
 * that starts the walk (CR3, toy6's PTBR), which no address bits index, what it holds.
 */
export function walkBitsLabel(level: { readonly level: string; readonly bits: string }): { text: string; title: string } {
  if (level.bits) return { text: `bits ${level.bits}`, title: 'virtual-address bits that index this table' };
  const table = level.level === 'CR3' ? 'the top-level table (PML4, or the page directory in i386 paging)' : 'the page table';
  return { text: 'register', title: `${level.level} is a register, not a table: no address bits index it; it holds the physical address of ${table}` };
}
