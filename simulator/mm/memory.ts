import { ageNonresident } from './workingset';
import { chargeRss, rssPages, type Kernel, type Task } from './kernel';
import { PG_ACTIVE, PG_ANON, PG_LARGE, PG_LRU, PG_MLOCKED, PG_REFERENCED, PG_SWAPCACHE, PG_UNEVICTABLE } from './page-flags';
import { addLargeMapping, removeLargeMapping } from './folio-mm-ids';
import { munlockFolio } from './mlock';
import { activationPending, batchActivate, pendingMlocks } from './lru-batch';
import { fileFolioHead, folioFrames, markFolioDirty } from './file-folio';
import { PTE_ACCESSED, PTE_DIRTY, PTE_NX, PTE_PRESENT, PTE_RW, PTE_SPECIAL, PTE_SWAP, PTE_USER } from './pte';
import { HPAGE_PMD_NR } from './huge-memory';
import { hasRecency, VM_EXEC, VM_LOCKED, VM_READ, VM_SHARED, VM_WRITE } from './vm-flags';
import { vpnOf, type Vma } from './vma';
import type { PteTable } from './page-table';

export { vpnOf };

/** _PAGE_PROTNONE (bit 8 when P is clear): mapped but inaccessible (PROT_NONE). */
export const PTE_PROTNONE = 0x100;

/** vm_get_page_prot: the PTE bits a fresh mapping of this VMA gets (x86 protection_map includes A). */
export function basePteFlags(vma: Vma): number {
  if (!(vma.flags & (VM_READ | VM_WRITE | VM_EXEC))) return PTE_PROTNONE | PTE_ACCESSED | PTE_USER;
  let flags = PTE_PRESENT | PTE_USER | PTE_ACCESSED;
  // vma_set_page_prot: with write notification (vma_wants_writenotify) the first write must fault.
  if (vma.flags & VM_WRITE && vma.flags & VM_SHARED && !vma.writeNotify) flags |= PTE_RW;
  if (!(vma.flags & VM_EXEC)) flags |= PTE_NX;
  return flags;
}

export const addrOf = (vpn: number): bigint => BigInt(vpn) << 12n;

/** The PTE of a virtual page: [flags, value], or [0, 0] for pte_none. */
export function readPte(task: Task, vpn: number): [number, number] {
  const t = task.pt.table(vpn);
  if (!t) return [0, 0];
  const i = vpn % 512;
  return [t.flags[i]!, t.value[i]!];
}

export function writePte(k: Kernel, task: Task, vpn: number, flags: number, value: number): void {
  setPte(k, tableToWrite(k, task, vpn), vpn % 512, flags, value);
}

/** The leaf table of vpn to change: this page table's own (copied first if shared), allocated if missing. */
export function tableToWrite(k: Kernel, task: Task, vpn: number): PteTable {
  return task.pt.writableTable(vpn) ?? task.pt.ensureTable(vpn, k);
}

/**
 * Entry `i` of a table this page table may change. Loops over many pages work table by table with it:
 * a page number near 2^35 is a double, which V8 boxes (allocates) for every call it does not inline.
 */
export function setPte(k: Kernel, t: PteTable, i: number, flags: number, value: number): void {
  // A PTE of a PMD-mapped THP changed one at a time: huge-memory.ts settles whether the PMD stays whole.
  if (t.pmd) k.thpTouched = t.pmdTouched = true;
  const wasUsed = t.flags[i] !== 0;
  t.flags[i] = flags;
  t.value[i] = value;
  if (wasUsed && !flags) t.used--;
  else if (!wasUsed && flags) t.used++;
}

/** A present PTE maps a countable folio (vm_normal_page is not NULL). */
export function pteMapsFolio(flags: number): boolean {
  return (flags & (PTE_PRESENT | PTE_PROTNONE)) !== 0 && !(flags & PTE_SPECIAL);
}

/** Maps a folio at vpn: one more mapping and reference (folio_add_*_rmap + folio_get). */
export function mapFolio(k: Kernel, task: Task, vpn: number, pfn: number, pteFlags: number, takeReference = true): void {
  mapFolioAt(k, task, tableToWrite(k, task, vpn), vpn % 512, pfn, pteFlags, takeReference);
}

