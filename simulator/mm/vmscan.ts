import { workingsetEviction } from './workingset';
import { removeLargeMapping } from './folio-mm-ids';
import { lruAddDrain } from './lru-batch';
import type { Kernel } from './kernel';
import { deleteFromSwapCache, putFolio, readPte, writePte } from './memory';
import { PG_ACTIVE, PG_ANON, PG_DIRTY, PG_READAHEAD, PG_REFERENCED, PG_SWAPBACKED, PG_SWAPCACHE, type LruList } from './page-flags';
import { PTE_ACCESSED, PTE_DIRTY, PTE_SWAP, PTE_SWP_EXCLUSIVE } from './pte';
import { folioMappings, type Mapping } from './rmap';
import { hasRecency, VM_EXEC } from './vm-flags';
import { discardLazyfree } from './madvise-free';
import { cullMlockedFolio } from './mlock';

const SWAP_CLUSTER_MAX = 32;
const DEF_PRIORITY = 12;
/** vm.swappiness. */
const SWAPPINESS = 60;

interface Watermarks {
  readonly min: number;
  readonly low: number;
  readonly high: number;
}

/** The last machine size's watermarks: allocation asks for them on every page. */
let lastWatermarks = { frames: -1, marks: { min: 0, low: 0, high: 0 } as Watermarks };

/** Zone watermarks in pages (mm/page_alloc.c __setup_per_zone_wmarks, one zone). */
export function watermarks(k: Kernel): Watermarks {
  const managed = k.phys.frames;
  if (managed === lastWatermarks.frames) return lastWatermarks.marks;
  const kbytes = managed * 4;
  const minKb = Math.min(262144, Math.max(128, Math.floor(Math.sqrt(kbytes * 16))));
  const min = Math.floor(minKb / 4);
  const step = Math.max(Math.floor(min / 4), Math.floor((managed * 10) / 10000));
  lastWatermarks = { frames: managed, marks: { min, low: min + step, high: min + 2 * step } };
  return lastWatermarks.marks;
}

/** What reclaim did, for explanations. */
export interface ReclaimReport {
  freed: number;
  swappedOut: number;
  droppedFile: number;
  activated: number;
  rotated: number;
}

/** What reclaim did to one folio it scanned, for the panel's reclaim view. */
export interface ReclaimEvent {
  readonly pfn: number;
  /** The list the folio was scanned on. */
  readonly list: LruList;
  readonly action: 'rotated' | 'activated' | 'deactivated' | 'reclaimed' | 'swapped-out' | 'kept';
  readonly reason: string;
  /** The PTEs that mapped the folio when reclaim unmapped it (reclaimed and swapped-out only). */
  readonly unmapped?: readonly { readonly process: string; readonly vpn: number }[];
}

/** Events kept per statement: enough for any panel, bounded for huge reclaims. */
export const RECLAIM_TRACE_CAP = 10_000;

/**
 * The trace being recorded: undefined when none is, null while one is and has no event yet (a
 * statement without reclaim allocates nothing for it). Reclaim runs from deep inside page
 * allocation (kswapd, direct reclaim) as well as from `reclaim` and MADV_PAGEOUT, so the caller
 * scopes a trace around a whole statement instead of threading it through every allocation.
 */
let activeTrace: ReclaimEvent[] | null | undefined;

/** An outer trace, put back by endReclaimTrace. */
export type OuterTrace = ReclaimEvent[] | null | undefined;

/** Starts recording every reclaim decision (at most RECLAIM_TRACE_CAP); returns the trace it stands in for. */
export function beginReclaimTrace(): OuterTrace {
  const outer = activeTrace;
  activeTrace = null;
  return outer;
}

/** The events recorded since beginReclaimTrace (undefined if none); the outer trace records again. */
export function endReclaimTrace(outer: OuterTrace): ReclaimEvent[] | undefined {
  const events = activeTrace ?? undefined;
  activeTrace = outer;
  return events;
}

/** Records a reclaim decision in the statement's trace, if one is being recorded (workingset.ts records refaults). */
export function trace(pfn: number, list: LruList, action: ReclaimEvent['action'], reason: string, mappings?: readonly Mapping[]): void {
  if (activeTrace === undefined) return;
  activeTrace ??= [];
  if (activeTrace.length >= RECLAIM_TRACE_CAP) return;
  activeTrace.push(mappings ? { pfn, list, action, reason, unmapped: mappings.map(({ task, vpn }) => ({ process: task.name, vpn })) } : { pfn, list, action, reason });
}

