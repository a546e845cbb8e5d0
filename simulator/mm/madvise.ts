import type { Kernel, Task } from './kernel';
import { pteMapsFolio, readPte, updateHiwaterRss, vpnsWithTables, writePte, zapRange } from './memory';
import { forceReadahead } from './page-cache';
import { PG_ACTIVE, PG_DIRTY, PG_READAHEAD, PG_REFERENCED } from './page-flags';
import { PTE_ACCESSED, PTE_DIRTY, PTE_RW, PTE_SPECIAL, PTE_SWAP } from './pte';
import { reclaimFolio, type ReclaimReport } from './vmscan';
import { swapInPage } from './swap-in';
import { VM_LOCKED, VM_PFNMAP, VM_SHARED } from './vm-flags';
import type { Vma } from './vma';
import { folioPteBatch, largeHead, splitLargeFoliosForMadvise } from './huge-split';
import { maybeMappedShared } from './folio-mm-ids';
import { lruAddDrain } from './lru-batch';
import { fileFolioHead, fileFolioMappedShared, fileFolioPages, folioFrames, markFolioDirty, splitFileFolio } from './file-folio';
import { fileIndexOf } from './filemap-map';
import { madviseFree } from './madvise-free';
import { SyscallError } from './syscalls';
import { pageAlign } from './vma';

export type Advice = 'dontneed' | 'pageout' | 'cold' | 'willneed' | 'free';

const hex = (n: bigint) => `0x${n.toString(16)}`;

/**
 * madvise(2) over [start, end), VMA by VMA (do_madvise: the start must be page-aligned, the
 * length is rounded UP to whole pages). Returns what reclaim did for pageout.
 */
export function doMadvise(k: Kernel, task: Task, start: bigint, end: bigint, advice: Advice): ReclaimReport | undefined {
  if (start & 0xfffn) throw new SyscallError('EINVAL', `madvise address ${hex(start)} is not page-aligned`);
  end = start + pageAlign(end - start);
  const report: ReclaimReport = { freed: 0, swappedOut: 0, droppedFile: 0, activated: 0, rotated: 0 };
  if (advice === 'dontneed') updateHiwaterRss(task);
  let covered = start;
  for (const vma of task.mm.vmasIn(start, end)) {
    if (vma.start > covered) covered = -1n;
    else if (covered >= 0n) covered = vma.end;
    const from = Number((vma.start > start ? vma.start : start) >> 12n);
    const to = Number((vma.end < end ? vma.end : end) >> 12n);
    // MADV_FREE drains this CPU's folio batches before it looks at the VMA (checked on this kernel: also
    // when the VMA is locked and the call fails).
    if (advice === 'free') lruAddDrain(k);
    // can_madv_lru_vma: the LRU advices refuse locked and PFN-mapped VMAs, and madvise_walk_vmas stops there.
    if (advice !== 'willneed' && vma.flags & (VM_LOCKED | VM_PFNMAP)) throw new SyscallError('EINVAL', `MADV_${advice.toUpperCase()} of ${vma.flags & VM_LOCKED ? 'a locked' : 'a PFN-mapped'} mapping ${hex(vma.start)}-${hex(vma.end)}`);
    if (advice === 'dontneed') {
      zapRange(k, task, from, to);
      reclaimEmptyTables(k, task, from, to);
    }
    else if (advice === 'willneed') willneed(k, task, vma, from, to);
    else if (advice === 'free') {
      // madvise_free_pte_range splits large folios the range covers in part, as cold and pageout do.
      splitLargeFoliosForMadvise(k, task, vma, from, to);
      madviseFree(k, task, vma, from, to);
    }
    else {
      // madvise_cold / madvise_pageout: lru_add_drain() first.
      lruAddDrain(k);
      // Large folios the range covers in part are split first (zero-filled subpages go to the zero page), and all of them when paged out.
      splitLargeFoliosForMadvise(k, task, vma, from, to, advice === 'pageout');
      coldOrPageout(k, task, from, to, advice === 'pageout', report);
    }
  }
  // madvise_walk_vmas: the advice is applied to what is mapped, then a hole is ENOMEM.
  if (covered < end) throw new SyscallError('ENOMEM', `madvise: [${hex(start)}, ${hex(end)}) is not entirely mapped`);
  return advice === 'pageout' ? report : undefined;
}

/**
 * CONFIG_PT_RECLAIM (Linux 6.14+): MADV_DONTNEED's zap (details.reclaim_pt) frees a PTE table whose
 * whole 2 MiB it zapped, once every entry is none (zap_pte_range → try_get_and_clear_pmd); a later
 * fault there may then map a THP again. Tables the range covers in part stay, as munmap's do until
 * no VMA covers them.
 */
function reclaimEmptyTables(k: Kernel, task: Task, from: number, to: number): void {
  for (let key = Math.ceil(from / 512); (key + 1) * 512 <= to; key++) {
    const table = task.pt.pteTables.get(key);
    if (!table || table.flags.some((flags) => flags !== 0)) continue;
    k.phys.free(table.pfn);
    task.pt.removeTable(key);
  }
}

/**
 * madvise_cold_or_pageout_pte_range: for pages this process alone maps, clear
 * the accessed bits and PG_referenced; cold deactivates them, pageout
 * reclaims them at once (reclaim_pages, references ignored).
 */
