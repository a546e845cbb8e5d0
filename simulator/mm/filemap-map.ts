// Mapping page-cache pages at a read fault, as Linux 6.18 does with large folios (ext4): fault-around
// (filemap_map_pages) and the fault's own page (finish_fault).
// - Fault-around looks at the first up-to-date folio in its 16-page window. Where that folio holds
//   the file's last page, it installs no page table (filemap_map_pmd is skipped to keep SIGBUS past
//   i_size), so where the PMD is none it maps nothing.
// - It maps the pages of the window; a large folio that lies inside the VMA and one page table and
//   ends before the file's last page is mapped whole (filemap_map_folio_range).
// - The fault (a read, or a write to a shared mapping) maps a large folio whole when it lies inside
//   the VMA and one page table and none of its PTEs is set (finish_fault); otherwise its one page.
// Checked on Linux 6.18 with the oracle: a read in a fresh 2 MiB of a 32-page file read as one folio
// maps all 32 pages (one 4 KiB page where the folio reaches past the VMA or the page table); of a
// 1,024-page file in folios of 512, 16 pages (the first folio does not hold the last page).
import type { Inode, Kernel, Task } from './kernel';
import { basePteFlags, mapFolio, readPte } from './memory';
import { filePages } from './page-cache';
import { PG_READAHEAD, PG_UPTODATE } from './page-flags';
import { fileFolioHead, folioFrames } from './file-folio';
import { PAGE_SHIFT, type Vma } from './vma';

/** next_uptodate_folio: a folio whose read is done and that is not marked for readahead (the mark is on a large folio's head). */
function uptodate(k: Kernel, pfn: number): boolean {
  if (!(k.phys.flags[pfn]! & PG_UPTODATE)) return false;
  return !(k.phys.flags[fileFolioHead(k, pfn) ?? pfn]! & PG_READAHEAD);
}

/** The file page a VMA maps at vpn (linear_page_index). */
export function fileIndexOf(vma: Vma, vpn: number): number {
  return Number(vma.pgoff) + (vpn - Number(vma.start >> PAGE_SHIFT));
}

/** The last file page of the folio that caches page `index` in frame `pfn`. */
function folioLastIndex(k: Kernel, index: number, pfn: number): number {
  const { head, pages } = folioFrames(k, pfn);
  return index - (pfn - head) + pages - 1;
}

/** A large page-cache folio's pages as this VMA maps them: its first vpn, if all of it lies inside the VMA and one page table. */
function wholeFolioVpn(k: Kernel, vma: Vma, vpn: number, pfn: number): { readonly vpn: number; readonly head: number; readonly pages: number } | undefined {
  const { head, pages } = folioFrames(k, pfn);
  if (pages === 1) return undefined;
  const first = vpn - (pfn - head);
  const inside = first >= Number(vma.start >> PAGE_SHIFT) && first + pages <= Number(vma.end >> PAGE_SHIFT);
  return inside && Math.floor(first / 512) === Math.floor((first + pages - 1) / 512) ? { vpn: first, head, pages } : undefined;
}

/** Maps the pages of a folio not mapped yet, with the PTE flags given (a read's by default); how many. */
function mapWhole(k: Kernel, task: Task, vma: Vma, folio: { readonly vpn: number; readonly head: number; readonly pages: number }, flags = basePteFlags(vma)): number {
  let mapped = 0;
  for (let i = 0; i < folio.pages; i++) {
    if (readPte(task, folio.vpn + i)[0]) continue;
    mapFolio(k, task, folio.vpn + i, folio.head + i, flags);
    mapped++;
  }
  return mapped;
}

/** do_fault_around → filemap_map_pages: map cached, up-to-date pages in the 16-page window; how many it mapped. */
export function doFaultAround(k: Kernel, task: Task, vma: Vma, vpn: number, inode: Inode): number {
  // should_fault_around: fault_around_bytes of one page turns it off.
  const window = k.faultAroundPages;
  if (window <= 1) return 0;
  const pteOff = vpn % 512;
  const vmaStartVpn = Number(vma.start >> PAGE_SHIFT);
  const vmaOff = vpn - vmaStartVpn;
  const vmaPages = Number((vma.end - vma.start) >> PAGE_SHIFT);
  const from = Math.max(pteOff - (pteOff % window), pteOff - Math.min(pteOff, vmaOff));
  const to = Math.min(from + window, 512, pteOff + vmaPages - vmaOff) - 1;
  const lastIndex = filePages(inode) - 1;
  if (!task.pt.table(vpn) && !inode.shmem && firstFolioHoldsLastPage(k, vma, vpn - pteOff, from, to, inode, lastIndex)) return 0;
  let mapped = 0;
  for (let pte = from; pte <= to; pte++) {
    const v = vpn - pteOff + pte;
    const index = fileIndexOf(vma, v);
    if (index > lastIndex && !inode.shmem) break;
    const pfn = inode.cache.get(index);
    if (pfn === undefined || !uptodate(k, pfn)) continue;
    if (readPte(task, v)[0]) continue;
    const whole = wholeFolioVpn(k, vma, v, pfn);
    if (whole && folioLastIndex(k, index, pfn) < lastIndex) {
      const n = mapWhole(k, task, vma, whole);
      inode.ra.mmapMiss = Math.max(0, inode.ra.mmapMiss - n);
      mapped += n;
      continue;
    }
    mapFolio(k, task, v, pfn, basePteFlags(vma));
    if (inode.ra.mmapMiss > 0) inode.ra.mmapMiss--;
    mapped++;
  }
  return mapped;
}

/** filemap_map_pages' first folio (next_uptodate_folio) in the window holds the file's last page. */
function firstFolioHoldsLastPage(k: Kernel, vma: Vma, base: number, from: number, to: number, inode: Inode, lastIndex: number): boolean {
  for (let pte = from; pte <= to; pte++) {
    const index = fileIndexOf(vma, base + pte);
    if (index > lastIndex) return false;
    const pfn = inode.cache.get(index);
    if (pfn === undefined || !uptodate(k, pfn)) continue;
    return folioLastIndex(k, index, pfn) >= lastIndex;
  }
  return false;
}

/**
 * finish_fault of a page-cache page (a read, or a write to a shared mapping with its PTE flags): the
 * whole large folio where it fits, else the one page; how many pages it mapped.
 */
export function finishFault(k: Kernel, task: Task, vma: Vma, vpn: number, pfn: number, flags = basePteFlags(vma)): number {
  const whole = wholeFolioVpn(k, vma, vpn, pfn);
  if (whole) {
    let none = true;
    for (let i = 0; i < whole.pages && none; i++) none = !readPte(task, whole.vpn + i)[0];
    if (none) return mapWhole(k, task, vma, whole, flags);
  }
  mapFolio(k, task, vpn, pfn, flags);
  return 1;
}
