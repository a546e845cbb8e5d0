// Large page-cache folios (Linux 6.18, a filesystem with large folio support such as ext4): a cache
// miss in a VM_HUGEPAGE mapping of a regular file reads the file in folios of up to 512 pages, sized
// by their alignment and the end of the file (page_cache_ra_order). Such a folio is one unit for the
// kernel: a store dirties all of it, writeback cleans all of it, and MADV_COLD/PAGEOUT over a part of it
// split it, unmapping every page of it (file pages are not mapped back: they fault in again).
import type { Inode, Kernel } from './kernel';
import { putFolio, readPte, writePte } from './memory';
import { PTE_DIRTY } from './pte';
import { HPAGE_PMD_NR, HPAGE_PMD_ORDER } from './huge-memory';
import { doPageCacheRa, filePages } from './page-cache';
import { PG_DIRTY, PG_LARGE, PG_READAHEAD, PG_SWAPBACKED, PG_UPTODATE } from './page-flags';
import { OWNER_FILE } from './physical-memory';
import { folioMappings } from './rmap';
import { batchNewFolio } from './lru-batch';
import { wakeKswapdIfLow } from './vmscan';
import { workingsetRefault } from './workingset';

/** The head frame of the large page-cache folio holding pfn, if it is in one. */
export function fileFolioHead(k: Kernel, pfn: number): number | undefined {
  return k.phys.fileFolios.size === 0 ? undefined : k.phys.fileFolioHead(pfn);
}

/** folio_nr_pages of a large page-cache folio's head. */
export function fileFolioPages(k: Kernel, head: number): number {
  return 1 << (k.phys.fileFolios.get(head) ?? 0);
}

/**
 * do_sync_mmap_readahead in a VM_HUGEPAGE mapping: the window is the 512-page block of the faulting
 * page and the next one (the faulting page's alone under MADV_RANDOM), the second asynchronous, read
 * by page_cache_ra_order in folios of order 9 at most: smaller where the index is not aligned to one, or
 * where one would pass the end of the file. A page cached already stops it there, and the rest of the
 * window is read a page at a time (the fallback to do_page_cache_ra).
 */
export function hugepageReadahead(k: Kernel, inode: Inode, index: number, randomRead: boolean): void {
  const start = index - (index % HPAGE_PMD_NR);
  // Two PMD folios, unless MADV_RANDOM asked for no readahead: then the faulting one alone.
  const size = randomRead ? HPAGE_PMD_NR : 2 * HPAGE_PMD_NR;
  const asyncSize = HPAGE_PMD_NR;
  inode.ra = { ...inode.ra, start, size, asyncSize, order: HPAGE_PMD_ORDER };
  readaheadOrder(k, inode, start, size, asyncSize, HPAGE_PMD_ORDER, []);
}

/**
 * page_cache_ra_order: the window [start, start + size) up to the end of the file in folios of `order`
 * at most (smaller where the index is not aligned to one, or where one would pass the end of the
 * file), PG_readahead on the one holding start + size - asyncSize. A page cached already stops it, and
 * do_page_cache_ra reads the rest a page at a time. The frames it adds go to `added`.
 */
export function readaheadOrder(k: Kernel, inode: Inode, start: number, size: number, asyncSize: number, order: number, added: number[]): void {
  const limit = Math.min(filePages(inode) - 1, start + size - 1);
  const mark = start + size - asyncSize;
  const newOrder = Math.min(order, HPAGE_PMD_ORDER, Math.floor(Math.log2(size)));
  let index = start;
  while (index <= limit) {
    let o = newOrder;
    while (o > 0 && index % (1 << o)) o--;
    while (o > 0 && index + (1 << o) - 1 > limit) o--;
    const head = readFolio(k, inode, index, o, mark >= index && mark < index + (1 << o));
    if (head === undefined) break;
    for (let i = 0; i < 1 << o; i++) added.push(head + i);
    index += 1 << o;
  }
  if (index <= limit) doPageCacheRa(k, inode, index, size - (index - start), asyncSize, added);
}

/**
 * ra_alloc_folio: a folio of 2^order pages at `index`, read from the file, up to date, on the inactive
 * file list (PG_readahead on its head with `readahead`); undefined if a page of it is cached already
 * or memory is out.
 */
