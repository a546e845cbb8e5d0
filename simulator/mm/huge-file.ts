import type { Inode, Kernel, Task } from './kernel';
import type { FaultOutcome } from './fault';
import { HPAGE_PMD_NR, HPAGE_PMD_ORDER, PMD_FILE } from './huge-memory';
import { basePteFlags, mapFolio, zapPte } from './memory';
import { filePages } from './page-cache';
import { PG_READAHEAD } from './page-flags';
import { readFolio } from './file-folio';
import type { PteTable } from './page-table';
import { VM_HUGEPAGE, VM_NOHUGEPAGE } from './vm-flags';
import type { Vma } from './vma';

/**
 * PMD-mapped page-cache folios (FilePmdMapped), as ext4 with large folios gives them on Linux 6.18: in a
 * VM_HUGEPAGE file mapping, do_sync_mmap_readahead reads two PMD-sized folios (ra->order = HPAGE_PMD_ORDER,
 * the index aligned down to 512), and the fault maps the one it needs with a PMD (filemap_map_pmd →
 * do_set_pmd), whatever the mode of transparent_hugepage/enabled. A folio is 512 frames of one order-9 block
 * holding 512 consecutive file pages, aligned.
 */

/** The first frame of the PMD-sized folio caching file pages [base, base + 512), if there is one. */
function pmdFolioAt(k: Kernel, inode: Inode, base: number): number | undefined {
  const head = inode.cache.get(base);
  if (head === undefined || head % HPAGE_PMD_NR) return undefined;
  for (let i = 1; i < HPAGE_PMD_NR; i++) if (inode.cache.get(base + i) !== head + i) return undefined;
  return head;
}

const isHole = (inode: Inode, base: number) => {
  for (let i = 0; i < HPAGE_PMD_NR; i++) if (inode.cache.has(base + i)) return false;
  return true;
};

/**
 * A read fault in a VM_HUGEPAGE mapping of a regular file where the PMD is none and the 2 MiB block (with
 * its file offset aligned: thp_vma_suitable_order) lies inside the VMA and the file: map the PMD-sized
 * folio, read with the next one (the readahead window of two) when not cached. Undefined: the PTE path.
 */
export function doFilePmdFault(k: Kernel, task: Task, vma: Vma, vpn: number, inode: Inode, index: number): FaultOutcome | undefined {
  if (inode.shmem) return undefined;
  const startVpn = Number(vma.start >> 12n);
  const headVpn = vpn - (vpn % HPAGE_PMD_NR);
  if ((startVpn - Number(vma.pgoff)) % HPAGE_PMD_NR || headVpn < startVpn || headVpn + HPAGE_PMD_NR > Number(vma.end >> 12n)) return undefined;
  const base = index - (index % HPAGE_PMD_NR);
  const pages = filePages(inode);
  if (base + HPAGE_PMD_NR > pages) return undefined;
  if (task.pt.table(vpn)) return mapFolioRange(k, task, vma, headVpn, inode, base);
  if (!(vma.flags & VM_HUGEPAGE) || vma.flags & VM_NOHUGEPAGE) return undefined;
  let head = pmdFolioAt(k, inode, base);
  const major = head === undefined;
  if (head === undefined) {
    // Small folios cached there already: no PMD-sized one can be made.
    if (!isHole(inode, base)) return undefined;
    head = readFolio(k, inode, base, HPAGE_PMD_ORDER, false);
    if (head === undefined) return undefined;
    const next = base + HPAGE_PMD_NR;
    if (next + HPAGE_PMD_NR <= pages && isHole(inode, next)) readFolio(k, inode, next, HPAGE_PMD_ORDER, true);
    inode.ra = { ...inode.ra, start: base, size: 2 * HPAGE_PMD_NR, asyncSize: HPAGE_PMD_NR, order: HPAGE_PMD_ORDER };
  }
  // filemap_fault on a PG_readahead folio starts the next async readahead and clears the mark.
  k.phys.flags[head]! &= ~PG_READAHEAD;
  const flags = basePteFlags(vma);
  for (let i = 0; i < HPAGE_PMD_NR; i++) mapFolio(k, task, headVpn + i, head + i, flags);
  const table = task.pt.writableTable(headVpn) as PteTable;
  table.pmd = PMD_FILE;
  table.pmdTouched = false;
  k.countPmd(1);
  return {
    kind: major ? 'file-major' : 'file',
    mapped: HPAGE_PMD_NR,
    explanation: major
      ? `read fault in a huge-page file mapping: pages ${base}-${base + HPAGE_PMD_NR - 1} were read as one 2 MiB folio (readahead of order 9) and the PMD maps it`
      : `read fault in a huge-page file mapping: pages ${base}-${base + HPAGE_PMD_NR - 1} are one 2 MiB folio in the page cache, mapped by the PMD`,
  };
}