/** The PTEs mapping a folio, looked up as reclaim reaches it. */
interface ReverseMap {
  get(pfn: number): readonly Mapping[] | undefined;
}

const emptyReport = (): ReclaimReport => ({ freed: 0, swappedOut: 0, droppedFile: 0, activated: 0, rotated: 0 });

/**
 * After an allocation: below the low watermark, kswapd is woken and reclaims up to the high one
 * (wakeup_kswapd, balance_pgdat); `protect` is a frame being handed out right now.
 */
export function wakeKswapdIfLow(k: Kernel, protect?: number): void {
  const { low, high } = watermarks(k);
  if (k.phys.freePages < low) kswapdReclaim(k, high - k.phys.freePages, protect);
}

/** kswapd (or direct reclaim) freeing `target` pages; `protect` is a frame being handed out right now. */
export function kswapdReclaim(k: Kernel, target: number, protect?: number): ReclaimReport {
  return shrinkNode(k, target, false, protect);
}

/** `reclaim SIZE`: like memory.reclaim of the scenario's cgroup, rounds of reclaim until `pages` are freed or 16 rounds free nothing. */
export function reclaimPages(k: Kernel, pages: number): ReclaimReport {
  const total = emptyReport();
  for (let retries = 16; total.freed < pages && retries > 0; ) {
    const round = shrinkNode(k, pages - total.freed, true);
    for (const key of Object.keys(total) as (keyof ReclaimReport)[]) total[key] += round[key];
    if (!round.freed) retries--;
  }
  return total;
}

/**
 * shrink_node → shrink_lruvec with the classic active/inactive lists, at
 * falling priorities (DEF_PRIORITY down to 0) until enough is freed. Each
 * round scans size >> priority folios of each list, split between anon and
 * file by swappiness (get_scan_count, SCAN_FRACT: 60 to 140); the active
 * lists are only deactivated when their inactive list is smaller. `cgroup`: the scenario's memory
 * cgroup is the reclaim's target (memory.reclaim), else none is (kswapd, direct reclaim).
 */
function shrinkNode(k: Kernel, target: number, cgroup: boolean, protect?: number): ReclaimReport {
  // shrink_active_list / shrink_inactive_list: lru_add_drain() first.
  lruAddDrain(k);
  const report = emptyReport();
  if (target <= 0) return report;
  for (let priority = DEF_PRIORITY; priority >= 0 && report.freed < target; priority--) {
    const canSwap = k.swap.usedSlots < k.swap.totalSlots;
    const nr = {
      inactive_anon: canSwap ? Math.floor(((k.phys.lruSize('inactive_anon') >> priority) * SWAPPINESS) / 200) : 0,
      active_anon: canSwap ? Math.floor(((k.phys.lruSize('active_anon') >> priority) * SWAPPINESS) / 200) : 0,
      inactive_file: canSwap ? Math.floor(((k.phys.lruSize('inactive_file') >> priority) * (200 - SWAPPINESS)) / 200) : k.phys.lruSize('inactive_file') >> priority,
      active_file: canSwap ? Math.floor(((k.phys.lruSize('active_file') >> priority) * (200 - SWAPPINESS)) / 200) : k.phys.lruSize('active_file') >> priority,
    };
    while (report.freed < target && (nr.inactive_anon || nr.active_file || nr.inactive_file)) {
      // Each folio's PTEs are found when it is scanned (rmap_walk), not by a walk of every page table.
      const rmap = { get: (pfn: number) => folioMappings(k, pfn) };
      for (const list of ['inactive_anon', 'active_anon', 'inactive_file', 'active_file'] as const) {
        const batch = Math.min(nr[list], SWAP_CLUSTER_MAX);
        if (!batch) continue;
        nr[list] -= batch;
        if (list === 'active_anon' || list === 'active_file') {
          const inactive = list === 'active_anon' ? 'inactive_anon' : 'inactive_file';
          if (k.phys.lruSize(inactive) < k.phys.lruSize(list)) shrinkActiveList(k, list, batch, rmap);
        } else {
          shrinkInactiveList(k, list, batch, rmap, false, report, cgroup, protect);
        }
      }
    }
  }
  return report;
}

/** folio_referenced: count and clear the accessed bits of the PTEs mapping a folio. */
function referencedPtes(k: Kernel, mappings: readonly Mapping[]): { count: number; exec: boolean } {
  let count = 0;
  let exec = false;
  for (const { task, vpn } of mappings) {
    const vmaFlags = task.mm.vmaAt(BigInt(vpn) << 12n)?.flags ?? 0;
    // invalid_folio_referenced_vma: a mapping without recency (MADV_RANDOM, MADV_SEQUENTIAL) is left out of the walk.
    if (!hasRecency(vmaFlags)) continue;
    const [flags, value] = readPte(task, vpn);
    if (flags & PTE_ACCESSED) {
      count++;
      writePte(k, task, vpn, flags & ~PTE_ACCESSED, value);
    }
    if (vmaFlags & VM_EXEC) exec = true;
  }
  return { count, exec };
}

