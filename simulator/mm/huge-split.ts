import type { Kernel, Task } from './kernel';
import { HPAGE_PMD_NR, PMD_THP, splitHugePmd } from './huge-memory';
import { basePteFlags, pteMapsFolio, putFolio, readPte, writePte } from './memory';
import { PG_LARGE, PG_MLOCKED, PG_SWAPCACHE, PG_WRITTEN } from './page-flags';
import { folioMappings } from './rmap';
import { forgetLargeFolio, maybeMappedShared } from './folio-mm-ids';
import { PTE_ACCESSED, PTE_DIRTY, PTE_RW, PTE_SPECIAL } from './pte';
import { folioFrames } from './file-folio';
import { vpnOf, type Vma } from './vma';
import { VM_LOCKED } from './vm-flags';

/** The first frame of the anonymous large folio holding pfn (an aligned order-9 block), if it is one. */
export function largeHead(k: Kernel, pfn: number): number | undefined {
  return k.phys.flags[pfn]! & PG_LARGE ? pfn - (pfn % HPAGE_PMD_NR) : undefined;
}

/** The frames of the folio pfn is a page of: a THP's block, a large page-cache folio's, or pfn alone. */
export function folioOf(k: Kernel, pfn: number): { readonly head: number; readonly pages: number } {
  const anonHead = largeHead(k, pfn);
  return anonHead !== undefined ? { head: anonHead, pages: HPAGE_PMD_NR } : folioFrames(k, pfn);
}

/**
 * Whether the frame is still a page of the large folio its block held: a page unmapped from a folio
 * that is PTE-mapped in part is freed here at once (the kernel keeps it until the deferred split), and
 * its frame may hold a small folio since.
 */
export const inLargeFolio = (k: Kernel, pfn: number): boolean => (k.phys.flags[pfn]! & PG_LARGE) !== 0;

/**
 * __wp_can_reuse_large_anon_folio (CONFIG_MM_ID): a write to a read-only PTE of a PTE-mapped large
 * anonymous folio reuses it only when more than one of its pages is mapped, every mapping is in
 * `task`'s page tables, and no reference is not a mapping (no swap cache); otherwise the page is
 * copied, even when no one else maps that very page.
 */
export function largeFolioExclusive(k: Kernel, task: Task, head: number): boolean {
  // folio_test_large_maybe_mapped_shared first: a folio three processes mapped at once is never reused.
  if (maybeMappedShared(k, head)) return false;
  let mapped = 0;
  let references = 0;
  for (let i = 0; i < HPAGE_PMD_NR; i++) {
    const pfn = head + i;
    if (!inLargeFolio(k, pfn)) continue;
    const count = k.phys.mapcount.get(pfn);
    if (k.phys.flags[pfn]! & PG_SWAPCACHE) return false;
    references += k.phys.refcount.get(pfn);
    if (count === 0) continue;
    mapped += count;
    for (const mapping of folioMappings(k, pfn)) if (mapping.task.mm !== task.mm) return false;
  }
  return mapped > 1 && mapped === references;
}

/**
 * split_folio of an anonymous large folio only `task` maps: its subpages become small folios, and
 * those never written (zero-filled) are mapped to the shared zero page instead and freed
 * (remap_page with RMP_USE_SHARED_ZEROPAGE → try_to_map_unused_to_zeropage, Linux 6.12+), except
 * in a VM_LOCKED VMA and for an mlocked page: those stay. A subpage may be in another VMA than
 * `vma` (the folio's VMA was split since), whose protections its zero PTE takes.
 */
function splitLargeFolio(k: Kernel, task: Task, vma: Vma, head: number): void {
  forgetLargeFolio(k, head);
  const [first, end] = [vpnOf(vma.start), vpnOf(vma.end)];
  for (let i = 0; i < HPAGE_PMD_NR; i++) {
    const pfn = head + i;
    const flags = k.phys.flags[pfn]!;
    if (!(flags & PG_LARGE)) continue;
    k.phys.flags[pfn] = flags & ~(PG_LARGE | PG_WRITTEN);
    if (flags & (PG_WRITTEN | PG_MLOCKED) || k.phys.mapcount.get(pfn) !== 1) continue;
    // An anonymous page's index is the page it was first mapped at; after mremap moved its VMA, the rmap
    // walk (vma_address) finds where it is now.
    const vpn = mappedAt(k, task, pfn);
    if (vpn === undefined) continue;
    const at = vpn >= first && vpn < end ? vma : task.mm.findVma(BigInt(vpn) << 12n);
    if (!at || at.flags & VM_LOCKED) continue;
    writePte(k, task, vpn, (basePteFlags(at) & ~PTE_RW) | PTE_SPECIAL, k.phys.zeroPfn);
    k.phys.mapcount.add(pfn, -1);
    task.rss.anon--;
    putFolio(k, pfn);
  }
}

