import type { Kernel, Task } from './kernel';
import { pteMapsFolio } from './memory';
import { PG_ANON } from './page-flags';
import type { MmStruct } from './mm-struct';
import { PAGE_SHIFT, vmaPageCount, type Vma } from './vma';
import { upperBound } from './sorted';

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
    const file = fileVmas(task, inode);
    // The VMAs whose file range holds the index: the last to start at or below it, and those before it
    // that reach past it (the running maximum of their ends says when none can).
    for (let j = lastAtOrBelow(file.firstPages, index); j >= 0 && file.maxEnds[j]! > index; j--) {
      if (file.ends[j]! <= index) continue;
      const vpn = file.startVpns[j]! + index - file.firstPages[j]!;
      if (mapsAt(task, vpn, pfn)) vpns.push(vpn);
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

/**
 * An mm's file VMAs of one inode, sorted by the first file page they map: the i_mmap interval tree
 * that rmap_walk_file searches, rebuilt when the VMAs change. (Each folio reclaimed walked every VMA
 * of every process: 8,000 VMAs of one file and 32 MiB reclaimed took 20 s.)
 */
interface FileVmas {
  /** vm_pgoff: the file page each VMA maps first. */
  readonly firstPages: Float64Array;
  /** The file page after each VMA's last. */
  readonly ends: Float64Array;
  /** The largest of ends[0..j]. */
  readonly maxEnds: Float64Array;
  readonly startVpns: Float64Array;
}

const fileVmaCache = new WeakMap<MmStruct, { generation: number; byInode: Map<number, FileVmas> }>();
const NO_FILE_VMAS: FileVmas = { firstPages: new Float64Array(0), ends: new Float64Array(0), maxEnds: new Float64Array(0), startVpns: new Float64Array(0) };

function fileVmas(task: Task, inode: number): FileVmas {
  const mm = task.mm;
  let cached = fileVmaCache.get(mm);
  if (!cached || cached.generation !== mm.generation) {
    const lists = new Map<number, Vma[]>();
    for (const vma of mm.eachVma) {
      if (vma.inodeId === undefined) continue;
      const list = lists.get(vma.inodeId);
      if (list) list.push(vma);
      else lists.set(vma.inodeId, [vma]);
    }
    const byInode = new Map<number, FileVmas>();
    for (const [id, list] of lists) byInode.set(id, indexFileVmas(list));
    cached = { generation: mm.generation, byInode };
    fileVmaCache.set(mm, cached);
  }
  return cached.byInode.get(inode) ?? NO_FILE_VMAS;
}

function indexFileVmas(list: Vma[]): FileVmas {
  const sorted = list.map((vma) => ({ first: Number(vma.pgoff), pages: vmaPageCount(vma), startVpn: Number(vma.start >> PAGE_SHIFT) })).sort((a, b) => a.first - b.first);
  const n = sorted.length;
  const out = { firstPages: new Float64Array(n), ends: new Float64Array(n), maxEnds: new Float64Array(n), startVpns: new Float64Array(n) };
  let max = -1;
  sorted.forEach((v, j) => {
    out.firstPages[j] = v.first;
    out.ends[j] = v.first + v.pages;
    max = Math.max(max, v.first + v.pages);
    out.maxEnds[j] = max;
    out.startVpns[j] = v.startVpn;
  });
  return out;
}

/** The last j with values[j] <= x in a sorted array, or -1. */
const lastAtOrBelow = (values: Float64Array, x: number): number => upperBound(values, x) - 1;

function mapsAt(task: Task, vpn: number, pfn: number): boolean {
  const table = task.pt.table(vpn);
  if (!table) return false;
  const flags = table.flags[vpn % 512]!;
  return flags !== 0 && pteMapsFolio(flags) && table.value[vpn % 512] === pfn;
}