function coldOrPageout(k: Kernel, task: Task, from: number, to: number, pageout: boolean, report: ReclaimReport): void {
  // The PTEs that map a large page-cache folio whole are one batch, handled at its first PTE.
  let batchEnd = -1;
  for (const vpn of vpnsWithTables(task, from, to)) {
    if (vpn < batchEnd) continue;
    const [flags, pfn] = readPte(task, vpn);
    if (!pteMapsFolio(flags) || flags & PTE_SPECIAL) continue;
    const fileHead = fileFolioHead(k, pfn);
    if (fileHead !== undefined) {
      const pages = fileFolioPages(k, fileHead);
      // Not mapped whole from here: split (and so unmapped), unless shared or dirty; the PTE is passed over either way.
      if ((pfn === fileHead ? folioPteBatch(task, vpn, to, pfn) : 0) < pages) {
        if (!fileFolioMappedShared(k, fileHead)) splitFileFolio(k, fileHead);
        continue;
      }
      // Whole: only if these PTEs are all its mappings (folio_mapcount == folio_nr_pages).
      batchEnd = vpn + pages;
      let mapcount = 0;
      for (let i = 0; i < pages; i++) mapcount += k.phys.mapcount.get(fileHead + i);
      if (mapcount === pages) for (let i = 0; i < pages; i++) coldOrPageoutPage(k, task, vpn + i, pageout, report);
      continue;
    }
    if (k.phys.mapcount.get(pfn) > 1) continue;
    // A large folio still whole here is shared (left alone, PMD-mapped or not) or in the range whole.
    const head = largeHead(k, pfn);
    if (head !== undefined && maybeMappedShared(k, head)) continue;
    coldOrPageoutPage(k, task, vpn, pageout, report);
  }
}

/** One page that MADV_COLD deactivates or MADV_PAGEOUT reclaims. */
function coldOrPageoutPage(k: Kernel, task: Task, vpn: number, pageout: boolean, report: ReclaimReport): void {
  const [flags, pfn] = readPte(task, vpn);
  // Only MADV_COLD makes the PTEs old; MADV_PAGEOUT leaves them (a folio it cannot reclaim stays young).
  if (!pageout && flags & PTE_ACCESSED) writePte(k, task, vpn, flags & ~PTE_ACCESSED, pfn);
  k.phys.flags[pfn]! &= ~PG_REFERENCED;
  if (pageout) {
    if (flags & PTE_DIRTY) markFolioDirty(k, pfn);
    reclaimFolio(k, pfn, [{ task, vpn }], true, report);
  } else if (k.phys.flags[pfn]! & PG_ACTIVE) {
    k.phys.lruChange(pfn, 0, PG_ACTIVE);
  } else {
    k.phys.lruChange(pfn);
  }
}

/** MADV_WILLNEED: file pages are read ahead into the page cache, swapped anonymous pages into the swap cache. */
function willneed(k: Kernel, task: Task, vma: Vma, from: number, to: number): void {
  const inode = vma.inodeId !== undefined ? k.inodes.get(vma.inodeId) : undefined;
  if (inode && !inode.shmem) {
    forceReadahead(k, inode, fileIndexOf(vma, from), to - from);
    return;
  }
  // Swapped anonymous pages are read into the swap cache (a shmem object's are not read back here).
  if (!inode) {
    for (const vpn of vpnsWithTables(task, from, to)) {
      const [flags, slot] = readPte(task, vpn);
      if (flags & PTE_SWAP && k.swap.cachedPage(slot) === undefined) {
        const pfn = swapInPage(k, slot, vma.anonVma ?? 0, vpn, true);
        k.phys.refcount.add(pfn, -1);
      }
    }
  }
  // force_swapin_readahead and shmem_swapin_range end with lru_add_drain(), whether or not anything was
  // swapped out (checked on this kernel: a pending munlock's reference is gone after it).
  lruAddDrain(k);
}

/**
 * msync(MS_SYNC) on a shared file mapping: vfs_fsync_range writes back the dirty pages of the
 * range only (the length rounded up to pages), then page_mkclean.
 */
export function doMsync(k: Kernel, task: Task, start: bigint, end: bigint): void {
  if (start & 0xfffn) throw new SyscallError('EINVAL', `msync address ${hex(start)} is not page-aligned`);
  end = start + pageAlign(end - start);
  for (const vma of task.mm.vmasIn(start, end)) {
    if (!(vma.flags & VM_SHARED) || vma.inodeId === undefined) continue;
    const inode = k.inodes.get(vma.inodeId);
    if (!inode || inode.shmem) continue;
    const from = vma.start > start ? vma.start : start;
    const first = fileIndexOf(vma, Number(from >> 12n));
    const pages = Number(((vma.end < end ? vma.end : end) - from) >> 12n);
    for (const [index, pfn] of inode.cache) {
      if (index < first || index >= first + pages || !(k.phys.flags[pfn]! & PG_DIRTY)) continue;
      // Writeback is of whole folios: every page of a large one the range reaches.
      const folio = folioFrames(k, pfn);
      for (let i = 0; i < folio.pages; i++) {
        // folio_end_writeback: PG_reclaim (PG_readahead's bit) is cleared when the write completes.
        k.phys.flags[folio.head + i]! &= ~(PG_DIRTY | PG_READAHEAD);
        pageMkclean(k, folio.head + i);
      }
    }
  }
}

/** page_mkclean: every PTE mapping the folio becomes clean and read-only. */
function pageMkclean(k: Kernel, pfn: number): void {
  for (const task of k.liveTasks()) {
    for (const [key, table] of task.pt.pteTables) {
      for (let i = 0; i < 512; i++) {
        if (table.value[i] !== pfn || !pteMapsFolio(table.flags[i]!)) continue;
        writePte(k, task, key * 512 + i, table.flags[i]! & ~(PTE_DIRTY | PTE_RW), pfn);
      }
    }
  }
}
