import { OutOfMemory, type Kernel } from './kernel';
import { PG_SWAPBACKED } from './page-flags';
import { OWNER_ANON, OWNER_FILE } from './physical-memory';
import { kswapdReclaim, wakeKswapdIfLow, watermarks } from './vmscan';
import { batchNewFolio } from './lru-batch';

/**
 * alloc_pages for a user page: take a free frame; below the low watermark
 * kswapd reclaims up to the high one; with nothing free, direct reclaim, and
 * if that frees nothing the caller must run the OOM killer. The page's index is index + offset
 * (PhysicalMemory.allocate).
 */
export function allocatePage(k: Kernel, kind: number, mapping: number, index: number, offset = 0): number {
  let pfn = k.phys.allocate(kind, mapping, index, 0, 0, offset);
  if (pfn === undefined) {
    kswapdReclaim(k, watermarks(k).high - k.phys.freePages);
    pfn = k.phys.allocate(kind, mapping, index, 0, 0, offset);
    if (pfn === undefined) throw new OutOfMemory();
  }
  wakeKswapdIfLow(k, pfn);
  return pfn;
}

/** A new anonymous folio for page vpn + offset, on the inactive anon list (folio_add_lru_vma). */
export function newAnonFolio(k: Kernel, anonVma: number, vpn: number, offset = 0): number {
  const pfn = allocatePage(k, OWNER_ANON, anonVma, vpn, offset);
  k.phys.lruAdd(pfn);
  batchNewFolio(k, pfn);
  return pfn;
}

/** A new page-cache folio for page `index` of an inode; shmem folios are swap-backed and live on the anon lists. */
export function newCacheFolio(k: Kernel, inodeId: number, index: number, shmem: boolean): number {
  const pfn = allocatePage(k, OWNER_FILE, inodeId, index);
  if (shmem) k.phys.flags[pfn]! |= PG_SWAPBACKED;
  k.phys.refcount.set(pfn, 1);
  k.phys.lruAdd(pfn);
  batchNewFolio(k, pfn);
  return pfn;
}
