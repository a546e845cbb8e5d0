import type { Kernel, Task } from '../mm/kernel';
import { pteMapsFolio, vpnOf } from '../mm/memory';
import { PG_ANON, PG_DIRTY, PG_REFERENCED, PG_SWAPBACKED } from '../mm/page-flags';
import { PTE_ACCESSED, PTE_DIRTY, PTE_SWAP } from '../mm/pte';
import { vmFlagMnemonics } from '../mm/vm-flag-names';
import { VM_LOCKED, VM_SHARED, VM_WRITE } from '../mm/vm-flags';
import type { Vma } from '../mm/vma';
import { mapsLine } from './maps';
import { HPAGE_PMD_NR, PMD_FILE, PMD_THP, thpVmaAllowable } from '../mm/huge-memory';

const PSS_SHIFT = 12n;
const PAGE = 4096;

/** struct mem_size_stats: byte counts, Pss values in fixed point (<< 12). */
export interface MemSizeStats {
  resident: number;
  sharedClean: number;
  sharedDirty: number;
  privateClean: number;
  privateDirty: number;
  referenced: number;
  anonymous: number;
  lazyfree: number;
  /** AnonHugePages: anonymous THPs mapped by a PMD (smaps_pmd_entry). */
  anonymousThp: number;
  /** FilePmdMapped: page-cache folios mapped by a PMD. */
  filePmdMapped: number;
  swap: number;
  swapPss: bigint;
  pss: bigint;
  pssAnon: bigint;
  pssFile: bigint;
  pssShmem: bigint;
  pssDirty: bigint;
  pssLocked: bigint;
}

export const emptyStats = (): MemSizeStats => ({ resident: 0, sharedClean: 0, sharedDirty: 0, privateClean: 0, privateDirty: 0, referenced: 0, anonymous: 0, lazyfree: 0, anonymousThp: 0, filePmdMapped: 0, swap: 0, swapPss: 0n, pss: 0n, pssAnon: 0n, pssFile: 0n, pssShmem: 0n, pssDirty: 0n, pssLocked: 0n });

/** smap_gather_stats: walk the VMA's PTEs, accounting each page as smaps_pte_entry does. */
export function gatherStats(k: Kernel, task: Task, vma: Vma, into: MemSizeStats = emptyStats()): MemSizeStats {
  const locked = (vma.flags & VM_LOCKED) !== 0;
  const inode = vma.inodeId !== undefined ? k.inodes.get(vma.inodeId) : undefined;
  if (inode?.shmem && (vma.flags & VM_SHARED || !(vma.flags & VM_WRITE))) {
    // shmem_swap_usage: swapped-out pages of the object inside the VMA's range.
    const first = Number(vma.pgoff);
    const last = first + Number((vma.end - vma.start) >> 12n);
    for (const index of inode.swapped.keys()) if (index >= first && index < last) into.swap += PAGE;
  }
  const startVpn = vpnOf(vma.start);
  const endVpn = vpnOf(vma.end);
  // The Pss sums of this VMA in numbers (exact below 2^53: 2^29 pages at << 12), added to `into`'s at the end.
  const pss = Object.assign(VMA_PSS, NO_PSS);
  task.pt.forEachTableIn(startVpn, endVpn, (table, base) => {
    if (!table.used) return;
    const from = Math.max(startVpn, base);
    const to = Math.min(endVpn, base + 512);
    if (table.pmd === PMD_THP) into.anonymousThp += HPAGE_PMD_NR * PAGE;
    else if (table.pmd === PMD_FILE) into.filePmdMapped += HPAGE_PMD_NR * PAGE;
    for (let vpn = from; vpn < to; vpn++) {
      const flags = table.flags[vpn - base]!;
      if (!flags) continue;
      const value = table.value[vpn - base]!;
      if (flags & PTE_SWAP) {
        into.swap += PAGE;
        const count = k.swap.count(value);
        pss.swap += count >= 2 ? Math.floor(PAGE_PSS / count) : PAGE_PSS;
      } else if (pteMapsFolio(flags)) {
        smapsAccount(k, into, pss, value, (flags & PTE_ACCESSED) !== 0, (flags & PTE_DIRTY) !== 0, locked);
      }
    }
  });
  // Only sums that moved are added: fourteen bigints a VMA otherwise, mostly zeros (a rollup of 20,000 untouched VMAs made 6.7 MB of them).
  if (pss.all) into.pss += BigInt(pss.all);
  if (pss.anon) into.pssAnon += BigInt(pss.anon);
  if (pss.file) into.pssFile += BigInt(pss.file);
  if (pss.shmem) into.pssShmem += BigInt(pss.shmem);
  if (pss.dirty) into.pssDirty += BigInt(pss.dirty);
  if (pss.locked) into.pssLocked += BigInt(pss.locked);
  if (pss.swap) into.swapPss += BigInt(pss.swap);
  return into;
}

/** A whole page's Pss in fixed point (PAGE << PSS_SHIFT). */
const PAGE_PSS = PAGE * 2 ** Number(PSS_SHIFT);
/** The Pss sums gatherStats keeps in numbers while it walks one VMA (one object, reset per VMA). */
type VmaPss = Record<'all' | 'anon' | 'file' | 'shmem' | 'dirty' | 'locked' | 'swap', number>;
const NO_PSS: Readonly<VmaPss> = { all: 0, anon: 0, file: 0, shmem: 0, dirty: 0, locked: 0, swap: 0 };
const VMA_PSS: VmaPss = { ...NO_PSS };

