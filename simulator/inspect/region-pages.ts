import type { Kernel } from '../mm/kernel';
import { PTE_PROTNONE } from '../mm/memory';
import { PG_ANON, PG_DIRTY, PG_SWAPBACKED } from '../mm/page-flags';
import type { PteTable } from '../mm/page-table';
import { PTE_DIRTY, PTE_PRESENT, PTE_SPECIAL, PTE_SWAP, PTRS_PER_TABLE } from '../mm/pte';
import type { ScenarioState } from '../scenario/state';
import { hex, regionsOf, taskOf } from './common';
import { PageState, type RegionPages } from './view-models';

/**
 * The state and mapcount of every page of one VMA, for the pages grid. Walks
 * the leaf tables' typed arrays directly and skips absent 2 MiB tables in
 * bulk, so that a 4 GiB VMA (1M pages) takes milliseconds. The rule is
 * classifyPte's (page-state.ts), inlined here for speed.
 */
export function regionPages(state: ScenarioState, process: string, regionIndex: number): RegionPages | undefined {
  const task = taskOf(state, process);
  const vma = task ? regionsOf(task)[regionIndex] : undefined;
  if (!task || !vma) return undefined;
  const startVpn = Number(vma.start >> 12n);
  const count = Number((vma.end - vma.start) >> 12n);
  const states = new Uint8Array(count);
  const mapcounts = new Uint8Array(count);
  const hugePages: number[] = [];
  for (let vpn = startVpn; vpn < startVpn + count; ) {
    const key = Math.floor(vpn / PTRS_PER_TABLE);
    const base = key * PTRS_PER_TABLE;
    const tableEnd = Math.min(base + PTRS_PER_TABLE, startVpn + count);
    const table = task.pt.pteTables.get(key);
    if (table?.used) classifyTable(state.kernel, table, vpn - base, tableEnd - base, states, mapcounts, base - startVpn);
    // A PMD mapping lies inside one VMA (it is split otherwise), so all its 512 pages are here.
    if (table?.pmd && base >= startVpn) hugePages.push(base - startVpn);
    vpn = tableEnd;
  }
  return { start: hex(vma.start), count, states, mapcounts, ...(hugePages.length ? { hugePages } : {}) };
}

/** Entries [from, to) of one leaf table into states/mapcounts at index entry + shift. */
function classifyTable(k: Kernel, table: PteTable, from: number, to: number, states: Uint8Array, mapcounts: Uint8Array, shift: number): void {
  const pteFlags = table.flags;
  const values = table.value;
  const pageFlags = k.phys.flags;
  const mapcount = k.phys.mapcount;
  const swapCache = k.swap.cache;
  const swapCount = k.swap.counts;
  const zeroPfn = k.phys.zeroPfn;
  for (let i = from; i < to; i++) {
    const flags = pteFlags[i]!;
    if (!flags) continue;
    const value = values[i]!;
    const at = i + shift;
    if (flags & PTE_SWAP) {
      states[at] = swapCache[value]! >= 0 ? PageState.SwapCache : PageState.Swapped;
      mapcounts[at] = Math.min(255, swapCount[value]!);
    } else if (!(flags & (PTE_PRESENT | PTE_PROTNONE))) {
      continue;
    } else if (flags & PTE_SPECIAL) {
      if (value === zeroPfn) states[at] = PageState.ZeroPage;
    } else {
      const pf = pageFlags[value]!;
      const n = mapcount.get(value);
      mapcounts[at] = Math.min(255, n);
      if (pf & PG_ANON) states[at] = n > 1 ? PageState.AnonShared : PageState.AnonPrivate;
      else if (pf & PG_SWAPBACKED) states[at] = PageState.Shmem;
      else states[at] = flags & PTE_DIRTY || pf & PG_DIRTY ? PageState.FileDirty : PageState.FileClean;
    }
  }
}