/** mapFolio at entry `i` of a table of the task's that it may change (see setPte). */
export function mapFolioAt(k: Kernel, task: Task, t: PteTable, i: number, pfn: number, pteFlags: number, takeReference = true): void {
  setPte(k, t, i, pteFlags, pfn);
  k.phys.mapcount.add(pfn, 1);
  if (k.phys.flags[pfn]! & PG_LARGE) addLargeMapping(k, pfn, task.pid);
  if (takeReference) k.phys.refcount.add(pfn, 1);
  chargeRss(task, k.phys.flags[pfn]!, 1);
}

/** update_hiwater_rss: called before memory is unmapped, so VmHWM remembers the peak. */
export function updateHiwaterRss(task: Task): void {
  task.hiwaterRss = Math.max(task.hiwaterRss, rssPages(task));
}

/** Drops one reference; the folio is freed with its last one (folio_put). */
export function putFolio(k: Kernel, pfn: number): void {
  if (k.phys.refcount.add(pfn, -1) <= 0) k.phys.free(pfn);
}

/**
 * zap_present_ptes batches the PTEs that map consecutive pages of one large folio (folio_pte_batch):
 * the folio is marked accessed once for the batch, however many of its PTEs were young. zapRange
 * keeps one per page table; `pfn` is the frame the last PTE mapped, `marked` whether its batch was.
 */
interface ZapBatch {
  pfn: number;
  marked: boolean;
  /** The VMA's vma_has_recency: a young PTE marks its folio accessed only then. */
  recency: boolean;
}

/** zap_pte_range for one entry: unmap a folio or release a swap entry. */
export function zapPte(k: Kernel, task: Task, vpn: number, batch?: ZapBatch): void {
  const [flags, value] = readPte(task, vpn);
  // Only a page-cache PTE right after one of the same large folio continues a batch.
  const previous = batch?.pfn;
  if (batch) batch.pfn = -2;
  if (!flags) return;
  // __folio_remove_rmap → munlock_vma_folio munlocks only for a VM_LOCKED VMA: a fork child's copy of a
  // locked VMA is not locked, and its exit or munmap queues no munlock of the folios its parent keeps locked.
  const mlocked = pteMapsFolio(flags) && (k.phys.flags[value]! & PG_MLOCKED) !== 0 && ((task.mm.vmaAt(addrOf(vpn))?.flags ?? 0) & VM_LOCKED) !== 0;
  if (flags & PTE_SWAP) {
    k.swap.release(value);
    task.rss.swapEnts--;
    freeSwapCacheIfUnused(k, value);
  } else if (pteMapsFolio(flags)) {
    if (!(k.phys.flags[value]! & PG_ANON)) {
      // zap_present_folio_ptes: a dirty PTE of a file or shmem folio dirties the folio, a young one marks it accessed.
      if (flags & PTE_DIRTY) markFolioDirty(k, value);
      // The PTE before mapped the page before, and both are in one large folio (its head is at or below that page).
      const head = previous === value - 1 ? fileFolioHead(k, value) : undefined;
      const batched = head !== undefined && head < value;
      if (batch && !batched) batch.marked = false;
      const recency = batch ? batch.recency : hasRecency(task.mm.vmaAt(addrOf(vpn))?.flags ?? 0);
      if (flags & PTE_ACCESSED && recency && !(batched && batch?.marked)) {
        markAccessed(k, value);
        if (batch) batch.marked = true;
      }
      if (batch) batch.pfn = value;
    }
    k.phys.mapcount.add(value, -1);
    removeLargeMapping(k, value, task.pid);
    chargeRss(task, k.phys.flags[value]!, -1);
    putFolio(k, value);
  }
  writePte(k, task, vpn, 0, 0);
  // __folio_remove_rmap → munlock_vma_folio: unmapped from its last locked VMA, the folio is evictable again.
  if (mlocked && k.phys.flags[value]! & PG_MLOCKED) munlockFolio(k, value);
}

/** folio_mark_accessed (classic LRU): the first call sets PG_referenced, the second activates an inactive folio and clears it. */
export function markAccessed(k: Kernel, pfn: number): void {
  // A large folio is marked as one: a page-cache folio's frames, or a PTE-mapped THP's pages still in it.
  if (k.phys.fileFolios.size) {
    const { head, pages } = folioFrames(k, pfn);
    if (pages > 1) {
      markLargeFolioAccessed(k, head, pages, () => true);
      return;
    }
  }
  if (k.phys.flags[pfn]! & PG_LARGE) {
    markLargeFolioAccessed(k, pfn - (pfn % HPAGE_PMD_NR), HPAGE_PMD_NR, (f) => (f & PG_LARGE) !== 0);
    return;
  }
  markPageAccessed(k, pfn);
}

