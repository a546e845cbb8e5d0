import type { Kernel } from '../mm/kernel';
import { PTE_PROTNONE } from '../mm/memory';
import { PG_ANON, PG_DIRTY, PG_SWAPBACKED } from '../mm/page-flags';
import { PTE_DIRTY, PTE_PRESENT, PTE_SPECIAL, PTE_SWAP } from '../mm/pte';
import { PageState } from './view-models';

/**
 * The state of one page from its PTE ([flags, value] as the simulator stores
 * it) and the frame's flags: the same distinctions smaps_pte_entry and
 * smaps_account make (zero page, swap entry, anon/file/shmem, dirty, shared).
 */
export function classifyPte(k: Kernel, flags: number, value: number): PageState {
  if (!flags) return PageState.NotPresent;
  if (flags & PTE_SWAP) return k.swap.cache[value]! >= 0 ? PageState.SwapCache : PageState.Swapped;
  if (!(flags & (PTE_PRESENT | PTE_PROTNONE))) return PageState.NotPresent;
  // vm_normal_page is NULL for special PTEs; the only special page user memory maps here is ZERO_PAGE(0).
  if (flags & PTE_SPECIAL) return value === k.phys.zeroPfn ? PageState.ZeroPage : PageState.NotPresent;
  const pageFlags = k.phys.flags[value]!;
  if (pageFlags & PG_ANON) return k.phys.mapcount.get(value) > 1 ? PageState.AnonShared : PageState.AnonPrivate;
  if (pageFlags & PG_SWAPBACKED) return PageState.Shmem;
  return flags & PTE_DIRTY || pageFlags & PG_DIRTY ? PageState.FileDirty : PageState.FileClean;
}

/** The mapcount byte of the pages grid: the frame's mapcount, or the swap count of a swap entry. */
export function mapcountOfPte(k: Kernel, flags: number, value: number): number {
  if (!flags) return 0;
  if (flags & PTE_SWAP) return k.swap.counts[value]!;
  if (flags & PTE_SPECIAL) return 0;
  return flags & (PTE_PRESENT | PTE_PROTNONE) ? k.phys.mapcount.get(value) : 0;
}

/** Whether a page in this state has a frame (the PTE's value is a PFN). */
export const hasFrame = (state: PageState): boolean => state !== PageState.NotPresent && state !== PageState.Swapped && state !== PageState.SwapCache;

/** Words for a page state, for tooltips and hovers. */
export function describeState(state: PageState, mapcount: number, slot?: number): string {
  switch (state) {
    case PageState.NotPresent:
      return 'not present: never touched, or unmapped';
    case PageState.ZeroPage:
      return 'the shared zero page (read-only; not counted in Rss)';
    case PageState.FileClean:
      return `file page, clean (mapcount ${mapcount})`;
    case PageState.FileDirty:
      return `file page, dirty (mapcount ${mapcount})`;
    case PageState.AnonPrivate:
      return 'anonymous, private (mapcount 1)';
    case PageState.AnonShared:
      return `anonymous, shared (mapcount ${mapcount}): copy-on-write until written`;
    case PageState.Shmem:
      return `shmem (shared anonymous), mapcount ${mapcount}`;
    case PageState.Swapped:
      return `swapped out to slot ${slot} (swap count ${mapcount})`;
    case PageState.SwapCache:
      return `swapped out to slot ${slot} (swap count ${mapcount}), its page still in the swap cache`;
  }
}