/** shrink_active_list: executable file pages that were used stay active; the rest are deactivated. */
function shrinkActiveList(k: Kernel, list: 'active_file' | 'active_anon', count: number, rmap: ReverseMap): void {
  for (const pfn of k.phys.lruOldestFirst(list, count)) {
    const { count: young, exec } = referencedPtes(k, rmap.get(pfn) ?? []);
    if (young && exec && list === 'active_file') {
      trace(pfn, list, 'rotated', 'an executable file page that was used: it stays active');
      k.phys.lruChange(pfn);
      continue;
    }
    trace(pfn, list, 'deactivated', young ? 'used, but only executable file pages stay active: moved to the inactive list' : 'not used since the last scan: moved to the inactive list');
    k.phys.lruChange(pfn, 0, PG_ACTIVE | PG_REFERENCED);
  }
}

/** shrink_inactive_list → shrink_folio_list over the oldest `count` folios. */
function shrinkInactiveList(k: Kernel, list: 'inactive_file' | 'inactive_anon', count: number, rmap: ReverseMap, ignoreReferences: boolean, report: ReclaimReport, cgroup: boolean, protect?: number): void {
  for (const pfn of k.phys.lruOldestFirst(list, count)) {
    if (pfn === protect) {
      trace(pfn, list, 'kept', 'the frame being allocated right now');
      continue;
    }
    reclaimFolio(k, pfn, rmap.get(pfn) ?? [], ignoreReferences, report, cgroup);
  }
}

/**
 * One folio through shrink_folio_list: folio_check_references decides
 * activate / keep / reclaim; reclaim unmaps it and swaps out anonymous
 * (and shmem) pages, or drops clean file pages. Dirty file pages stay. `cgroup`: the reclaim targets
 * the scenario's memory cgroup (a dropped page's shadow entry is that cgroup's, not the root's).
 */