/** Where `task` maps the anonymous page pfn: at its index, or where an mremap moved it. */
function mappedAt(k: Kernel, task: Task, pfn: number): number | undefined {
  const index = k.phys.indexOf(pfn);
  const [pte, value] = readPte(task, index);
  if (value === pfn && pteMapsFolio(pte)) return index;
  return folioMappings(k, pfn).find((m) => m.task === task)?.vpn;
}

/**
 * madvise_folio_pte_batch (folio_pte_batch): how many PTEs from vpn on, below `to`, map the frames pfn,
 * pfn + 1, … in a row.
 */
export function folioPteBatch(task: Task, vpn: number, to: number, pfn: number): number {
  let n = 0;
  while (vpn + n < to) {
    const [flags, value] = readPte(task, vpn + n);
    if (!pteMapsFolio(flags) || value !== pfn + n) break;
    n++;
  }
  return n;
}

/**
 * mprotect's batch of a large folio's PTEs (change_pte_range → mprotect_folio_pte_batch, Linux 6.17+):
 * from vpn on, below `to`, the PTEs that map the folio's next pages in a row; modify_prot_start_ptes
 * gathers their accessed and dirty bits and commits them to every PTE of the batch. The end of the
 * batch (vpn + 1 for a small folio) and those bits.
 */
export function protectionBatch(k: Kernel, task: Task, vpn: number, to: number, pfn: number): { end: number; bits: number } {
  const { head, pages } = folioOf(k, pfn);
  if (pages <= 1) return { end: vpn + 1, bits: 0 };
  const n = folioPteBatch(task, vpn, Math.min(to, vpn + head + pages - pfn), pfn);
  let bits = 0;
  for (let i = 0; i < n; i++) bits |= readPte(task, vpn + i)[0] & (PTE_ACCESSED | PTE_DIRTY);
  return { end: vpn + Math.max(n, 1), bits };
}

/** The large folio at `head`, whose first page would sit at `first`, is mapped all 512 pages in a row inside [from, to). */
export function ptesMapWholeFolio(task: Task, head: number, first: number, from: number, to: number): boolean {
  return first >= from && first + HPAGE_PMD_NR <= to && folioPteBatch(task, first, first + HPAGE_PMD_NR, head) === HPAGE_PMD_NR;
}

/**
 * madvise_cold_or_pageout_pte_range's large folios: a PMD-mapped THP the range covers only in part, and
 * a PTE-mapped large folio whose 512 pages the range does not map in a row, are split first when this
 * process alone maps them (a shared one is left alone); a whole one is aged whole. Paged out, a whole
 * one is split too (`wholeToo`): swap is a file here, and a swap file has no large entries, so
 * folio_alloc_swap fails for it and shrink_folio_list falls back to split_folio_to_list — its
 * zero-filled subpages go to the zero page, the others to swap one by one (checked on this kernel).
 */
export function splitLargeFoliosForMadvise(k: Kernel, task: Task, vma: Vma, from: number, to: number, wholeToo = false): void {
  const done = new Set<number>();
  for (let key = Math.floor(from / HPAGE_PMD_NR); key * HPAGE_PMD_NR < to; key++) {
    const table = task.pt.pteTables.get(key);
    if (!table?.used) continue;
    const base = key * HPAGE_PMD_NR;
    if (table.pmd === PMD_THP) {
      if (!wholeToo && from <= base && base + HPAGE_PMD_NR <= to) continue;
      const head = table.value[0]!;
      if (maybeMappedShared(k, head)) continue;
      splitHugePmd(k, task, base);
      k.countPmd(-1);
      splitLargeFolio(k, task, vma, head);
      continue;
    }
    if (table.pmd) continue;
    for (let vpn = Math.max(from, base); vpn < Math.min(to, base + HPAGE_PMD_NR); vpn++) {
      const i = vpn - base;
      if (!pteMapsFolio(table.flags[i]!)) continue;
      const head = largeHead(k, table.value[i]!);
      if (head === undefined || done.has(head)) continue;
      done.add(head);
      const whole = ptesMapWholeFolio(task, head, vpn - (table.value[i]! - head), from, to);
      if ((whole && !wholeToo) || maybeMappedShared(k, head)) continue;
      splitLargeFolio(k, task, vma, head);
    }
  }
}
