import { forgetLargeFolio } from './folio-mm-ids';
import type { Kernel, Task, ThpMode } from './kernel';
import { basePteFlags, mapFolio, pteMapsFolio } from './memory';
import { PTE_ACCESSED, PTE_DIRTY, PTE_RW, PTE_SPECIAL, PTE_SWAP } from './pte';
import { anonVmaOf, type FaultOutcome } from './fault';
import { OWNER_ANON } from './physical-memory';
import { PG_DIRTY, PG_LARGE } from './page-flags';
import { wakeKswapdIfLow } from './vmscan';
import { batchNewFolio } from './lru-batch';
import type { PteTable } from './page-table';
import { zapFilePmd } from './huge-file';
import { VM_HUGEPAGE, VM_NOHUGEPAGE, VM_WRITE } from './vm-flags';
import type { Vma } from './vma';
import { vmaTreeChanges } from './vma-tree';

/**
 * Transparent huge pages (mm/huge_memory.c) for anonymous memory: a PMD that maps a 2 MiB folio
 * (order 9) or the huge zero page. The simulator keeps such a PMD as the PTE table of its 2 MiB (the
 * table the kernel deposits for a later split, counted in VmPTE) marked with `pmd`: its 512 entries
 * are the subpages, all with the PMD's bits, so what works on PTEs (smaps, zap, fork, mprotect) sees
 * the same pages. A PTE written one at a time marks the table touched; settleHugePmds then splits a
 * PMD that is no longer whole (split_huge_pmd), as the kernel splits it before such a change.
 */
export const HPAGE_PMD_NR = 512;
export const HPAGE_PMD_ORDER = 9;
export const HPAGE_PMD_SIZE = 0x200000n;
/** `PteTable.pmd`: the PMD maps an anonymous THP. */
export const PMD_THP = 1;
/** `PteTable.pmd`: the PMD maps the huge zero page (set_huge_zero_folio). */
export const PMD_HUGE_ZERO = 2;
/** `PteTable.pmd`: the PMD maps a PMD-sized page-cache folio (huge-file.ts); x86 deposits no table for it. */
export const PMD_FILE = 3;

export const THP_MODES: readonly ThpMode[] = ['always', 'madvise', 'never'];

/** The selected mode of /sys/kernel/mm/transparent_hugepage/enabled ("always [madvise] never"), if readable. */
export function thpModeFromSysfs(text: string | undefined): ThpMode | undefined {
  const selected = /\[(\w+)\]/.exec(text ?? '')?.[1];
  return THP_MODES.find((mode) => mode === selected);
}

/** vma_is_anonymous: no vm_ops (a private /dev/zero mapping is anonymous too: mmap_zero → vma_set_anonymous). */
export function isAnonymousVma(vma: Vma): boolean {
  return vma.inodeId === undefined && vma.special === undefined;
}

/** thp_vma_suitable_order(PMD_ORDER): the 2 MiB block holding addr lies inside the VMA. */
function pmdFits(vma: Vma, addr: bigint): boolean {
  const haddr = addr & ~(HPAGE_PMD_SIZE - 1n);
  return addr >= 0n && haddr >= vma.start && haddr + HPAGE_PMD_SIZE <= vma.end;
}

/**
 * thp_vma_allowable_order(vma, vm_flags, TVA_SMAPS or TVA_PAGEFAULT, PMD_ORDER), on a machine whose only
 * enabled size is 2 MiB (hugepages-2048kB "inherit") and whose file systems have no huge_fault and no
 * READ_ONLY_THP_FOR_FS, with shmem_enabled "never": only anonymous VMAs, with VM_HUGEPAGE in madvise mode.
 * For smaps (THPeligible) the VMA must also hold an aligned 2 MiB block (checked at vm_end - HPAGE_PMD_SIZE).
 */
