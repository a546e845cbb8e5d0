import type { Inode, Kernel } from './kernel';
import { newCacheFolio } from './page-alloc';
import { PG_READAHEAD, PG_UPTODATE } from './page-flags';
import { folioFrames, readaheadOrder } from './file-folio';
import { workingsetRefault } from './workingset';

/** bdi->ra_pages: read_ahead_kb 8192 (the virtio disk default of the reference machine) → 2048 pages. */
export const RA_PAGES = 2048;
/** fault_around_bytes 64 KiB → 16 pages (mm/memory.c). */
export const FAULT_AROUND_PAGES = 16;
/** MMAP_LOTSAMISS: past this many misses mmap stops reading around. */
export const MMAP_LOTSAMISS = 100;

export function filePages(inode: Inode): number {
  return Math.ceil(inode.size / 4096);
}

/** Adds a new up-to-date folio for page `index` (read from the file, or zero-filled for shmem). */
export function addCachePage(k: Kernel, inode: Inode, index: number): number {
  const pfn = newCacheFolio(k, inode.id, index, inode.shmem);
  k.phys.flags[pfn]! |= PG_UPTODATE;
  inode.cache.set(index, pfn);
  workingsetRefault(k, inode, index, pfn);
  return pfn;
}

/**
 * do_page_cache_ra → page_cache_ra_unbounded (mm/readahead.c): reads the
 * missing pages of [index, index + count) up to EOF, marking the page
 * `count - lookahead` ahead with PG_readahead. Returns the pages read.
 */
export function doPageCacheRa(k: Kernel, inode: Inode, index: number, count: number, lookahead: number, added?: number[]): number {
  const last = filePages(inode) - 1;
  if (index > last) return 0;
  const toRead = Math.min(count, last - index + 1);
  const mark = toRead - lookahead;
  let read = 0;
  for (let i = 0; i < toRead; i++) {
    if (inode.cache.has(index + i)) continue;
    const pfn = addCachePage(k, inode, index + i);
    if (i === mark) k.phys.flags[pfn]! |= PG_READAHEAD;
    added?.push(pfn);
    read++;
  }
  return read;
}

/** How a mapping was advised to be read: MADV_RANDOM (VM_RAND_READ) or MADV_SEQUENTIAL (VM_SEQ_READ). */
export type ReadAdvice = 'random' | 'sequential' | undefined;

/** do_sync_mmap_readahead: read around the faulting page on a cache miss. */
export function syncMmapReadahead(k: Kernel, inode: Inode, index: number, advice: ReadAdvice, exec?: { readonly first: number; readonly end: number }): void {
  // MADV_RANDOM stops readahead, but not an executable mapping's (6.16+: instruction fetch is random
  // anyway, and the VM_EXEC path below is meant for it).
  if (advice === 'random' && exec === undefined) {
    doPageCacheRa(k, inode, index, 1, 0);
    return;
  }
  const ra = inode.ra;
  if (advice === 'sequential') {
    sequentialSyncRa(k, inode, index);
    return;
  }
  if (ra.mmapMiss < MMAP_LOTSAMISS * 10) ra.mmapMiss++;
  if (ra.mmapMiss > MMAP_LOTSAMISS) {
    doPageCacheRa(k, inode, index, 1, 0);
    return;
  }
  if (exec) {
    // VM_EXEC (6.16+): no read-around, no async part; from the faulting page (order 0) up to the VMA's end.
    ra.start = Math.max(index, exec.first);
    ra.size = Math.max(0, Math.min(ra.start + RA_PAGES, exec.end) - ra.start);
    ra.asyncSize = 0;
    ra.order = 0;
    doPageCacheRa(k, inode, ra.start, ra.size, 0);
    return;
  }
  ra.start = Math.max(0, index - RA_PAGES / 2);
  ra.size = RA_PAGES;
  ra.asyncSize = RA_PAGES / 4;
  ra.order = 0;
  smallFolioRa(k, inode, ra.start, ra.size, ra.asyncSize);
}

/**
 * page_cache_sync_ra(ra_pages) for a VM_SEQ_READ mapping, with no read(2) before (prev_pos is -1):
 * at page 0 a window of ra_pages (get_init_ra_size), its second half asynchronous; elsewhere the run
 * of cached pages before the page is never longer than the request, so do_page_cache_ra reads
 * ra_pages from it, unmarked, and leaves the readahead state alone.
 */