export function readFolio(k: Kernel, inode: Inode, index: number, order: number, readahead: boolean): number | undefined {
  const pages = 1 << order;
  for (let i = 0; i < pages; i++) if (inode.cache.has(index + i)) return undefined;
  const head = k.phys.allocate(OWNER_FILE, inode.id, index, PG_UPTODATE, order);
  if (head === undefined) return undefined;
  wakeKswapdIfLow(k);
  for (let i = 0; i < pages; i++) {
    k.phys.lruAdd(head + i);
    inode.cache.set(index + i, head + i);
  }
  if (order > 0) k.phys.fileFolios.set(head, order);
  workingsetRefault(k, inode, index, head, pages);
  batchNewFolio(k, head, order > 0);
  if (readahead) k.phys.flags[head]! |= PG_READAHEAD;
  return head;
}

/** folio_mark_dirty: a page, and every page of the large folio it is in (page cache or anonymous), is dirty. */
export function markFolioDirty(k: Kernel, pfn: number): void {
  const head = fileFolioHead(k, pfn);
  if (head !== undefined) {
    for (let i = fileFolioPages(k, head) - 1; i >= 0; i--) k.phys.flags[head + i]! |= PG_DIRTY;
    return;
  }
  if (!(k.phys.flags[pfn]! & PG_LARGE)) {
    k.phys.flags[pfn]! |= PG_DIRTY;
    return;
  }
  // An anonymous THP (a lazily freed one that GUP writes to, say): the whole folio is dirty, so none
  // of its pages is LazyFree any more.
  const anonHead = pfn - (pfn % HPAGE_PMD_NR);
  for (let i = 0; i < HPAGE_PMD_NR; i++) if (k.phys.flags[anonHead + i]! & PG_LARGE) k.phys.flags[anonHead + i]! |= PG_DIRTY;
}

/** The frames of the large page-cache folio holding pfn (writeback cleans them all), or pfn alone. */
export function folioFrames(k: Kernel, pfn: number): { readonly head: number; readonly pages: number } {
  const head = fileFolioHead(k, pfn);
  return head === undefined ? { head: pfn, pages: 1 } : { head, pages: fileFolioPages(k, head) };
}

/**
 * folio_maybe_mapped_shared of a large page-cache folio: more than one process maps its pages (a page
 * one process maps twice, in two VMAs, is not shared).
 */
export function fileFolioMappedShared(k: Kernel, head: number): boolean {
  let mm: unknown;
  for (let i = fileFolioPages(k, head) - 1; i >= 0; i--) {
    const pfn = head + i;
    if (k.phys.mapcount.get(pfn) === 0) continue;
    for (const mapping of folioMappings(k, pfn)) {
      if (mm === undefined) mm = mapping.task.mm;
      else if (mapping.task.mm !== mm) return true;
    }
  }
  return false;
}

/**
 * split_folio of a large page-cache folio (__folio_split): unmap_folio takes every page of it out of
 * every page table (try_to_unmap: "file pages can simply be left unmapped, then faulted back on
 * demand"), and it becomes small folios that stay in the page cache, flags and all. A dirty folio is
 * not split (-EBUSY): filemap_release_folio cannot free the buffers a store attached to it (checked on
 * ext4: MADV_PAGEOUT over a part of a dirty folio leaves it mapped). Returns whether it was split.
 */
export function splitFileFolio(k: Kernel, head: number): boolean {
  const pages = fileFolioPages(k, head);
  for (let i = 0; i < pages; i++) if (k.phys.flags[head + i]! & PG_DIRTY) return false;
  for (let i = 0; i < pages; i++) {
    const pfn = head + i;
    for (const { task, vpn } of folioMappings(k, pfn)) {
      // try_to_unmap_one: a dirty PTE dirties the folio (all of it: it is not split yet); young bits go unrecorded.
      if (readPte(task, vpn)[0] & PTE_DIRTY) markFolioDirty(k, pfn);
      k.phys.mapcount.add(pfn, -1);
      task.rss[k.phys.flags[pfn]! & PG_SWAPBACKED ? 'shmem' : 'file']--;
      writePte(k, task, vpn, 0, 0);
      putFolio(k, pfn);
    }
  }
  k.phys.fileFolios.delete(head);
  return true;
}