export function thpVmaAllowable(k: Kernel, vma: Vma, smaps = true): boolean {
  if (!isAnonymousVma(vma)) return false;
  const flags = vma.flags;
  if (k.thp === 'never' || (k.thp === 'madvise' && !(flags & VM_HUGEPAGE))) return false;
  // vma_thp_disabled: MADV_NOHUGEPAGE (or MAP_STACK).
  if (flags & VM_NOHUGEPAGE) return false;
  return !smaps || pmdFits(vma, vma.end - HPAGE_PMD_SIZE);
}

const HUGE_ZERO: FaultOutcome = { kind: 'zero-page', mapped: HPAGE_PMD_NR, explanation: 'read fault in a huge-page region: the PMD maps the huge zero page, 2 MiB read-only (not counted in Rss)' };
const thpOutcome = (why: string, writable: boolean): FaultOutcome => ({
  kind: 'anonymous',
  mapped: HPAGE_PMD_NR,
  explanation: `${why} in a huge-page region: a new 2 MiB transparent huge page (an order-9 folio) mapped by the PMD, ${writable ? 'writable and dirty' : 'read-only and dirty'}`,
});
const THP_WRITE = thpOutcome('write fault', true);
const THP_WRITE_RO = thpOutcome('write fault', false);
const THP_NO_ZERO = thpOutcome('read fault (the zero page is forbidden on this machine)', true);
const THP_NO_ZERO_RO = thpOutcome('read fault (the zero page is forbidden on this machine)', false);
const HUGE_ZERO_COW: FaultOutcome = { kind: 'cow', mapped: HPAGE_PMD_NR, explanation: 'write to the huge zero page: a new 2 MiB transparent huge page replaces it (do_huge_zero_wp_pmd)' };
const HUGE_REUSE: FaultOutcome = { kind: 'reuse', mapped: 0, explanation: 'write to a huge page no one else maps: the whole 2 MiB is reused, now writable (no copy)' };

/** An order-9 anonymous folio from the buddy allocator, on the inactive anon list; undefined when no 2 MiB block is free (THP_FAULT_FALLBACK). */
function allocateThp(k: Kernel, anonVma: number, headVpn: number): number | undefined {
  const pfn = k.phys.allocate(OWNER_ANON, anonVma, headVpn, PG_LARGE, HPAGE_PMD_ORDER);
  if (pfn === undefined) return undefined;
  forgetLargeFolio(k, pfn);
  wakeKswapdIfLow(k);
  for (let i = 0; i < HPAGE_PMD_NR; i++) k.phys.lruAdd(pfn + i);
  batchNewFolio(k, pfn, true);
  return pfn;
}

/** map_anon_folio_pmd: the PMD maps the folio (pmd_mkdirty, writable if VM_WRITE); RSS grows by HPAGE_PMD_NR. */
function mapThp(k: Kernel, task: Task, vma: Vma, headVpn: number, pfn: number): PteTable {
  const flags = basePteFlags(vma) | PTE_DIRTY | (vma.flags & VM_WRITE ? PTE_RW : 0);
  for (let i = 0; i < HPAGE_PMD_NR; i++) mapFolio(k, task, headVpn + i, pfn + i, flags, false);
  const table = task.pt.writableTable(headVpn) as PteTable;
  table.pmd = PMD_THP;
  table.pmdTouched = false;
  k.countPmd(1);
  return table;
}

/**
 * create_huge_pmd → do_huge_pmd_anonymous_page for a fault where the PMD is none (no PTE table yet):
 * the huge zero page for a read (unless mm_forbids_zeropage), else a new THP. Undefined: fall back to
 * a 4 KiB page (VM_FAULT_FALLBACK: THP not allowed here, the block not inside the VMA, or no free block).
 */
