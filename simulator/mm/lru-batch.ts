// This CPU's folio batches (mm/swap.c, mm/mlock.c): a new folio waits in cpu_fbatches.lru_add before it
// is on an LRU list, and mlock_folio/munlock_folio queue requests in mlock_fbatch; each entry holds a
// folio reference until the batch is drained, when it fills (31 entries) or takes a large folio, or at
// an lru_add_drain() (madvise cold/pageout/free, mlock/munlock, reclaim, swap-in, and a write fault on a
// folio not on an LRU list yet; not fork, munmap or exit, checked on this kernel). A new folio in a
// VM_LOCKED VMA goes to the mlock batch instead of the lru_add one (mlock_new_folio), and it too is on
// no LRU list until the batch drains. The one place the simulator sees them is where the kernel
// counts references: do_wp_page does not reuse a folio a pending munlock still holds, it copies it
// (checked on this kernel: after munmap of mlocked pages a fork child shares, the child's stores
// copy every one, unless another madvise drained the batch first). A folio folio_activate moves waits in
// cpu_fbatches.activate, off its list, and becomes active when that batch drains.
import type { Kernel } from './kernel';
import { PG_ACTIVE, PG_LRU, PG_UNEVICTABLE } from './page-flags';

/** folio_add_lru: a new folio waits in the lru_add batch (a large one moves the batch at once). */
export function batchNewFolio(k: Kernel, pfn: number, large = false): void {
  if (large) k.phys.lruAddBatch.clear();
  else k.phys.lruAddBatch.add(pfn);
}

/**
 * mlock_folio / munlock_folio / mlock_new_folio: a request queued with a reference. An mlock of a folio
 * still waiting in the lru_add batch is mlock_new_folio's: the folio moves to the mlock batch as new.
 */
export function batchMlock(k: Kernel, pfn: number, mlock = false): void {
  if (mlock && k.phys.lruAddBatch.length && k.phys.lruAddBatch.occurrences(pfn)) {
    k.phys.lruAddBatch.removeEvery(pfn);
    k.phys.mlockBatch.addNew(pfn);
  } else k.phys.mlockBatch.add(pfn);
}

/** lru_add_drain (with mlock_drain_local): the batches are emptied, their references dropped. */
export function lruAddDrain(k: Kernel): void {
  k.phys.lruAddBatch.clear();
  k.phys.mlockBatch.clear();
  if (k.phys.activateBatch.length) drainActivations(k);
}

/**
 * folio_activate of a folio on an LRU list: it leaves the list (PG_lru cleared) for this CPU's activate
 * batch and becomes active only when the batch drains (on its 31st entry, or at an lru_add_drain). Until
 * then an access mark finds it neither active nor on a list, and only clears PG_referenced.
 */
export function batchActivate(k: Kernel, pfn: number): void {
  if (k.phys.activateBatch.addUntilFull(pfn)) drainActivations(k);
}

/** Whether the folio waits in the activate batch. */
export function activationPending(k: Kernel, pfn: number): boolean {
  return k.phys.activateBatch.length > 0 && k.phys.activateBatch.occurrences(pfn) > 0;
}

/** folio_activate_fn for each folio of the activate batch: onto the active list, unless it became unevictable meanwhile. */
function drainActivations(k: Kernel): void {
  const batch = k.phys.activateBatch;
  for (let i = 0; i < batch.length; i++) {
    const pfn = batch.at(i);
    const flags = k.phys.flags[pfn]!;
    if (!(flags & (PG_ACTIVE | PG_UNEVICTABLE)) && flags & PG_LRU) k.phys.lruChange(pfn, PG_ACTIVE);
  }
  batch.clear();
}

/** The references the pending mlock requests hold on a folio. */
export function pendingMlocks(k: Kernel, pfn: number): number {
  return k.phys.mlockBatch.occurrences(pfn);
}

/**
 * The references wp_can_reuse_anon_folio counts besides the mappings' own, after its
 * "if (!folio_test_lru(folio)) lru_add_drain()": a folio still new in either batch drains both
 * (then there are none); on an LRU list, every pending mlock request holds one.
 */
export function batchReferences(k: Kernel, pfn: number): number {
  if (k.phys.lruAddBatch.occurrences(pfn) || (k.phys.mlockBatch.length && k.phys.mlockBatch.hasNew(pfn))) {
    lruAddDrain(k);
    return 0;
  }
  return k.phys.mlockBatch.length ? pendingMlocks(k, pfn) : 0;
}
