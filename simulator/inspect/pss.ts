import type { Kernel, Task } from '../mm/kernel';
import { pteMapsFolio } from '../mm/memory';

/** One page in Pss fixed point: 4096 << PSS_SHIFT (12). */
export const PAGE_PSS = 4096 * 4096;

/** smaps_account: a page with refcount 1 or mapcount < 2 counts as private, with all of its 4 kB. */
export const countsAsPrivate = (mapcount: number, refcount: number): boolean => refcount === 1 || mapcount < 2;

/** What one page adds to Pss, in fixed point. */
export const pageShare = (mapcount: number, refcount: number): number => (countsAsPrivate(mapcount, refcount) ? PAGE_PSS : Math.floor(PAGE_PSS / mapcount));

/**
 * A process's Pss in kB as smaps_rollup prints it: every PTE that maps a
 * folio adds its smaps_account share, summed in fixed point and shifted once.
 * One pass over the leaf tables with plain numbers (exact: shares are at most
 * 2^24 and the sum stays far below 2^53), so the timeline can afford it.
 */
export function processPssKb(k: Kernel, task: Task): number {
  const { mapcount, refcount } = k.phys;
  let pss = 0;
  for (const table of task.pt.pteTables.values()) {
    if (!table.used) continue;
    for (let i = 0; i < 512; i++) {
      const flags = table.flags[i]!;
      if (!flags || !pteMapsFolio(flags)) continue;
      const pfn = table.value[i]!;
      pss += pageShare(mapcount.get(pfn), refcount.get(pfn));
    }
  }
  return Math.floor(pss / 2 ** 22);
}