/**
 * filemap_map_pages with a PMD-sized folio where a page table exists already: since Linux 6.18 fault-around
 * maps the entire large folio when it lies inside the VMA and the PMD (filemap_map_folio_range), through PTEs.
 */
function mapFolioRange(k: Kernel, task: Task, vma: Vma, headVpn: number, inode: Inode, base: number): FaultOutcome | undefined {
  const head = pmdFolioAt(k, inode, base);
  if (head === undefined || k.phys.flags[head]! & PG_READAHEAD) return undefined;
  const table = task.pt.table(headVpn) as PteTable;
  const flags = basePteFlags(vma);
  let mapped = 0;
  for (let i = 0; i < HPAGE_PMD_NR; i++) {
    if (table.flags[i]) continue;
    mapFolio(k, task, headVpn + i, head + i, flags);
    mapped++;
  }
  return { kind: 'file', mapped, explanation: `read fault: pages ${base}-${base + HPAGE_PMD_NR - 1} are one 2 MiB folio in the page cache; fault-around mapped the ${mapped} of them not mapped yet, through PTEs (the PMD has a page table)` };
}

/**
 * __split_huge_pmd of a file PMD: the mapping goes (pmdp_huge_clear_flush, its deposited table with it);
 * the pages are faulted in again through PTEs when touched.
 */
export function zapFilePmd(k: Kernel, task: Task, headVpn: number): void {
  for (let i = 0; i < HPAGE_PMD_NR; i++) zapPte(k, task, headVpn + i);
  const key = Math.floor(headVpn / HPAGE_PMD_NR);
  const table = task.pt.pteTables.get(key);
  if (table) {
    task.pt.removeTable(key);
    k.phys.free(table.pfn);
  }
  k.countPmd(-1);
}

/** meminfo's FileHugePages (NR_FILE_THPS), in pages: the PMD-sized folios in page caches, mapped or not. */
export function fileHugePages(k: Kernel): number {
  if (k.thpPmds <= 0 && ![...k.inodes.values()].some((inode) => inode.cache.size >= HPAGE_PMD_NR)) return 0;
  let folios = 0;
  for (const inode of k.inodes.values()) {
    if (inode.shmem || inode.cache.size < HPAGE_PMD_NR) continue;
    for (const index of inode.cache.keys()) if (index % HPAGE_PMD_NR === 0 && pmdFolioAt(k, inode, index) !== undefined) folios++;
  }
  return folios * HPAGE_PMD_NR;
}

/** meminfo's FilePmdMapped (NR_FILE_PMDMAPPED), in pages: the page-cache folios some PMD maps, each once. */
export function filePmdMappedPages(k: Kernel): number {
  if (k.thpPmds <= 0) return 0;
  const heads = new Set<number>();
  for (const task of k.liveTasks()) for (const table of task.pt.pteTables.values()) if (table.pmd === PMD_FILE) heads.add(table.value[0]!);
  return heads.size * HPAGE_PMD_NR;
}