export function doHugePmdAnonymousPage(k: Kernel, task: Task, vma: Vma, vpn: number, access: 'read' | 'write' | 'exec'): FaultOutcome | undefined {
  if (k.thp !== 'always' && !(vma.flags & VM_HUGEPAGE)) return undefined;
  if (task.pt.table(vpn) || !thpVmaAllowable(k, vma, false) || !pmdFits(vma, BigInt(vpn) << 12n)) return undefined;
  const headVpn = vpn - (vpn % HPAGE_PMD_NR);
  if (access !== 'write' && !k.settings.forbidsZeroPage) {
    anonVmaOf(k, task, vma);
    const flags = (basePteFlags(vma) & ~PTE_RW) | PTE_SPECIAL;
    const table = task.pt.ensureTable(headVpn, k);
    table.flags.fill(flags);
    table.value.fill(k.phys.zeroPfn);
    table.used = HPAGE_PMD_NR;
    table.pmd = PMD_HUGE_ZERO;
    k.countPmd(1);
    return HUGE_ZERO;
  }
  // The folio first: on a fallback the caller goes on with the VMA it has (anon_vma_prepare changes it).
  const pfn = allocateThp(k, 0, headVpn);
  if (pfn === undefined) return undefined;
  // __anon_vma_prepare for the VMA (the folio keeps no anon_vma here: the reverse map walks the processes).
  anonVmaOf(k, task, vma);
  mapThp(k, task, vma, headVpn, pfn);
  const writable = (vma.flags & VM_WRITE) !== 0;
  if (access === 'write') return writable ? THP_WRITE : THP_WRITE_RO;
  return writable ? THP_NO_ZERO : THP_NO_ZERO_RO;
}

/** The PMD-mapped table at vpn, settled first if a PTE of it changed (undefined: not PMD-mapped). */
export function hugeTableAt(k: Kernel, task: Task, vpn: number): PteTable | undefined {
  const table = task.pt.table(vpn);
  if (!table?.pmd) return undefined;
  if (table.pmdTouched) settleTable(k, task, Math.floor(vpn / HPAGE_PMD_NR), table);
  const settled = task.pt.table(vpn);
  return settled?.pmd ? settled : undefined;
}

/** The hardware sets A (and D) in the PMD: every subpage's entry shows it. */
export function setHugeAccessBits(task: Task, vpn: number, bits: number): void {
  const table = task.pt.table(vpn) as PteTable;
  if ((table.flags[0]! & bits) === bits) return;
  const own = task.pt.writableTable(vpn) as PteTable;
  for (let i = 0; i < HPAGE_PMD_NR; i++) own.flags[i]! |= bits;
}

/**
 * do_huge_pmd_wp_page: a write to a read-only PMD. The huge zero page is replaced by a new THP
 * (do_huge_zero_wp_pmd, Linux 6.13+); a THP only this mapping holds is reused whole; a THP shared
 * with a fork relative has its PMD split (__split_huge_pmd), and the caller's do_wp_page copies the
 * one 4 KiB subpage. Undefined when the caller must go on with the PTEs (VM_FAULT_FALLBACK).
 */
export function doHugePmdWpPage(k: Kernel, task: Task, vma: Vma, vpn: number): FaultOutcome | undefined {
  const table = hugeTableAt(k, task, vpn);
  if (!table) return undefined;
  const headVpn = vpn - (vpn % HPAGE_PMD_NR);
  if (table.pmd === PMD_FILE) {
    // wp_huge_pmd: no huge_fault here, so __split_huge_pmd, which for a file PMD clears it; the PTEs fault again.
    zapFilePmd(k, task, headVpn);
    return undefined;
  }
  if (table.pmd === PMD_HUGE_ZERO) {
    const pfn = allocateThp(k, anonVmaOf(k, task, vma), headVpn);
    if (pfn === undefined) {
      splitHugePmd(k, task, headVpn);
      return undefined;
    }
    const own = task.pt.writableTable(headVpn) as PteTable;
    own.pmd = undefined;
    own.flags.fill(0);
    own.used = 0;
    k.countPmd(-1);
    mapThp(k, task, vma, headVpn, pfn);
    setHugeAccessBits(task, headVpn, PTE_ACCESSED | PTE_DIRTY | PTE_RW);
    return HUGE_ZERO_COW;
  }
  const head = table.value[0]!;
  let exclusive = true;
  for (let i = 0; i < HPAGE_PMD_NR && exclusive; i++) exclusive = k.phys.refcount.get(head + i) === 1 && k.phys.mapcount.get(head + i) === 1;
  if (exclusive) {
    setHugeAccessBits(task, headVpn, PTE_ACCESSED | PTE_DIRTY | PTE_RW);
    return HUGE_REUSE;
  }
  splitHugePmd(k, task, headVpn);
  return undefined;
}

