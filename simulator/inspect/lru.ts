import type { Kernel } from '../mm/kernel';
import { readPte } from '../mm/memory';
import { LRU_LISTS, PG_ANON, PG_DIRTY, PG_REFERENCED, PG_SWAPCACHE } from '../mm/page-flags';
import { PTE_ACCESSED, PTE_DIRTY } from '../mm/pte';
import { buildReverseMap, type Mapping } from '../mm/rmap';
import { vmaName } from '../proc/maps';
import type { ScenarioState } from '../scenario/state';
import { hex } from './common';
import type { LruPage, LruView } from './view-models';

/**
 * The LRU lists (lruvec), each from its head (the newest end, where
 * lruvec_add_folio puts folios) to its tail (where reclaim scans), truncated
 * to `limit` pages. young is what folio_referenced would find: a mapping PTE
 * with the accessed bit.
 */
export function lruView(state: ScenarioState, limit = 256): LruView {
  const k = state.kernel;
  const rmap = buildReverseMap(k);
  return {
    lists: LRU_LISTS.map((name, list) => {
      const pages: LruPage[] = [];
      for (let pfn = k.phys.lruHead[list]!; pfn >= 0 && pages.length < limit; pfn = k.phys.lruNext[pfn]!) pages.push(lruPage(k, pfn, rmap.get(pfn) ?? []));
      return { name, total: k.phys.lruCount[list]!, pages };
    }),
  };
}

function lruPage(k: Kernel, pfn: number, mappings: readonly Mapping[]): LruPage {
  const flags = k.phys.flags[pfn]!;
  const ptes = mappings.map(({ task, vpn }) => readPte(task, vpn)[0]);
  return {
    pfn,
    referenced: (flags & PG_REFERENCED) !== 0,
    young: ptes.some((f) => f & PTE_ACCESSED),
    dirty: (flags & PG_DIRTY) !== 0 || ptes.some((f) => f & PTE_DIRTY),
    owner: ownerText(k, pfn, mappings),
  };
}

/** "P 0x7ffff7ff0000 (buf)", "page cache of notes.txt, index 3", or "swap cache, slot 4". */
function ownerText(k: Kernel, pfn: number, mappings: readonly Mapping[]): string {
  const flags = k.phys.flags[pfn]!;
  if (flags & PG_ANON) {
    const first = mappings[0];
    if (!first) return flags & PG_SWAPCACHE ? `swap cache, slot ${k.phys.swapSlot(pfn)} (unmapped)` : 'anonymous, unmapped';
    const address = BigInt(first.vpn) << 12n;
    const vma = first.task.mm.vmaAt(address);
    const label = vma ? (vma.origin.region ?? vmaName(first.task.mm, vma)) : undefined;
    const more = mappings.length > 1 ? ` and ${mappings.length - 1} more` : '';
    return `${first.task.name} ${hex(address)}${label ? ` (${label})` : ''}${more}`;
  }
  const inode = k.inodes.get(k.phys.mapping[pfn]!);
  const name = inode ? (inode.shmem ? inode.path : (inode.path.split('/').at(-1) ?? inode.path)) : 'a file';
  return `${inode?.shmem ? 'shmem' : 'page cache'} of ${name}, index ${k.phys.indexOf(pfn)}`;
}
