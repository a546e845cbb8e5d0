// A range access a run of pages at a time: the pages one leaf table maps in one VMA, each taken as
// handle_mm_fault takes it, without userAccess's per-page dispatch and objects. A gigabyte written,
// or copied on write, goes through fillAnonymous and copyAnonymous: what is the same for every page
// of the run (the table, the PTE bits, the anon_vma, the outcome) is worked out once, and the faults
// reach the log as runs. test/unit/simulator/mm/fault-run.test.ts holds both ways to the same machine.
import { chargeRss, type Kernel, type Task } from './kernel';
import { anonymousOutcome, canReuseAnonFolio, COW_ANON, doAnonymousPage, doWpPage, errorCodeOf, REUSE, setAccessBits, type Access, type FaultOutcome } from './fault';
import { basePteFlags, mapFolioAt, PTE_PROTNONE, putFolio, setPte, tableToWrite } from './memory';
import { PG_ANON, PG_LARGE, PG_MLOCKED, PG_SWAPCACHE } from './page-flags';
import { newAnonFolio } from './page-alloc';
import { PTE_ACCESSED, PTE_DIRTY, PTE_PRESENT, PTE_RW, PTE_SPECIAL, PTE_SWAP } from './pte';
import { VM_EXEC, VM_LOCKED, VM_READ, VM_WRITE } from './vm-flags';
import type { Vma } from './vma';

/**
 * Where a run's faults go: `count` faults on consecutive pages from vpn, resolved alike. An object
 * whose class has the method, not a closure: a closure made per statement is a new call target
 * each time, and the optimized loops deoptimized at every run on it ("wrong call target").
 */
export interface FaultSink {
  record(vpn: number, count: number, errorCode: number, outcome: FaultOutcome): void;
}

/**
 * Accesses pages [vpn, endVpn) of `vma`, which holds them all, in one leaf table. It takes the
 * common cases: a PTE that allows the access (the accessed/dirty bits), do_anonymous_page in an
 * anonymous VMA whose leaf table and anon_vma exist (so no THP and no VMA change), and do_wp_page
 * on a present read-only page. It stops at the first page of any other case and returns how many
 * it took; the caller takes that page whole (userAccess). `done[0]` counts the pages taken as it
 * goes, for a caller that catches an allocation failure (OutOfMemory) thrown by a page's fault.
 */
export function accessRun(k: Kernel, task: Task, vma: Vma, vpn: number, endVpn: number, access: Access, sink: FaultSink, done: Int32Array): number {
  done[0] = 0;
  if (access === 'exec' || vma.flags & VM_LOCKED) return 0;
  const write = access === 'write';
  // access_error: a write needs VM_WRITE; a read of a page not present, any access right.
  const allowed = (vma.flags & (write ? VM_WRITE : VM_READ | VM_WRITE | VM_EXEC)) !== 0;
  // With its anon_vma in place, neither fault changes the VMA (anon_vma_prepare would).
  const anonymous = allowed && vma.anonVma !== undefined && vma.special === undefined;
  const fills = anonymous && vma.inodeId === undefined;
  const copies = anonymous && write;
  const generation = task.mm.generation;
  // do_anonymous_page's new page for a write, or for a read where the zero page is forbidden.
  const allocates = fills && (write || k.settings.forbidsZeroPage);
  let n = 0;
  for (let v = vpn; v < endVpn; v++) {
    // The table a page's fault left in place (copied first, if it was shared with a fork, by the fault's write).
    const t = task.pt.table(v);
    if (!t || t.pmd) break;
    const flags = t.flags[v % 512]!;
    let outcome: FaultOutcome;
    if (flags & PTE_PRESENT && (write ? flags & PTE_RW : true)) {
      setAccessBits(k, task, v, access);
      done[0] = ++n;
      continue;
    }
    if (flags === 0 && allocates) {
      n += fillAnonymous(k, task, vma, v, endVpn, access, sink, done, n);
      v = vpn + n - 1;
      continue;
    }
    if (copies && fills && flags & PTE_PRESENT && !(flags & (PTE_SPECIAL | PTE_SWAP | PTE_PROTNONE | PTE_RW))) {
      const taken = copyAnonymous(k, task, vma, v, endVpn, sink, done, n);
      if (taken) {
        n += taken;
        v = vpn + n - 1;
        continue;
      }
    }
    if (flags === 0 && fills) outcome = doAnonymousPage(k, task, vma, v, access);
    else if (copies && flags & PTE_PRESENT && !(flags & (PTE_SWAP | PTE_PROTNONE))) outcome = doWpPage(k, task, vma, v);
    else break;
    setAccessBits(k, task, v, access);
    sink.record(v, 1, errorCodeOf(access, flags !== 0), outcome);
    done[0] = ++n;
    if (task.mm.generation !== generation) break;
  }
  return n;
}

