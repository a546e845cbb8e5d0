import type { Kernel } from '../mm/kernel';
import { PG_ACTIVE, PG_ALLOCATED, PG_ANON, PG_DIRTY, PG_KERNEL, PG_LRU, PG_REFERENCED, PG_SWAPBACKED, PG_SWAPCACHE, PG_ZERO } from '../mm/page-flags';
import { MAX_ORDER } from '../mm/buddy';
import { readPte } from '../mm/memory';
import { PTE_DIRTY } from '../mm/pte';
import { folioMappings } from '../mm/rmap';
import { mapsLine } from '../proc/maps';
import type { ScenarioState } from '../scenario/state';
import { hex, pageTableFrames } from './common';
import { FrameUse, type FrameDetail, type FrameOwner, type PhysicalView } from './view-models';

/** What a frame holds, from its page flags (and whether it is some task's page table). */
function frameUse(flags: number, isTable: boolean): FrameUse {
  if (!(flags & PG_ALLOCATED)) return FrameUse.Free;
  if (flags & PG_ZERO) return FrameUse.ZeroPage;
  if (flags & PG_KERNEL) return isTable ? FrameUse.PageTable : FrameUse.Kernel;
  if (flags & PG_ANON) return FrameUse.Anon;
  return flags & PG_SWAPBACKED ? FrameUse.Shmem : FrameUse.File;
}

/** Every frame's use, the buddy allocator's free lists (/proc/buddyinfo) and swap usage (/proc/swaps). */
export function physicalView(state: ScenarioState): PhysicalView {
  const k = state.kernel;
  const tables = pageTableFrames(k);
  // Frames above the arrays' cover are free (FrameUse.Free is 0).
  const uses = new Uint8Array(k.phys.frames);
  const flags = k.phys.flags;
  for (let pfn = 0; pfn < flags.length; pfn++) uses[pfn] = frameUse(flags[pfn]!, (flags[pfn]! & PG_KERNEL) !== 0 && tables.has(pfn));
  return {
    frames: k.phys.frames,
    uses,
    freeBlocks: k.phys.buddy.freeBlocksPerOrder,
    freeKb: k.phys.freePages * 4,
    swapTotalKb: k.swap.totalSlots * 4,
    swapUsedKb: k.swap.usedSlots * 4,
  };
}

/** One frame: what it holds and, through the reverse map, every PTE that maps it. */
export function frameDetail(state: ScenarioState, pfn: number): FrameDetail {
  const k = state.kernel;
  if (!Number.isInteger(pfn) || pfn < 0 || pfn >= k.phys.frames) return { pfn, use: FrameUse.Free, description: `no frame ${pfn}: the machine has ${k.phys.frames} frames`, owners: [] };
  const flags = pfn < k.phys.covered ? k.phys.flags[pfn]! : 0;
  const use = frameUse(flags, (flags & PG_KERNEL) !== 0 && pageTableFrames(k).has(pfn));
  const mappings = folioMappings(k, pfn);
  // A page written through a PTE is dirty there until reclaim or msync moves the bit to the folio.
  const dirtyPte = mappings.some(({ task, vpn }) => readPte(task, vpn)[0] & PTE_DIRTY);
  const owners: FrameOwner[] = mappings.map(({ task, vpn }) => {
    const address = BigInt(vpn) << 12n;
    const vma = task.mm.vmaAt(address);
    return { process: task.name, address: hex(address), mapsLine: vma ? mapsLine(task.mm, vma) : '' };
  });
  return { pfn, use, description: describeFrame(k, pfn, use, dirtyPte), owners };
}

function describeFrame(k: Kernel, pfn: number, use: FrameUse, dirtyPte: boolean): string {
  const p = k.phys;
  const flags = p.flags[pfn]!;
  const counts = `mapcount ${p.mapcount.get(pfn)}, refcount ${p.refcount.get(pfn)}`;
  const lru = flags & PG_LRU ? `, on ${p.lruListOf(pfn)}` : '';
  const bits = [flags & PG_DIRTY || dirtyPte ? 'dirty' : 'clean', ...(flags & PG_REFERENCED ? ['referenced'] : []), ...(flags & PG_ACTIVE ? ['active'] : [])].join(', ');
  const swapCache = flags & PG_SWAPCACHE ? `, in the swap cache (slot ${p.swapSlot(pfn)})` : '';
  switch (use) {
    case FrameUse.Free:
      return `free, in a buddy block of order ${freeBlockOrder(k, pfn) ?? '?'}`;
    case FrameUse.ZeroPage:
      return 'the shared zero page (ZERO_PAGE(0)): every read of untouched anonymous memory maps it';
    case FrameUse.PageTable:
      return `a page table of ${tableOwners(k, pfn).join(', ') || 'a process'} (kernel memory, never reclaimed)`;
    case FrameUse.Kernel:
      return 'reserved for the kernel itself';
    case FrameUse.Anon:
      return `anonymous page, ${counts}, ${bits}${swapCache}${lru}`;
    case FrameUse.Shmem:
    case FrameUse.File: {
      const inode = k.inodes.get(p.mapping[pfn]!);
      const what = use === FrameUse.Shmem ? 'shmem page' : 'page-cache page';
      return `${what} of ${inode?.path ?? 'a file'}, index ${p.indexOf(pfn)}, ${counts}, ${bits}${swapCache}${lru}`;
    }
  }
}

/** The free buddy block that contains a free frame, by its order (__find_buddy_pfn's view of the free lists). */
function freeBlockOrder(k: Kernel, pfn: number): number | undefined {
  for (let order = 0; order <= MAX_ORDER; order++) {
    const head = pfn - (pfn % (1 << order));
    if (k.phys.buddy.freeOrderAt(head) === order) return order;
  }
  return undefined;
}

/** Which tasks' page tables use a frame, with the level. */
function tableOwners(k: Kernel, pfn: number): string[] {
  const out: string[] = [];
  for (const task of k.tasks.values()) {
    const pt = task.pt;
    if (pt.pgdPfn === pfn) out.push(`${task.name} (PML4)`);
    for (const f of pt.pudTables.values()) if (f === pfn) out.push(`${task.name} (PDPT)`);
    for (const f of pt.pmdTables.values()) if (f === pfn) out.push(`${task.name} (page directory)`);
    for (const [key, t] of pt.pteTables) if (t.pfn === pfn) out.push(`${task.name} (PTE table for ${hex(BigInt(key) << 21n)})`);
  }
  return out;
}
