// MADV_FREE (mm/madvise.c madvise_free_single_vma) and what reclaim does with lazily freed folios
// (mm/vmscan.c shrink_folio_list, mm/rmap.c try_to_unmap_one).
//
// The state shown is the one after the kernel drains its per-CPU LRU batches (lru_add_drain):
// the folios are clean, old, off the swap-backed lists and counted as LazyFree at once.
import { maybeMappedShared, removeLargeMapping } from './folio-mm-ids';
import { HPAGE_PMD_NR, PMD_THP } from './huge-memory';
import { largeHead, ptesMapWholeFolio } from './huge-split';
import type { Kernel, Task } from './kernel';
import { deleteFromSwapCache, freeSwapCacheIfUnused, pteMapsFolio, putFolio, readPte, vpnsWithTables, writePte } from './memory';
import { PG_ACTIVE, PG_ANON, PG_DIRTY, PG_REFERENCED, PG_SWAPBACKED, PG_SWAPCACHE, PG_UNEVICTABLE } from './page-flags';
import { PTE_ACCESSED, PTE_DIRTY, PTE_SWAP } from './pte';
import type { Mapping } from './rmap';
import { SyscallError } from './syscalls';
import type { Vma } from './vma';

/** vma_is_anonymous: MADV_FREE works only on private anonymous memory (no vm_ops). */
export function isAnonymousVma(vma: Vma): boolean {
  return vma.inodeId === undefined && vma.special === undefined;
}

/**
 * madvise_free_pte_range over the pages [from, to) of one VMA: swap entries are released (the
 * data is not needed any more), and each folio this process alone may free becomes clean, old
 * and lazily freed.
 */
export function madviseFree(k: Kernel, task: Task, vma: Vma, from: number, to: number): void {
  if (!isAnonymousVma(vma)) throw new SyscallError('EINVAL', `MADV_FREE works only on private anonymous memory: 0x${vma.start.toString(16)}-0x${vma.end.toString(16)} is not`);
  // Per large folio met PTE-mapped: whether the range maps it whole, and whether each page once (folio_mapcount == 512).
  const batches = new Map<number, { readonly whole: boolean; readonly onceEach: boolean }>();
  for (const vpn of vpnsWithTables(task, from, to)) {
    const [flags, value] = readPte(task, vpn);
    if (!flags) continue;
    // madvise_free_huge_pmd: a THP other processes map too (a fork's) is left as it is: not cleaned, not lazily freed.
    const table = task.pt.table(vpn);
    if (table?.pmd === PMD_THP && maybeMappedShared(k, table.value[0]!)) continue;
    if (flags & PTE_SWAP) {
      // free_swap_and_cache_nr + clear_not_present_full_ptes: the slot is released, the PTE emptied.
      k.swap.release(value);
      task.rss.swapEnts--;
      freeSwapCacheIfUnused(k, value);
      writePte(k, task, vpn, 0, 0);
      continue;
    }
    if (!pteMapsFolio(flags) || !(k.phys.flags[value]! & PG_ANON)) continue;
    const pfn = value;
    // A PTE-mapped large folio still whole here (splitLargeFoliosForMadvise split the others it
    // could) is one batch: mapped in part, it is a shared one and left as it is.
    const head = table?.pmd === PMD_THP ? undefined : largeHead(k, pfn);
    let batch = head === undefined ? undefined : batches.get(head);
    if (head !== undefined && !batch) {
      const whole = ptesMapWholeFolio(task, head, vpn - (pfn - head), from, to);
      batches.set(head, (batch = { whole, onceEach: whole && mappedOnceEach(k, head) }));
    }
    if (batch && !batch.whole) continue;
    if (k.phys.flags[pfn]! & (PG_SWAPCACHE | PG_DIRTY)) {
      // Only a folio this process alone maps may drop its swap copy and its dirty bit
      // (folio_mapcount equal to folio_nr_pages: for a whole large folio, each page mapped once).
      if (batch ? !batch.onceEach : k.phys.mapcount.get(pfn) !== 1) continue;
      if (k.phys.flags[pfn]! & PG_SWAPCACHE && !folioFreeSwap(k, pfn)) continue;
      k.phys.flags[pfn]! &= ~PG_DIRTY;
    }
    // clear_young_dirty_ptes: old and clean, still writable.
    if (flags & (PTE_ACCESSED | PTE_DIRTY)) writePte(k, task, vpn, flags & ~(PTE_ACCESSED | PTE_DIRTY), pfn);
    folioMarkLazyfree(k, pfn);
  }
}

/** folio_mapcount(folio) == folio_nr_pages(folio): no page of the large folio is mapped twice. */
function mappedOnceEach(k: Kernel, head: number): boolean {
  for (let i = 0; i < HPAGE_PMD_NR; i++) if (k.phys.mapcount.get(head + i) !== 1) return false;
  return true;
}

/** folio_free_swap: the swap copy goes when no swap entry refers to the slot any more. */
function folioFreeSwap(k: Kernel, pfn: number): boolean {
  const slot = k.phys.swapSlot(pfn);
  if (slot < 0 || k.swap.count(slot) > 0) return false;
  deleteFromSwapCache(k, pfn);
  return true;
}

/** folio_mark_lazyfree → lru_lazyfree: off the swap-backed LRU onto the inactive file list, unreferenced. */
function folioMarkLazyfree(k: Kernel, pfn: number): void {
  const f = k.phys.flags[pfn]!;
  if (!(f & PG_SWAPBACKED) || f & (PG_SWAPCACHE | PG_UNEVICTABLE)) return;
  k.phys.lruChange(pfn, 0, PG_ACTIVE | PG_REFERENCED | PG_SWAPBACKED);
}

/** A lazily freed folio: anonymous but not swap-backed. */
export function isLazyfree(k: Kernel, pfn: number): boolean {
  return (k.phys.flags[pfn]! & (PG_ANON | PG_SWAPBACKED)) === PG_ANON;
}

/**
 * try_to_unmap_one's MADV_FREE check, mapping by mapping: a clean folio is discarded (the PTE
 * emptied, no swap I/O); a dirty PTE (a store since MADV_FREE) dirties the folio, which is then
 * swap-backed again and kept. True if the folio was freed.
 */
export function discardLazyfree(k: Kernel, pfn: number, mappings: readonly Mapping[]): boolean {
  for (const { task, vpn } of mappings) {
    const [flags] = readPte(task, vpn);
    if (flags & PTE_DIRTY) k.phys.flags[pfn]! |= PG_DIRTY;
    if (k.phys.flags[pfn]! & PG_DIRTY) {
      // "If the folio was redirtied, it cannot be discarded": it goes back to the anonymous LRU, activated.
      k.phys.lruChange(pfn, PG_SWAPBACKED | PG_ACTIVE);
      return false;
    }
    writePte(k, task, vpn, 0, 0);
    k.phys.mapcount.add(pfn, -1);
    removeLargeMapping(k, pfn, task.pid);
    task.rss.anon--;
    putFolio(k, pfn);
  }
  return true;
}