/**
 * folio_mark_accessed of a large folio, its flags kept on each of its frames (`inFolio` tells which
 * frames of the block still are its pages). Its activation is at once: folio_activate adds a large
 * folio to the activate batch and moves the batch straight away (folio_batch_add_and_move). Checked on
 * Linux 6.18 with kpageflags: a THP that mlock's populate marked once is referenced, twice active and
 * not referenced, three times or more active and referenced.
 */
function markLargeFolioAccessed(k: Kernel, head: number, pages: number, inFolio: (flags: number) => boolean): void {
  // The folio's flags, as any of its frames holds them (a THP's first pages may have left it, freed at once).
  let first = head;
  while (first < head + pages - 1 && !inFolio(k.phys.flags[first]!)) first++;
  const flags = k.phys.flags[first]!;
  const each = (update: (pfn: number) => void) => {
    for (let i = 0; i < pages; i++) if (inFolio(k.phys.flags[head + i]!)) update(head + i);
  };
  if (!(flags & PG_REFERENCED)) each((pfn) => (k.phys.flags[pfn]! |= PG_REFERENCED));
  else if (!(flags & (PG_ACTIVE | PG_UNEVICTABLE))) {
    ageNonresident(k, pages);
    each((pfn) => {
      if (k.phys.flags[pfn]! & PG_LRU) k.phys.lruChange(pfn, PG_ACTIVE);
      k.phys.flags[pfn]! &= ~PG_REFERENCED;
    });
  }
}

function markPageAccessed(k: Kernel, pfn: number): void {
  const flags = k.phys.flags[pfn]!;
  if (!(flags & PG_REFERENCED)) k.phys.flags[pfn] = flags | PG_REFERENCED;
  else if (flags & PG_UNEVICTABLE) {
    // Its mlock still waits in this CPU's batch: the kernel's folio is not unevictable yet, so the mark
    // activates it and clears PG_referenced (the mlock, when the batch drains, takes it off the active list).
    if (k.phys.mlockBatch.length && pendingMlocks(k, pfn)) {
      k.phys.flags[pfn] = flags & ~PG_REFERENCED;
      if (!(flags & PG_ACTIVE)) ageNonresident(k, 1);
    }
  } else if (!(flags & PG_ACTIVE)) {
    // workingset_activation: an activation ages the nonresident pages as an eviction does.
    ageNonresident(k, 1);
    // On an LRU list, folio_activate queues it (active when the batch drains); one waiting there already, or
    // on no list, only loses PG_referenced; one new in the lru_add batch is made active at once
    // (__lru_cache_activate_folio).
    if (k.phys.lruAddBatch.length && k.phys.lruAddBatch.occurrences(pfn)) k.phys.lruChange(pfn, PG_ACTIVE, PG_REFERENCED);
    else {
      k.phys.flags[pfn] = flags & ~PG_REFERENCED;
      if (flags & PG_LRU && !activationPending(k, pfn)) batchActivate(k, pfn);
    }
  }
}

/** free_swap_and_cache: when no PTE refers to a slot any more, its cached page goes too. */
export function freeSwapCacheIfUnused(k: Kernel, slot: number): void {
  if (k.swap.count(slot) > 0) return;
  const pfn = k.swap.cachedPage(slot);
  if (pfn === undefined) return;
  if (k.phys.mapcount.get(pfn) > 0) return;
  deleteFromSwapCache(k, pfn);
}

/** __delete_from_swap_cache + the reference the swap cache held. */
export function deleteFromSwapCache(k: Kernel, pfn: number): void {
  const slot = k.phys.swapSlot(pfn);
  if (slot < 0) return;
  k.swap.dropCache(slot);
  k.phys.setSwapSlot(pfn, -1);
  k.phys.flags[pfn]! &= ~PG_SWAPCACHE;
  putFolio(k, pfn);
}

/**
 * walk_page_range: the virtual page numbers in [from, to) whose PTE table exists, in address
 * order. Absent tables (2 MiB without a PTE) are skipped whole, so a walk over a terabyte
 * mapping costs what its page tables hold, not a step per page.
 */
