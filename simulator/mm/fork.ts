import { copyHugePmds } from './huge-memory';
import { chargeFork, releaseUnmappedShmem, shmemInodesIn } from './commit';
import type { Kernel, Task } from './kernel';
import { mapFolioAt, pteMapsFolio, setPte, tableToWrite, updateHiwaterRss, zapRange } from './memory';
import { PTE_ACCESSED, PTE_DIRTY, PTE_RW, PTE_SWAP, PTE_SWP_EXCLUSIVE } from './pte';
import { VM_DONTCOPY, VM_LOCKED, VM_MAYWRITE, VM_MIXEDMAP, VM_PFNMAP, VM_SHARED } from './vm-flags';
import type { Vma } from './vma';

/**
 * fork(2): dup_mmap copies every VMA; copy_page_range runs only for VMAs
 * that need it (vma_needs_copy: an anon_vma, or PFN/mixed maps). Private
 * writable PTEs become read-only in both (copy-on-write), the child's PTEs
 * are old, and shared ones are clean in the child.
 */
export function forkTask(k: Kernel, parent: Task, name: string, line: number): Task {
  // dup_mmap charges the parent's VM_ACCOUNT VMAs again (ENOMEM: no child); the rlimits are inherited.
  chargeFork(k, parent);
  const child: Task = {
    ...k.newTask(name, parent.mm.clone(), parent.program, line),
    ...(parent.rlimits ? { rlimits: parent.rlimits } : {}),
    // copy_signal: the child has its parent's oom_score_adj.
    ...(parent.oomScoreAdj === undefined ? {} : { oomScoreAdj: parent.oomScoreAdj }),
  };
  for (const vma of parent.mm.eachVma) {
    // dup_mmap: a VM_DONTCOPY (MADV_DONTFORK) VMA is left out of the child.
    if (vma.flags & VM_DONTCOPY) {
      child.mm.munmap(vma.start, vma.end);
      continue;
    }
    // dup_mmap: the child's copy is not locked (VM_LOCKED_MASK cleared); it gets an anon_vma of its own.
    const unlocked = vma.flags & VM_LOCKED ? { flags: vma.flags & ~VM_LOCKED } : {};
    const forked = vma.anonVma !== undefined ? { anonVma: k.nextId++, anonVmaForked: true } : {};
    const childVma = vma.anonVma !== undefined || vma.flags & VM_LOCKED ? child.mm.updateVma(vma, { ...forked, ...unlocked }) : vma;
    if (vmaNeedsCopy(vma)) {
      copyTables(k, parent, child, childVma);
      copyPageRange(k, parent, child, childVma);
      copyHugePmds(k, parent, child, childVma);
    }
  }
  k.tasks.set(name, child);
  return child;
}

function vmaNeedsCopy(vma: Vma): boolean {
  return vma.anonVma !== undefined || (vma.flags & (VM_PFNMAP | VM_MIXEDMAP)) !== 0;
}

/**
 * The tables copy_page_range allocates before it copies any entry: copy_pud_range
 * pud_allocs for the whole VMA, copy_pmd_range pmd_allocs where the parent has a
 * PUD entry, and copy_pte_range pte_allocs where it has a PMD entry, even when no
 * PTE in the range is copied (e.g. [vvar], VM_PFNMAP, next to the parent's pages).
 */
function copyTables(k: Kernel, parent: Task, child: Task, vma: Vma): void {
  const first = Number(vma.start >> 12n);
  const last = Number((vma.end - 1n) >> 12n);
  const pt = child.pt;
  for (let pud = Math.floor(first / 2 ** 27); pud <= Math.floor(last / 2 ** 27); pud++) {
    if (!pt.pudTables.has(pud)) pt.pudTables.set(pud, k.allocateTableFrame());
  }
  for (let pmd = Math.floor(first / 2 ** 18); pmd <= Math.floor(last / 2 ** 18); pmd++) {
    if (parent.pt.pmdTables.has(pmd) && !pt.pmdTables.has(pmd)) pt.pmdTables.set(pmd, k.allocateTableFrame());
  }
  for (let pte = Math.floor(first / 512); pte <= Math.floor(last / 512); pte++) {
    if (parent.pt.pteTables.has(pte)) pt.ensureTable(pte * 512, k);
  }
}

const isCowMapping = (vma: Vma) => (vma.flags & (VM_SHARED | VM_MAYWRITE)) === VM_MAYWRITE;

/**
 * copy_pte_range over the VMA, table by table (nothing allocated per page: see setPte). The parent's
 * table is made its own where a PTE of it changes, and the child's is found, before the table's loop.
 */
function copyPageRange(k: Kernel, parent: Task, child: Task, vma: Vma): void {
  const start = Number(vma.start >> 12n);
  const end = Number(vma.end >> 12n);
  const cow = isCowMapping(vma);
  const shared = (vma.flags & VM_SHARED) !== 0;
  for (let key = Math.floor(start / 512); key * 512 < end; key++) {
    const source = parent.pt.pteTables.get(key);
    if (!source) continue;
    const base = key * 512;
    const from = Math.max(start - base, 0);
    const last = Math.min(end - base, 512);
    // The tables the loop changes, found first, so that the loop calls nothing with a page number (a
    // double near 2^35, which V8 boxes at every call it does not inline): the parent's own copy where a
    // PTE loses its write bit (or its swap exclusivity), the child's (made by forkTask) where there is any PTE.
    let anyEntry = false;
    let protects = false;
    for (let i = from; i < last && !protects; i++) {
      const flags = source.flags[i]!;
      anyEntry ||= flags !== 0;
      protects = flags & PTE_SWAP ? (flags & PTE_SWP_EXCLUSIVE) !== 0 : cow && (flags & PTE_RW) !== 0;
    }
    if (!anyEntry) continue;
    const own = protects ? tableToWrite(k, parent, base) : undefined;
    const copy = tableToWrite(k, child, base);
    for (let i = from; i < last; i++) {
      let flags = source.flags[i]!;
      if (!flags) continue;
      const value = source.value[i]!;
      if (flags & PTE_SWAP) {
        k.swap.duplicate(value);
        if (flags & PTE_SWP_EXCLUSIVE) setPte(k, own!, i, flags & ~PTE_SWP_EXCLUSIVE, value);
        setPte(k, copy, i, flags & ~PTE_SWP_EXCLUSIVE, value);
        child.rss.swapEnts++;
        continue;
      }
      if (cow && flags & PTE_RW) {
        flags &= ~PTE_RW;
        setPte(k, own!, i, flags, value);
      }
      let childFlags = flags & ~PTE_ACCESSED;
      if (shared) childFlags &= ~PTE_DIRTY;
      if (pteMapsFolio(flags)) mapFolioAt(k, child, copy, i, value, childFlags);
      else setPte(k, copy, i, childFlags, value);
    }
  }
}

/** exit_mmap: everything is unmapped, the page tables freed (this CPU's folio batches stay as they are). */
export function exitTask(k: Kernel, task: Task): void {
  updateHiwaterRss(task);
  const shmem = shmemInodesIn(k, task, 0n, 1n << 48n);
  for (const vma of task.mm.eachVma) zapRange(k, task, Number(vma.start >> 12n), Number(vma.end >> 12n));
  for (const pfn of task.pt.tableFrames()) k.phys.free(pfn);
  task.pt.clearTables();
  task.mm.munmap(0n, 1n << 48n);
  task.exited = true;
  releaseUnmappedShmem(k, shmem);
}