/**
 * __split_huge_pmd: the deposited table's PTEs take over, with the PMD's bits (the folio itself stays
 * whole). A dirty PMD makes its folio dirty (__split_huge_pmd_locked → folio_set_dirty), so that a
 * later MADV_FREE of a folio a fork shares leaves it dirty.
 */
export function splitHugePmd(k: Kernel, task: Task, vpn: number): void {
  const own = task.pt.writableTable(vpn);
  if (!own) return;
  // Only the pages the table still maps: a partial munmap before the split has freed the others here.
  if (own.pmd === PMD_THP && own.flags.some((f) => pteMapsFolio(f) && (f & PTE_DIRTY) !== 0)) {
    for (let i = 0; i < HPAGE_PMD_NR; i++) if (pteMapsFolio(own.flags[i]!)) k.phys.flags[own.value[i]!]! |= PG_DIRTY;
  }
  own.pmd = undefined;
  own.pmdTouched = false;
  // The count is its callers' to lower; the next settleHugePmds counts every task's again.
  k.thpTouched = true;
}

/** Whether a PMD mapping is still whole: one VMA holds it and its 512 entries are the PMD's (no PTE changed alone). */
function isWhole(k: Kernel, task: Task, key: number, table: PteTable): boolean {
  const base = BigInt(key * HPAGE_PMD_NR) << 12n;
  const vma = task.mm.findVma(base);
  if (!vma || vma.start > base || vma.end < base + HPAGE_PMD_SIZE) return false;
  if (!table.pmdTouched) return true;
  const flags = table.flags[0]!;
  if (flags & PTE_SWAP || table.used !== HPAGE_PMD_NR) return false;
  const head = table.value[0]!;
  const zero = table.pmd === PMD_HUGE_ZERO;
  if (!zero && (!pteMapsFolio(flags) || head % HPAGE_PMD_NR)) return false;
  for (let i = 1; i < HPAGE_PMD_NR; i++) {
    if (table.flags[i] !== flags || table.value[i] !== (zero ? head : head + i)) return false;
  }
  return true;
}

/** One PMD mapping after PTE-level changes: zapped whole (zap_huge_pmd frees the deposited table), still whole, or split. */
function settleTable(k: Kernel, task: Task, key: number, table: PteTable): void {
  if (table.used === 0) {
    // zap_huge_pmd: the deposited PTE table is freed with the mapping (VmPTE shrinks).
    task.pt.removeTable(key);
    k.phys.free(table.pfn);
    k.countPmd(-1);
    return;
  }
  if (isWhole(k, task, key, table)) {
    if (table.pmdTouched) (task.pt.writableTable(key * HPAGE_PMD_NR) as PteTable).pmdTouched = false;
    return;
  }
  if (table.pmd === PMD_FILE) return zapFilePmd(k, task, key * HPAGE_PMD_NR);
  splitHugePmd(k, task, key * HPAGE_PMD_NR);
  k.countPmd(-1);
}

/** Per page table: its mm's VMA generation and its PMD mappings when it was last settled. */
const settledTables = new WeakMap<object, { readonly generation: number; readonly pmds: number }>();

/**
 * After a statement: every PMD mapping whose PTEs changed one at a time, or whose VMA no longer holds
 * all of it (a split at a boundary inside it: vma_adjust_trans_huge), is split or freed, as the kernel
 * would have done first. Costs nothing while no PMD mapping exists. Unless a PTE of a PMD mapping was
 * written or a PMD mapping made or gone (thpTouched), only tasks whose VMAs changed are looked at: a
 * chain of 800 forks of a process with a THP otherwise walked 1,600 PMDs after every statement.
 */