function sequentialSyncRa(k: Kernel, inode: Inode, index: number): void {
  if (index !== 0) {
    doPageCacheRa(k, inode, index, RA_PAGES, 0);
    return;
  }
  const ra = inode.ra;
  ra.start = 0;
  ra.size = RA_PAGES;
  ra.asyncSize = RA_PAGES / 2;
  ra.order = 0;
  smallFolioRa(k, inode, ra.start, ra.size, ra.asyncSize);
}

/**
 * page_cache_ra_order at order 0 (mmap read-around, on a filesystem with large folio support such as
 * ext4 on Linux 6.18): pages from `start` to the end of the window or of the file, PG_readahead on the
 * one at start + size - asyncSize, a place in the window as asked, not as the end of the file cut it
 * (a window that reaches past the end marks none). A page cached already stops it, and
 * do_page_cache_ra reads the rest of the window from there, its mark counted from the end of the file.
 */
function smallFolioRa(k: Kernel, inode: Inode, start: number, size: number, asyncSize: number): void {
  const limit = Math.min(filePages(inode) - 1, start + size - 1);
  const mark = start + size - asyncSize;
  for (let index = start; index <= limit; index++) {
    if (inode.cache.has(index)) {
      doPageCacheRa(k, inode, index, size - (index - start), asyncSize);
      return;
    }
    const pfn = addCachePage(k, inode, index);
    if (index === mark) k.phys.flags[pfn]! |= PG_READAHEAD;
  }
}

/** get_next_ra_size. */
function nextRaSize(current: number, max: number): number {
  if (current < max / 16) return 4 * current;
  if (current <= max / 2) return 2 * current;
  return max;
}

/**
 * do_async_mmap_readahead → page_cache_async_ra: a hit on a PG_readahead page pushes the window
 * forward (trimmed to end on a multiple of the folio size the kernel asks for, ra->order + 2), the
 * window's first page marked PG_readahead. Its pages are in the page cache at once, but their read is
 * in flight until the statement ends or a fault waits for one of them: fault-around passes over them
 * (on Linux 6.18, right after a loop of reads that started such readahead, mincore saw its pages not
 * up to date; some microseconds later they were). They are read in folios of that order where the
 * window allows (page_cache_ra_order), and a fault maps such a folio whole (finish_fault).
 */
export function asyncMmapReadahead(k: Kernel, inode: Inode, index: number, pfn: number): void {
  const ra = inode.ra;
  if (ra.mmapMiss > 0) ra.mmapMiss--;
  // folio_test_readahead: the mark is the folio's, on a large folio's head.
  const { head, pages } = folioFrames(k, pfn);
  if (!(k.phys.flags[head]! & PG_READAHEAD)) return;
  k.phys.flags[head]! &= ~PG_READAHEAD;
  const mark = ra.start + ra.size - ra.asyncSize;
  const expected = mark - (mark % pages);
  if (index === expected) {
    ra.start += ra.size;
    ra.size = Math.max(ra.size, nextRaSize(ra.size, RA_PAGES));
  } else {
    let start = index + 1;
    while (inode.cache.has(start) && start - index <= RA_PAGES) start++;
    if (start - index > RA_PAGES) return;
    ra.start = start;
    ra.size = nextRaSize(start - index + RA_PAGES, RA_PAGES);
  }
  ra.order = (ra.order ?? 0) + 2;
  const align = 1 << Math.min(ra.order, Math.log2(RA_PAGES));
  const end = ra.start + ra.size;
  const alignedEnd = end - (end % align);
  if (alignedEnd > ra.start) ra.size -= end - alignedEnd;
  ra.asyncSize = ra.size;
  const first = k.readsInFlight.length;
  readaheadOrder(k, inode, ra.start, ra.size, ra.asyncSize, ra.order, k.readsInFlight);
  for (let i = first; i < k.readsInFlight.length; i++) k.phys.flags[k.readsInFlight[i]!]! &= ~PG_UPTODATE;
}

/** The reads asynchronous readahead left in flight are done (the statement ended, or a fault waited for one). */
export function completeReads(k: Kernel): void {
  if (!k.readsInFlight.length) return;
  for (const pfn of k.readsInFlight) k.phys.flags[pfn]! |= PG_UPTODATE;
  k.readsInFlight.length = 0;
}

/** force_page_cache_ra: MADV_WILLNEED and fadvise WILLNEED read the range in 2 MiB chunks. */
export function forceReadahead(k: Kernel, inode: Inode, index: number, count: number): void {
  doPageCacheRa(k, inode, index, count, 0);
}
