import type { Kernel, Task } from './kernel';
import { pteMapsFolio } from './memory';
import { PG_ANON } from './page-flags';
import type { MmStruct } from './mm-struct';
import { PAGE_SHIFT, type Vma } from './vma';

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

/**
 * rmap_walk for one folio (rmap_walk_anon / rmap_walk_file), in the order buildReverseMap lists
 * them: an anonymous folio is mapped at its index (the virtual page it was made for) in any
 * process, or where a VMA that mremap moved has it, and a file folio at its index in each VMA of its file.
 */
export function folioMappings(k: Kernel, pfn: number): Mapping[] {
  const out: Mapping[] = [];
  const anon = (k.phys.flags[pfn]! & PG_ANON) !== 0;
  const index = k.phys.indexOf(pfn);
  const inode = k.phys.mapping[pfn]!;
  for (const task of k.liveTasks()) {
    if (anon) {
      if (mapsAt(task, index, pfn)) out.push({ task, vpn: index });
      // vma_address: in a VMA mremap moved, the page sits where the VMA's offset puts its index.
      for (const vma of movedAnonVmas(task)) {
        const vpn = Number(vma.start >> PAGE_SHIFT) + index - Number(vma.pgoff);
        if (vpn !== index && vpn >= Number(vma.start >> PAGE_SHIFT) && vpn < Number(vma.end >> PAGE_SHIFT) && mapsAt(task, vpn, pfn)) out.push({ task, vpn });
      }
      continue;
    }
    const vpns: number[] = [];
    for (const vma of task.mm.vmaList) {
      if (vma.inodeId !== inode) continue;
      const vpn = Number(vma.start >> PAGE_SHIFT) + index - Number(vma.pgoff);
      if (vpn >= Number(vma.start >> PAGE_SHIFT) && vpn < Number(vma.end >> PAGE_SHIFT) && mapsAt(task, vpn, pfn)) vpns.push(vpn);
    }
    if (vpns.length > 1) {
      // buildReverseMap's order: page tables as they were made, then entries within a table.
      const rank = new Map([...task.pt.pteTables.keys()].map((key, i) => [key, i]));
      vpns.sort((a, b) => rank.get(Math.floor(a / 512))! - rank.get(Math.floor(b / 512))! || a - b);
    }
    for (const vpn of vpns) out.push({ task, vpn });
  }
  return out;
}

/** The anonymous VMAs whose offset is not their address (mremap moved them), per mm and VMA generation. */
const movedCache = new WeakMap<MmStruct, { generation: number; moved: readonly Vma[] }>();

function movedAnonVmas(task: Task): readonly Vma[] {
  const mm = task.mm;
  const cached = movedCache.get(mm);
  if (cached && cached.generation === mm.generation) return cached.moved;
  const moved = mm.vmaList.filter((v) => v.inodeId === undefined && v.special === undefined && v.pgoff !== v.start >> PAGE_SHIFT);
  movedCache.set(mm, { generation: mm.generation, moved });
  return moved;
}

function mapsAt(task: Task, vpn: number, pfn: number): boolean {
  const table = task.pt.table(vpn);
  if (!table) return false;
  const flags = table.flags[vpn % 512]!;
  return flags !== 0 && pteMapsFolio(flags) && table.value[vpn % 512] === pfn;
}
