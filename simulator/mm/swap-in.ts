import type { Kernel } from './kernel';
import { allocatePage } from './page-alloc';
import { lruAddDrain } from './lru-batch';
import { PG_SWAPBACKED, PG_SWAPCACHE, PG_UPTODATE } from './page-flags';
import { OWNER_ANON, OWNER_FILE } from './physical-memory';

/**
 * swapin_readahead for one slot (readahead of neighbours is not simulated):
 * a new folio read from the slot, added to the swap cache. Its refcount is 2:
 * the caller's and the swap cache's.
 */
export function swapInPage(k: Kernel, slot: number, mapping: number, index: number, anon: boolean): number {
  const pfn = allocatePage(k, anon ? OWNER_ANON : OWNER_FILE, mapping, index);
  if (!anon) k.phys.flags[pfn]! |= PG_SWAPBACKED;
  k.phys.flags[pfn]! |= PG_SWAPCACHE | PG_UPTODATE;
  k.phys.setSwapSlot(pfn, slot);
  k.phys.refcount.set(pfn, 2);
  k.swap.addToCache(slot, pfn);
  k.phys.lruAdd(pfn);
  // swap_cluster_readahead ends with lru_add_drain(): the folios read are on the LRU lists at once.
  lruAddDrain(k);
  return pfn;
}
