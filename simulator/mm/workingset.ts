// mm/workingset.c (the classic LRU's refault detection). Reclaim that drops a clean page-cache page
// leaves a shadow entry at its index: the nonresident age of the lruvec it was evicted from, which
// grows by a page at each eviction and each activation. When the page is read into the page cache
// again (a refault), the distance from that age to the current one says how much memory it would
// have needed to stay; no more than the workingset (that lruvec's active file list, and its anonymous
// lists while swap has room) and the new folio starts active (workingset_refault → folio_set_active).
//
// Whose lruvec: reclaim aimed at the scenario's memory cgroup (`reclaim`, memory.reclaim) records
// the eviction in the cgroup's, whose lists are the simulated ones. MADV_PAGEOUT and kswapd reclaim
// for no cgroup, so the eviction goes to the root cgroup's lruvec, whose workingset is all of the
// host's memory: such a page always comes back active (checked on Linux 6.18 with kpageflags and the
// oracle: after MADV_PAGEOUT of 8 to 256 pages of a file and a read of them, every one is PG_active;
// pages read for the first time are not).
import type { Inode, Kernel } from './kernel';
import { PG_ACTIVE } from './page-flags';
import { trace } from './vmscan';

/** The shadow entry of a page the root cgroup's reclaim evicted (MADV_PAGEOUT, kswapd). */
const ROOT_EVICTION = -1;

/** workingset_age_nonresident of the scenario's cgroup: its evictions and activations advance the age. */
export function ageNonresident(k: Kernel, pages: number): void {
  k.nonresidentAge += pages;
}

/** workingset_eviction, for a clean page-cache page reclaim drops (__remove_mapping with reclaimed): its shadow entry. */
export function workingsetEviction(k: Kernel, inode: Inode, index: number, cgroup: boolean): void {
  (inode.shadows ??= new Map()).set(index, cgroup ? k.nonresidentAge : ROOT_EVICTION);
  if (cgroup) ageNonresident(k, 1);
}

/**
 * workingset_refault for the folio of `pages` frames from `head` just added to the page cache at `index`
 * (filemap_add_folio finds the shadow where it stores the folio): active if it comes back within the
 * workingset's size. Any shadow in its range is replaced.
 */
export function workingsetRefault(k: Kernel, inode: Inode, index: number, head: number, pages = 1): void {
  const shadows = inode.shadows;
  if (!shadows?.size) return;
  const eviction = shadows.get(index);
  for (let i = 0; i < pages; i++) shadows.delete(index + i);
  if (eviction === undefined) return;
  const distance = k.nonresidentAge - eviction;
  const size = eviction === ROOT_EVICTION ? Infinity : cgroupWorkingset(k);
  if (distance > size) return;
  const why =
    eviction === ROOT_EVICTION
      ? 'read again after MADV_PAGEOUT or kswapd dropped it: that reclaim was for the root cgroup, whose workingset is the host\'s memory, so it comes back on the active list (workingset_refault)'
      : `read again ${distance} evictions and activations after \`reclaim\` dropped it, within the cgroup's workingset of ${size} pages: it comes back on the active list (workingset_refault)`;
  for (let i = 0; i < pages; i++) {
    k.phys.lruChange(head + i, PG_ACTIVE);
    trace(head + i, 'active_file', 'activated', why);
  }
  ageNonresident(k, pages);
}

/** workingset_test_recent's size for a file refault in the scenario's cgroup: NR_ACTIVE_FILE, and the anonymous lists while swap has free slots. */
function cgroupWorkingset(k: Kernel): number {
  const anon = k.swap.totalSlots > k.swap.usedSlots ? k.phys.lruSize('active_anon') + k.phys.lruSize('inactive_anon') : 0;
  return k.phys.lruSize('active_file') + anon;
}