/** smaps_account for one small folio mapped by one present PTE; its Pss goes to the sums in `pss`. */
function smapsAccount(k: Kernel, mss: MemSizeStats, pss: VmaPss, pfn: number, young: boolean, dirtyPte: boolean, locked: boolean): void {
  const flags = k.phys.flags[pfn]!;
  const anon = (flags & PG_ANON) !== 0;
  const dirty = dirtyPte || (flags & PG_DIRTY) !== 0;
  if (anon) {
    mss.anonymous += PAGE;
    if (!(flags & PG_SWAPBACKED) && !dirty) mss.lazyfree += PAGE;
  }
  mss.resident += PAGE;
  if (young || flags & PG_REFERENCED) mss.referenced += PAGE;
  const mapcount = k.phys.mapcount.get(pfn);
  // refcount 1: mapped exactly once and in no cache, so private with the full Pss.
  const isPrivate = k.phys.refcount.get(pfn) === 1 || mapcount < 2;
  const share = isPrivate ? PAGE_PSS : Math.floor(PAGE_PSS / mapcount);
  pss.all += share;
  if (anon) pss.anon += share;
  else if (flags & PG_SWAPBACKED) pss.shmem += share;
  else pss.file += share;
  if (locked) pss.locked += share;
  if (dirty) {
    pss.dirty += share;
    if (isPrivate) mss.privateDirty += PAGE;
    else mss.sharedDirty += PAGE;
  } else if (isPrivate) mss.privateClean += PAGE;
  else mss.sharedClean += PAGE;
}

/** The labels padded to 16 columns, made once. */
const padded = new Map<string, string>();
const pad16 = (label: string): string => {
  let text = padded.get(label);
  if (text === undefined) padded.set(label, (text = label.padEnd(16)));
  return text;
};

/**
 * SEQ_PUT_DEC: the label padded to 16 columns, the value in kB right-aligned in 8. The parts go to
 * an array joined once per entry: a string built by `+` is a tree of pieces, and flattening 64,000
 * VMAs' trees took longer than making them.
 */
const field = (out: string[], label: string, bytes: number | bigint): void => {
  out.push(pad16(label), String(typeof bytes === 'number' ? Math.floor(bytes / 1024) : bytes >> 10n).padStart(8), ' kB\n');
};
const pssField = (out: string[], label: string, pss: bigint) => field(out, label, pss >> PSS_SHIFT);

/** The fields __show_smap prints, shared by smaps and smaps_rollup. */
export function showSmapFields(mss: MemSizeStats, rollup: boolean): string {
  const out: string[] = [];
  pushSmapFields(out, mss, rollup);
  return out.join('');
}

function pushSmapFields(out: string[], mss: MemSizeStats, rollup: boolean): void {
  field(out, 'Rss:', mss.resident);
  pssField(out, 'Pss:', mss.pss);
  pssField(out, 'Pss_Dirty:', mss.pssDirty);
  if (rollup) {
    pssField(out, 'Pss_Anon:', mss.pssAnon);
    pssField(out, 'Pss_File:', mss.pssFile);
    pssField(out, 'Pss_Shmem:', mss.pssShmem);
  }
  field(out, 'Shared_Clean:', mss.sharedClean);
  field(out, 'Shared_Dirty:', mss.sharedDirty);
  field(out, 'Private_Clean:', mss.privateClean);
  field(out, 'Private_Dirty:', mss.privateDirty);
  field(out, 'Referenced:', mss.referenced);
  field(out, 'Anonymous:', mss.anonymous);
  field(out, 'KSM:', 0);
  field(out, 'LazyFree:', mss.lazyfree);
  field(out, 'AnonHugePages:', mss.anonymousThp);
  field(out, 'ShmemPmdMapped:', 0);
  field(out, 'FilePmdMapped:', mss.filePmdMapped);
  field(out, 'Shared_Hugetlb:', 0);
  out.push(`${'Private_Hugetlb:'.padEnd(17)}${String(0).padStart(7)} kB\n`);
  field(out, 'Swap:', mss.swap);
  pssField(out, 'SwapPss:', mss.swapPss);
  pssField(out, 'Locked:', mss.pssLocked);
}

/** One VMA's /proc/PID/smaps entry (show_smap). */
export function renderSmap(k: Kernel, task: Task, vma: Vma): string {
  const mss = gatherStats(k, task, vma);
  const out = [mapsLine(task.mm, vma), '\n'];
  field(out, 'Size:', vma.end - vma.start);
  field(out, 'KernelPageSize:', 4096);
  field(out, 'MMUPageSize:', 4096);
  pushSmapFields(out, mss, false);
  out.push(pad16('THPeligible:'), String(thpVmaAllowable(k, vma) ? 1 : 0).padStart(8), '\n');
  if (k.settings.pkeys) out.push(pad16('ProtectionKey:'), String(0).padStart(8), '\n');
  out.push('VmFlags: ', vmFlagMnemonics(vma.flags), '\n');
  return out.join('');
}

/** /proc/PID/smaps for the given VMAs (all of them by default), plus [vsyscall] when listing all. */
export function renderSmaps(k: Kernel, task: Task, vmas: Iterable<Vma> = task.mm.eachVma): string {
  let out = '';
  for (const v of vmas) out += renderSmap(k, task, v);
  return out;
}