export function settleHugePmds(k: Kernel): void {
  if (k.thpPmds <= 0) return;
  const everyTask = k.thpTouched;
  // Nothing touched and no VMA of any mm changed: every task would be passed over.
  if (!everyTask && k.thpSettledAt === vmaTreeChanges()) return;
  let pmds = 0;
  for (const task of k.liveTasks()) {
    const generation = task.mm.generation;
    const last = settledTables.get(task.pt);
    if (!everyTask && last?.generation === generation) {
      pmds += last.pmds;
      continue;
    }
    let own = 0;
    // settleTable replaces or removes only the entry it is given: the map can be walked as it changes.
    for (const [key, table] of task.pt.pteTables) {
      if (!table.pmd) continue;
      settleTable(k, task, key, table);
      if (task.pt.pteTables.get(key)?.pmd) own++;
    }
    settledTables.set(task.pt, { generation, pmds: own });
    pmds += own;
  }
  k.thpPmds = pmds;
  k.thpTouched = false;
  k.thpSettledAt = vmaTreeChanges();
}

/** fork's copy_huge_pmd: where the parent's PMD maps a THP or the huge zero page, so does the child's (the PTEs were copied already). */
export function copyHugePmds(k: Kernel, parent: Task, child: Task, vma: Vma): void {
  if (k.thpPmds <= 0) return;
  const first = Math.floor(Number(vma.start >> 12n) / HPAGE_PMD_NR);
  const last = Math.floor((Number(vma.end >> 12n) - 1) / HPAGE_PMD_NR);
  for (const [key, table] of parent.pt.pteTables) {
    if (key < first || key > last || !table.pmd) continue;
    const own = child.pt.writableTable(key * HPAGE_PMD_NR);
    if (!own) continue;
    if (table.pmd === PMD_FILE) {
      // copy_huge_pmd skips file PMDs: the child faults them in again.
      own.pmd = PMD_FILE;
      k.countPmd(1);
      zapFilePmd(k, child, key * HPAGE_PMD_NR);
      continue;
    }
    own.pmd = table.pmd;
    own.pmdTouched = true;
    k.countPmd(1);
  }
}

/**
 * meminfo's AnonHugePages (NR_ANON_THPS), in pages: the anonymous THPs some PMD maps, each counted once
 * however many processes map it.
 */
export function anonHugePages(k: Kernel): number {
  if (k.thpPmds <= 0) return 0;
  const heads = new Set<number>();
  for (const task of k.liveTasks()) for (const table of task.pt.pteTables.values()) if (table.pmd === PMD_THP) heads.add(table.value[0]!);
  return heads.size * HPAGE_PMD_NR;
}

/** move_page_tables: the PMD mappings wholly inside [from, from + pages) that a move to `to` keeps whole (both ends 2 MiB-aligned alike). */
export function hugePmdsToMove(k: Kernel, task: Task, from: number, pages: number, to: number): [number, number][] {
  if (k.thpPmds <= 0 || (to - from) % HPAGE_PMD_NR) return [];
  const moves: [number, number][] = [];
  for (const [key, table] of task.pt.pteTables) {
    const base = key * HPAGE_PMD_NR;
    if (table.pmd && base >= from && base + HPAGE_PMD_NR <= from + pages) moves.push([base + to - from, table.pmd]);
  }
  return moves;
}

/** move_huge_pmd: after the entries moved, each PMD that moved whole maps its folio again where it went. */
export function moveHugePmds(k: Kernel, task: Task, moves: readonly [number, number][]): void {
  for (const [base, pmd] of moves) {
    const own = task.pt.writableTable(base);
    if (!own) continue;
    own.pmd = pmd;
    own.pmdTouched = true;
    k.countPmd(1);
  }
}
