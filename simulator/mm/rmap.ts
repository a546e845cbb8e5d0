import type { Kernel, Task } from './kernel';
import { pteMapsFolio } from './memory';

/** A PTE that maps a folio: who and where. */
export interface Mapping {
  readonly task: Task;
  readonly vpn: number;
}

/**
 * The reverse map (rmap_walk): for each folio, the PTEs that map it. Built by
 * scanning the live page tables once, for a reclaim pass.
 */
export function buildReverseMap(k: Kernel): Map<number, Mapping[]> {
  const rmap = new Map<number, Mapping[]>();
  for (const task of k.liveTasks()) {
    for (const [key, table] of task.pt.pteTables) {
      if (!table.used) continue;
      for (let i = 0; i < 512; i++) {
        const flags = table.flags[i]!;
        if (!flags || !pteMapsFolio(flags)) continue;
        const pfn = table.value[i]!;
        let list = rmap.get(pfn);
        if (!list) rmap.set(pfn, (list = []));
        list.push({ task, vpn: key * 512 + i });
      }
    }
  }
  return rmap;
}