export function reclaimFolio(k: Kernel, pfn: number, mappings: readonly Mapping[], ignoreReferences: boolean, report: ReclaimReport, cgroup = false): void {
  const flags = k.phys.flags[pfn]!;
  const swapBacked = (flags & PG_SWAPBACKED) !== 0;
  const list = k.phys.lruListOf(pfn);
  // folio_referenced_one / try_to_unmap_one: a folio a VM_LOCKED VMA maps goes to the unevictable list.
  if (cullMlockedFolio(k, pfn, mappings)) {
    trace(pfn, list, 'kept', 'mapped in a locked (mlock) VMA: moved to the unevictable list');
    return;
  }
  if (!ignoreReferences) {
    const { count, exec } = referencedPtes(k, mappings);
    const referencedFolio = (flags & PG_REFERENCED) !== 0;
    k.phys.flags[pfn] = flags & ~PG_REFERENCED;
    if (count) {
      k.phys.flags[pfn]! |= PG_REFERENCED;
      if (referencedFolio || count > 1 || (exec && !swapBacked)) {
        trace(pfn, list, 'activated', referencedFolio ? 'used again after an earlier scan found it used (PG_referenced): activated' : count > 1 ? `${count} PTEs had the accessed bit: activated` : 'a used executable file page: activated');
        k.phys.lruChange(pfn, PG_ACTIVE);
        report.activated++;
      } else {
        trace(pfn, list, 'kept', 'the accessed bit was set: PG_referenced is set and it gets another trip around the inactive list');
        k.phys.lruChange(pfn);
        report.rotated++;
      }
      return;
    }
  }
  if (flags & PG_ANON && !swapBacked) {
    // A lazily freed folio (MADV_FREE) needs no swap slot: clean, it is dropped; written again, it stays.
    const dropped = discardLazyfree(k, pfn, mappings);
    trace(pfn, list, dropped ? 'reclaimed' : 'activated', dropped ? 'a lazily freed (MADV_FREE) page, still clean: dropped without swap I/O' : 'a lazily freed (MADV_FREE) page written since: swap-backed again and activated', mappings);
    if (dropped) report.freed++;
    else report.activated++;
    return;
  }
  let dirty = (k.phys.flags[pfn]! & PG_DIRTY) !== 0 || mappings.some(({ task, vpn }) => (readPte(task, vpn)[0] & PTE_DIRTY) !== 0);
  if (!swapBacked && dirty) {
    // shrink_folio_list: try_to_unmap comes before the dirty check; a dirty file folio is then
    // only tagged PG_reclaim (the bit of PG_readahead) and activated: the flusher writes it back.
    trace(pfn, list, 'activated', 'a dirty file page: unmapped, but only the flusher writes it back, so it stays in the page cache (PG_reclaim) and is activated', mappings);
    tryToUnmap(k, pfn, mappings, -1);
    k.phys.lruChange(pfn, PG_DIRTY | PG_READAHEAD | PG_ACTIVE);
    report.activated++;
    return;
  }
  if (swapBacked && !(flags & PG_ANON) && !dirty) {
    // shrink_folio_list: a clean shmem folio (a hole read, never written) needs no pageout():
    // __remove_mapping drops it and the hole reads as zeroes again.
    trace(pfn, list, 'reclaimed', 'a clean shmem page (never written): dropped without I/O, the hole reads as zeroes again', mappings);
    tryToUnmap(k, pfn, mappings, -1);
    removeFromPageCache(k, pfn);
    report.droppedFile++;
    report.freed++;
    return;
  }
  let slot = k.phys.swapSlot(pfn);
  if (swapBacked && slot < 0) {
    const allocated = k.swap.allocate(pfn);
    if (allocated === undefined) {
      trace(pfn, list, 'activated', 'no free swap slot: activated');
      k.phys.lruChange(pfn, PG_ACTIVE);
      report.activated++;
      return;
    }
    slot = allocated;
    k.phys.setSwapSlot(pfn, slot);
    k.phys.flags[pfn]! |= PG_SWAPCACHE;
    k.phys.refcount.add(pfn, 1);
    dirty = true;
  }
  if (activeTrace !== undefined) {
    const why = ignoreReferences ? 'MADV_PAGEOUT' : 'not used since the last scan';
    if (swapBacked) trace(pfn, list, 'swapped-out', `${why}: ${dirty ? `written to swap slot ${slot}` : `its copy in swap slot ${slot} is still valid (no write)`}; the PTEs become swap entries`, mappings);
    else trace(pfn, list, 'reclaimed', `${why}: a clean file page, dropped from the page cache without I/O`, mappings);
  }
  tryToUnmap(k, pfn, mappings, slot);
  if (swapBacked && !(flags & PG_ANON)) moveShmemToSwap(k, pfn, slot);
  if (swapBacked) {
    if (dirty) report.swappedOut++;
    k.phys.flags[pfn]! &= ~PG_DIRTY;
    deleteFromSwapCache(k, pfn);
  } else {
    removeFromPageCache(k, pfn, cgroup);
    report.droppedFile++;
  }
  report.freed++;
}

/** try_to_unmap: file PTEs are cleared, anonymous ones become swap entries. */
function tryToUnmap(k: Kernel, pfn: number, mappings: readonly Mapping[], slot: number): void {
  const anon = (k.phys.flags[pfn]! & PG_ANON) !== 0;
  const exclusive = mappings.length === 1;
  for (const { task, vpn } of mappings) {
    k.phys.mapcount.add(pfn, -1);
    removeLargeMapping(k, pfn, task.pid);
    if (anon) {
      k.swap.duplicate(slot);
      task.rss.anon--;
      task.rss.swapEnts++;
      writePte(k, task, vpn, PTE_SWAP | (exclusive ? PTE_SWP_EXCLUSIVE : 0), slot);
    } else {
      task.rss[k.phys.flags[pfn]! & PG_SWAPBACKED ? 'shmem' : 'file']--;
      writePte(k, task, vpn, 0, 0);
    }
    putFolio(k, pfn);
  }
}

function moveShmemToSwap(k: Kernel, pfn: number, slot: number): void {
  const inode = k.inodes.get(k.phys.mapping[pfn]!);
  if (!inode) return;
  const index = k.phys.indexOf(pfn);
  inode.cache.delete(index);
  inode.swapped.set(index, slot);
  k.swap.duplicate(slot);
  putFolio(k, pfn);
}

/** __remove_mapping for a clean page-cache folio; a file page (not shmem) leaves its shadow entry. */
function removeFromPageCache(k: Kernel, pfn: number, cgroup = false): void {
  const inode = k.inodes.get(k.phys.mapping[pfn]!);
  const index = k.phys.indexOf(pfn);
  if (inode && !inode.shmem) workingsetEviction(k, inode, index, cgroup);
  inode?.cache.delete(index);
  putFolio(k, pfn);
}
