// CONFIG_MM_ID (Linux 6.15+, include/linux/rmap.h): a large anonymous folio remembers two processes
// that map it, each with its number of mappings, and a "maybe shared" bit. A third process that maps
// the folio while both slots are taken is not remembered, and the bit is cleared only when one
// remembered process holds every mapping (or none is left) after a process lost its last mapping. So a
// folio three processes mapped at once stays "maybe shared" while the third one maps it, even after
// the other two are gone: folio_maybe_mapped_shared, which MADV_FREE, MADV_COLD/PAGEOUT and the
// copy-on-write reuse of a large folio ask, answers from this bit, not from who maps it now.
//
// Counted here in page mappings (the simulator's unit: a PMD mapping is its 512 PTEs), where the
// kernel counts a PMD mapping once: the bit depends only on whose mappings they are, so it is the same.
import { largeHead } from './huge-split';
import type { Kernel } from './kernel';
import { PG_ANON } from './page-flags';
import { HPAGE_PMD_NR, PMD_THP } from './huge-memory';
import { folioMappings } from './rmap';

/** A large folio's two slots (pid 0: empty) and the mappings of every process. */
export interface MmIdSlots {
  pid0: number;
  count0: number;
  pid1: number;
  count1: number;
  total: number;
  shared: boolean;
}

const largeAnonHead = (k: Kernel, pfn: number): number | undefined => (k.phys.flags[pfn]! & PG_ANON ? largeHead(k, pfn) : undefined);

/** folio_add_large_mapcount: `pid` maps one more page of the large anonymous folio holding pfn. */
export function addLargeMapping(k: Kernel, pfn: number, pid: number): void {
  const head = largeAnonHead(k, pfn);
  if (head === undefined) return;
  let s = k.mmIds.get(head);
  if (!s || s.total === 0) k.mmIds.set(head, (s = { pid0: 0, count0: 0, pid1: 0, count1: 0, total: 0, shared: false }));
  s.total++;
  if (s.pid0 === pid) s.count0++;
  else if (s.pid1 === pid) s.count1++;
  else if (s.pid0 === 0) {
    s.pid0 = pid;
    s.count0 = 1;
    // Other mappings already (in slot 1, or of a process no slot remembers).
    if (s.total !== 1) s.shared = true;
  } else if (s.pid1 === 0) {
    s.pid1 = pid;
    s.count1 = 1;
    s.shared = true;
  }
}

/** folio_sub_large_mapcount: `pid` unmaps one page of the large anonymous folio holding pfn. */
export function removeLargeMapping(k: Kernel, pfn: number, pid: number): void {
  const head = largeAnonHead(k, pfn);
  const s = head === undefined ? undefined : k.mmIds.get(head);
  if (!s) return;
  s.total--;
  if (s.pid0 === pid) {
    if (--s.count0 > 0) return;
    s.pid0 = 0;
    s.count0 = 0;
  } else if (s.pid1 === pid) {
    if (--s.count1 > 0) return;
    s.pid1 = 0;
    s.count1 = 0;
  }
  // One slot owns all mappings (or none is left): the folio is exclusive again.
  if (s.count0 === s.total || s.count1 === s.total) s.shared = false;
}

/**
 * folio_maybe_mapped_shared of a large anonymous folio: mapped more than once, and the bit set. "A
 * single mapping implies mapped exclusively" whatever the bit says: one PMD, which the simulator
 * counts as its 512 page mappings, is one mapping for the kernel.
 */
export function maybeMappedShared(k: Kernel, head: number): boolean {
  const s = k.mmIds.get(head);
  if (s === undefined || s.total <= 1 || !s.shared) return false;
  return s.total !== HPAGE_PMD_NR || !mappedByOnePmd(k, head);
}

/** Whether the folio's only mapping of its first page is a PMD (then its 512 page mappings are that PMD's). */
function mappedByOnePmd(k: Kernel, head: number): boolean {
  const mappings = folioMappings(k, head);
  const only = mappings.length === 1 ? mappings[0]! : undefined;
  return only !== undefined && only.task.pt.table(only.vpn)?.pmd === PMD_THP;
}

/** The folio at `head` is split or freed: its slots go (a new large folio there starts afresh). */
export function forgetLargeFolio(k: Kernel, head: number): void {
  k.mmIds.delete(head);
}