export function vpnsWithTables(task: Task, from: number, to: number): IterableIterator<number> {
  return new VpnsWithTables(task, from, to);
}

/**
 * The iterator of vpnsWithTables: one result object, changed at each step (a generator made one per
 * page, and a loop over a gigabyte allocated that many). Each table is looked up when its turn comes.
 */
class VpnsWithTables implements IterableIterator<number> {
  private readonly keys: number[];
  private readonly result = { value: 0, done: false };
  private k = -1;
  private vpn = 0;
  private end = 0;

  constructor(
    private readonly task: Task,
    private readonly from: number,
    private readonly to: number,
  ) {
    const first = Math.floor(from / 512);
    const last = Math.floor((to - 1) / 512);
    const tables = task.pt.pteTables;
    if (to <= from) this.keys = [];
    else if (last - first < tables.size) this.keys = Array.from({ length: last - first + 1 }, (_, i) => first + i);
    else this.keys = [...tables.keys()].filter((key) => key >= first && key <= last).sort((a, b) => a - b);
  }

  next(): IteratorResult<number> {
    while (this.vpn >= this.end) {
      if (++this.k >= this.keys.length) {
        this.result.done = true;
        return this.result as IteratorResult<number>;
      }
      const key = this.keys[this.k]!;
      if (!this.task.pt.pteTables.has(key)) continue;
      this.vpn = Math.max(this.from, key * 512);
      this.end = Math.min(this.to, key * 512 + 512);
    }
    this.result.value = this.vpn++;
    return this.result as IteratorResult<number>;
  }

  [Symbol.iterator](): IterableIterator<number> {
    return this;
  }
}

/** Unmaps every PTE in [startVpn, endVpn) of a task. */
export function zapRange(k: Kernel, task: Task, startVpn: number, endVpn: number): void {
  // The callers zap within one VMA at a time.
  const recency = hasRecency(task.mm.vmaAt(addrOf(startVpn))?.flags ?? 0);
  task.pt.forEachTableIn(startVpn, endVpn, (table, base) => {
    if (!table.used) return;
    const from = Math.max(startVpn, base);
    const to = Math.min(endVpn, base + 512);
    const batch: ZapBatch = { pfn: -2, marked: false, recency };
    for (let vpn = from; vpn < to; vpn++) {
      if (table.flags[vpn - base]) zapPte(k, task, vpn, batch);
      else batch.pfn = -2;
    }
  });
}

/**
 * free_pgtables after [start, end) was unmapped: the page tables there that no VMA covers any more
 * are freed (the PTE table of a 2 MiB region, and directories left empty). Tables elsewhere keep
 * their coverage: only those that reach into the range are looked up among the VMAs.
 */
export function freeUnusedTables(k: Kernel, task: Task, start: bigint, end: bigint): void {
  const from = vpnOf(start);
  const to = vpnOf(end + 0xfffn);
  const unused = (key: number, span: number) => !task.mm.overlaps(addrOf(key * span), addrOf(key * span + span));
  const freeIn = <T>(tables: ReadonlyMap<number, T>, span: number, pfnOf: (table: T) => number, remove: (key: number) => void) => {
    const firstKey = Math.floor(from / span);
    const lastKey = Math.floor((to - 1) / span);
    // Fewer keys in the range than tables: look those up, and stop when none is unused (the common
    // case: a neighbour still covers the table). The frames go back in the order the tables were made.
    let freed: number[] | undefined;
    if (lastKey - firstKey < tables.size) {
      for (let key = firstKey; key <= lastKey; key++) if (tables.has(key) && unused(key, span)) (freed ??= []).push(key);
      if (!freed) return;
    }
    for (const [key, table] of tables) {
      if (key < firstKey || key > lastKey || (freed ? !freed.includes(key) : !unused(key, span))) continue;
      k.phys.free(pfnOf(table));
      remove(key);
    }
  };
  const pt = task.pt;
  freeIn(pt.pteTables, 512, (table) => table.pfn, (key) => pt.removeTable(key));
  freeIn(pt.pmdTables, 2 ** 18, (pfn) => pfn, (key) => pt.pmdTables.delete(key));
  freeIn(pt.pudTables, 2 ** 27, (pfn) => pfn, (key) => pt.pudTables.delete(key));
}