/**
 * do_anonymous_page's new zeroed page for the empty PTEs from vpn on, up to endVpn or the first PTE
 * in use: what doAnonymousPage does to each, with what is the same for all of them worked out once.
 * Returns how many it filled; an allocation failure (OutOfMemory) leaves the pages before it filled,
 * counted (the fault sink, done[0] = before + filled) as they would be one by one.
 */
function fillAnonymous(k: Kernel, task: Task, vma: Vma, vpn: number, endVpn: number, access: Access, sink: FaultSink, done: Int32Array, before: number): number {
  const t = tableToWrite(k, task, vpn);
  const pte = basePteFlags(vma) | (vma.flags & VM_WRITE ? PTE_RW | PTE_DIRTY : 0);
  const anonVma = vma.anonVma as number;
  const first = vpn % 512;
  const last = first + (endVpn - vpn);
  let i = first;
  try {
    // A new page is not large, and its PTE is accessed and dirty already: no setAccessBits.
    for (; i < last && t.flags[i] === 0; i++) mapFolioAt(k, task, t, i, newAnonFolio(k, anonVma, vpn, i - first), pte, false);
  } finally {
    const filled = i - first;
    if (filled) sink.record(vpn, filled, errorCodeOf(access, false), anonymousOutcome(vma, access));
    done[0] = before + filled;
  }
  return i - first;
}

/**
 * do_wp_page for the present read-only PTEs from vpn on that map small anonymous folios (not
 * locked, not in the swap cache), up to endVpn or the first other PTE, in an anonymous VMA: each
 * folio is reused when wp_can_reuse_anon_folio says so, else copied (wp_page_copy), as doWpPage
 * does. Returns how many it took; an allocation failure leaves the pages before it done, counted.
 */
function copyAnonymous(k: Kernel, task: Task, vma: Vma, vpn: number, endVpn: number, sink: FaultSink, done: Int32Array, before: number): number {
  const t = tableToWrite(k, task, vpn);
  const pte = basePteFlags(vma) | PTE_RW | PTE_DIRTY;
  const anonVma = vma.anonVma as number;
  const phys = k.phys;
  const first = vpn % 512;
  const last = first + (endVpn - vpn);
  const errorCode = errorCodeOf('write', true);
  // The faults not yet given to the sink: a run of pages from pendingAt resolved alike.
  let pendingAt = first;
  let pending: FaultOutcome = COW_ANON;
  let i = first;
  try {
    for (; i < last; i++) {
      const flags = t.flags[i]!;
      if (!(flags & PTE_PRESENT) || flags & (PTE_SPECIAL | PTE_SWAP | PTE_PROTNONE | PTE_RW)) break;
      const pfn = t.value[i]!;
      if ((phys.flags[pfn]! & (PG_ANON | PG_LARGE | PG_MLOCKED | PG_SWAPCACHE)) !== PG_ANON) break;
      let outcome: FaultOutcome;
      if (canReuseAnonFolio(k, task, pfn)) {
        // Writable, dirty, and accessed as setAccessBits marks a store (the folio is small, the table a PTE table).
        setPte(k, t, i, flags | PTE_RW | PTE_DIRTY | PTE_ACCESSED, pfn);
        outcome = REUSE;
      } else {
        // wp_page_copy: the new folio first (its allocation may reclaim), then the old one goes.
        const copy = newAnonFolio(k, anonVma, vpn, i - first);
        phys.mapcount.add(pfn, -1);
        // The counter the old folio is charged to as doWpPage reads it, after the allocation.
        chargeRss(task, phys.flags[pfn]!, -1);
        putFolio(k, pfn);
        mapFolioAt(k, task, t, i, copy, pte, false);
        outcome = COW_ANON;
      }
      if (outcome !== pending) {
        if (i > pendingAt) sink.record(vpn - first + pendingAt, i - pendingAt, errorCode, pending);
        pendingAt = i;
        pending = outcome;
      }
    }
  } finally {
    if (i > pendingAt) sink.record(vpn - first + pendingAt, i - pendingAt, errorCode, pending);
    done[0] = before + i - first;
  }
  return i - first;
}
