import type { FileIdentity } from '../elf/file-access';
import { type Inode, type Kernel, type Task } from './kernel';
import { HPAGE_PMD_NR, PMD_THP, settleHugePmds } from './huge-memory';
import { basePteFlags, freeUnusedTables, pteMapsFolio, readPte, updateHiwaterRss, vpnOf, vpnsWithTables, writePte, zapRange, PTE_PROTNONE } from './memory';
import { PTE_DIRTY, PTE_NX, PTE_PRESENT, PTE_RW } from './pte';
import { PG_ANON } from './page-flags';
import { PROT_WRITE, VM_ACCOUNT, VM_DATA_DEFAULT_FLAGS, VM_EXEC, VM_MAYEXEC, VM_MAYREAD, VM_MAYSHARE, VM_LOCKED, VM_MAYWRITE, VM_READ, VM_SHARED, VM_WRITE, protToVmFlags } from './vm-flags';
import { MmapOrigin } from './mmap-origin';
import { pageAlign, PAGE_SHIFT, type MappedFile, type Vma } from './vma';
import { honoursNoreserve, recordShmemCharge, releaseUnmappedShmem, shmemInodesIn } from './commit';
import { populateVmaPageRange } from './mlock';
import { protectionBatch } from './huge-split';
import { accountFlags, brkDataLimit, brkGrowLimits, mmapLimits, mprotectCharge, mprotectSplitLimit, munmapLimits, specialSplitRefusal } from './limits';

/** A system call the kernel refuses: errno and why. */
export class SyscallError extends Error {
  constructor(
    readonly errno: 'EINVAL' | 'ENOMEM' | 'EACCES' | 'ENODEV' | 'EEXIST' | 'EPERM' | 'EFAULT',
    reason: string,
  ) {
    super(`${reason} (${errno})`);
  }
}

export interface MmapFile {
  readonly inode: Inode;
}

/** shmem_zero_setup: the object behind MAP_SHARED|MAP_ANONYMOUS, shown as /dev/zero (deleted). */
export function shmemInode(k: Kernel, size: number): Inode {
  const id = k.nextId++;
  const identity: FileIdentity = { major: 0, minor: 1, inode: 1024 + id };
  const inode: Inode = { id, path: '/dev/zero (deleted)', identity, size, shmem: true, cache: new Map(), swapped: new Map(), ra: { start: 0, size: 0, asyncSize: 0, mmapMiss: 0 } };
  k.inodes.set(id, inode);
  return inode;
}

/**
 * do_mmap + mmap_region for mmap(NULL, length, prot, flags, fd, offset):
 * the address top-down from mmap_base, the VMA flags, accounting and merge. Returns the range mapped
 * (its end is the new VMA's own bigint, which the caller's region name can share).
 */
export function doMmap(k: Kernel, task: Task, length: bigint, prot: number, shared: boolean, file: Inode | undefined, offset: bigint, line: number, region: string, zero?: MappedFile, fixed?: bigint, options: { noreserve?: boolean } = {}): { start: bigint; end: bigint } {
  if (length <= 0n) throw new SyscallError('EINVAL', 'mmap of zero length');
  if (offset & 0xfffn) throw new SyscallError('EINVAL', `offset 0x${offset.toString(16)} is not page-aligned`);
  const len = pageAlign(length);
  // do_mmap: MAP_NORESERVE counts unless the policy is strict; the limits and the charge (limits.ts).
  const noreserve = honoursNoreserve(k, options.noreserve === true);
  const shmemCharge = mmapLimits(k, task, len, prot, shared, shared && !file && !zero, noreserve);
  let inode = file;
  if (shared && !file && !zero) inode = shmemInode(k, Number(len));
  if (inode && inode !== file) recordShmemCharge(k, inode, shmemCharge);
  const pgoff = file ? offset >> PAGE_SHIFT : 0n;
  // Anonymous private mappings that are a multiple of 2 MiB get THP alignment; file ones follow the filesystem.
  const thp = (!inode && len % 0x200000n === 0n) || (file !== undefined && !file.shmem);
  const start = fixed === undefined ? task.mm.getUnmappedArea(len, 0n, pgoff, thp) : fixedNoReplace(task, fixed, len);
  if (start === undefined) throw new SyscallError('ENOMEM', `no room for ${len} bytes`);
  let flags = protToVmFlags(prot) | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
  if (shared) flags |= VM_SHARED | VM_MAYSHARE;
  if (shared && (zero || (file && !file.shmem)) && !(prot & PROT_WRITE)) flags &= ~(VM_MAYWRITE | VM_SHARED);
  if (!shared && flags & VM_WRITE) flags |= VM_ACCOUNT;
  flags = accountFlags(flags, noreserve);
  let openFile: number | undefined;
  if (file && !file.shmem) openFile = k.nextId++;
  // mmap_zero: a private (or read-only shared) /dev/zero mapping is anonymous memory that keeps its file for maps
  if (zero) openFile = k.nextId++;
  // One literal with every field (a literal with spreads is built field by field at run time).
  const vma: Vma = {
    start,
    end: start + len,
    flags,
    pgoff: inode ? pgoff : zero ? offset >> PAGE_SHIFT : start >> PAGE_SHIFT,
    file: inode ? { path: inode.path, identity: inode.identity } : zero,
    inodeId: inode?.id,
    openFile,
    writeNotify: file && !file.shmem ? true : undefined,
    origin: MmapOrigin.of(region, len, prot, shared, file?.path),
    line,
  };
  task.mm.mapRegion(vma);
  return { start, end: vma.end };
}

/** MAP_FIXED_NOREPLACE: the address as given, page-aligned, below TASK_SIZE and over nothing mapped (do_mmap, get_unmapped_area). */
function fixedNoReplace(task: Task, addr: bigint, len: bigint): bigint {
  const hex = (n: bigint) => `0x${n.toString(16)}`;
  if (addr & 0xfffn) throw new SyscallError('EINVAL', `MAP_FIXED_NOREPLACE address ${hex(addr)} is not page-aligned`);
  if (addr + len > task.mm.layout.taskSize) throw new SyscallError('ENOMEM', `[${hex(addr)}, ${hex(addr + len)}) reaches beyond TASK_SIZE ${hex(task.mm.layout.taskSize)}`);
  if (addr < 0x10000n) throw new SyscallError('EPERM', `${hex(addr)} is below mmap_min_addr 0x10000`);
  const v = task.mm.vmasIn(addr, addr + len)[0];
  if (v) throw new SyscallError('EEXIST', `MAP_FIXED_NOREPLACE: [${hex(addr)}, ${hex(addr + len)}) overlaps the mapping ${hex(v.start)}-${hex(v.end)}`);
  return addr;
}

/** do_vmi_munmap: unmap pages and VMAs in [start, end). */
export function doMunmap(k: Kernel, task: Task, start: bigint, end: bigint): void {
  if (start & 0xfffn) throw new SyscallError('EINVAL', `munmap address 0x${start.toString(16)} is not page-aligned`);
  end = pageAlign(end);
  updateHiwaterRss(task);
  munmapLimits(k, task, start, end);
  task.hiwaterVm = Math.max(task.hiwaterVm, Number(task.mm.totalVm >> 12n));
  const shmem = shmemInodesIn(k, task, start, end);
  // unmap_vmas zaps VMA by VMA: a batch of one large folio's PTEs (marked accessed once) ends at a VMA's end.
  for (const vma of task.mm.vmasIn(start, end)) zapRange(k, task, vpnOf(vma.start > start ? vma.start : start), vpnOf(vma.end < end ? vma.end : end));
  task.mm.munmap(start, end);
  freeUnusedTables(k, task, start, end);
  releaseUnmappedShmem(k, shmem);
}

/** mprotect_fixup + change_protection for [start, end). */
export function doMprotect(k: Kernel, task: Task, start: bigint, end: bigint, prot: number, line: number): void {
  if (start & 0xfffn) throw new SyscallError('EINVAL', `mprotect address 0x${start.toString(16)} is not page-aligned`);
  end = pageAlign(end);
  // do_mprotect_pkey walks the VMAs from the start: a hole at the start changes nothing (ENOMEM);
  // a later hole, or a VMA that may not become writable, stops the walk with the earlier VMAs already changed.
  for (let addr = start; addr < end; ) {
    const v = task.mm.findVma(addr);
    if (!v || v.start > addr) throw new SyscallError('ENOMEM', `[0x${start.toString(16)}, 0x${end.toString(16)}) is not entirely mapped: nothing at 0x${addr.toString(16)}`);
    if (prot & PROT_WRITE && !(v.flags & VM_MAYWRITE)) throw new SyscallError('EACCES', 'the mapping may not be made writable (file opened read-only, shared)');
    const to = v.end < end ? v.end : end;
    let flags = (v.flags & ~(VM_READ | VM_WRITE | VM_EXEC)) | protToVmFlags(prot);
    // mprotect_fixup: a private mapping (file or anonymous) that becomes writable is charged (VM_ACCOUNT);
    // one made unwritable is uncharged only if it is anonymous and has no anon_vma yet.
    if (flags & VM_WRITE) flags = mprotectCharge(k, task, v, addr, to, flags);
    else if (!(flags & VM_WRITE) && isAnonymousVma(v) && v.anonVma === undefined) flags &= ~VM_ACCOUNT;
    // mprotect_fixup: nothing to do (and no split) when the flags do not change.
    if (flags !== v.flags) {
      mprotectSplitLimit(k, task, v, addr, to, flags);
      specialSplitRefusal(task, addr, to);
      task.mm.splitAt(addr);
      task.mm.splitAt(to);
      // vma_adjust_trans_huge: a PMD the new boundaries cut is split now; the populate below touches its pages as PTEs.
      settleHugePmds(k);
      const updated = task.mm.updateVma(task.mm.vmaAt(addr) as Vma, { flags, line });
      changeProtection(k, task, updated);
      task.mm.mergeAround(updated);
      // mprotect_fixup: a locked private mapping made writable is populated with write faults now, so
      // that its locked pages never take a copy-on-write fault later (populate_vma_page_range).
      if ((v.flags & (VM_WRITE | VM_SHARED | VM_LOCKED)) === VM_LOCKED && flags & VM_WRITE) populateVmaPageRange(k, task, vpnOf(addr), vpnOf(to), true);
    }
    addr = to;
  }
}

/** vma_is_anonymous: no vm_ops (not a file, shmem or special mapping). */
function isAnonymousVma(v: Vma): boolean {
  return v.inodeId === undefined && v.file === undefined && v.special === undefined;
}

/** change_pte_range: existing PTEs take the new protection; writability is only kept where it is safe. */
function changeProtection(k: Kernel, task: Task, vma: Vma): void {
  const base = basePteFlags(vma);
  // The PTE table last looked at, and for a PMD-mapped THP whether its mapping is exclusive.
  let tableKey = -1;
  let pmdExclusive: boolean | undefined;
  // The batch of a large folio's PTEs the current one is in: its end and the accessed and dirty bits it shares.
  let batch = { end: -1, bits: 0 };
  const endVpn = vpnOf(vma.end);
  for (const vpn of vpnsWithTables(task, vpnOf(vma.start), endVpn)) {
    const [flags, value] = readPte(task, vpn);
    if (!(flags & (PTE_PRESENT | PTE_PROTNONE))) continue;
    if (vpn >= batch.end) batch = pteMapsFolio(flags) ? protectionBatch(k, task, vpn, Math.min(endVpn, (Math.floor(vpn / HPAGE_PMD_NR) + 1) * HPAGE_PMD_NR), value) : { end: vpn + 1, bits: 0 };
    let next = (flags & ~(PTE_PRESENT | PTE_PROTNONE | PTE_RW | PTE_NX)) | (base & (PTE_PRESENT | PTE_PROTNONE | PTE_NX)) | batch.bits;
    // can_change_pte_writable: an exclusive anonymous page that was writable, or is dirty in a
    // private mapping, may be writable at once; everything else follows the VMA's protection.
    let exclusiveAnon = pteMapsFolio(flags) && (k.phys.flags[value]! & PG_ANON) !== 0 && k.phys.mapcount.get(value) === 1;
    // change_huge_pmd: a PMD-mapped THP changes as one entry, writable at once only if the PMD mapping
    // is exclusive (can_change_pmd_writable: PageAnonExclusive of its head), taken here as no subpage
    // mapped elsewhere. Page by page, the subpages a fork child copied away would become writable
    // alone, and the PMD would be split.
    // Decided once per table, before its first entry changes (which marks the table touched).
    const key = Math.floor(vpn / HPAGE_PMD_NR);
    if (key !== tableKey) {
      tableKey = key;
      const table = task.pt.table(vpn);
      pmdExclusive = table?.pmd === PMD_THP && !table.pmdTouched ? table.value.every((pfn, i) => pteMapsFolio(table.flags[i]!) && k.phys.mapcount.get(pfn) === 1) : undefined;
    }
    if (pmdExclusive !== undefined) exclusiveAnon = pmdExclusive;
    // can_change_pte_writable: a shared mapping's PTE may be writable at once only if it is dirty.
    const dirty = ((flags | batch.bits) & PTE_DIRTY) !== 0;
    const keepsWrite = vma.flags & VM_SHARED ? dirty : exclusiveAnon && (flags & PTE_RW || dirty);
    if (vma.flags & VM_WRITE && (base & PTE_RW || keepsWrite)) next |= PTE_RW;
    writePte(k, task, vpn, next, value);
  }
}

/** brk(2): grow or shrink the heap VMA (do_brk_flags / do_vmi_munmap). Returns the new break. */
export function doBrk(k: Kernel, task: Task, delta: bigint, line: number): bigint {
  const layout = task.mm.layout;
  const newBrk = layout.brk + delta;
  // SYSCALL_DEFINE1(brk): a refused break leaves it where it was, and glibc's brk says ENOMEM.
  if (newBrk < layout.startBrk) throw new SyscallError('ENOMEM', `brk below the start of the heap (0x${layout.startBrk.toString(16)}): the break stays at 0x${layout.brk.toString(16)}`);
  brkDataLimit(task, newBrk);
  const oldEnd = pageAlign(layout.brk);
  const newEnd = pageAlign(newBrk);
  if (newEnd < oldEnd) doMunmap(k, task, newEnd, oldEnd);
  else if (newEnd > oldEnd) {
    brkGrowLimits(k, task, oldEnd, newEnd);
    // do_brk_flags expands the heap VMA only if it starts at or above start_brk (vma_prev_limit).
    const below = task.mm.vmaAt(oldEnd - 1n);
    // vma_merge_new_range refuses to expand a fork child's VMA that has an anon_vma (vma_is_fork_child).
    const prev = below && below.end === oldEnd && below.start >= layout.startBrk && !below.file && !(below.anonVma !== undefined && below.anonVmaForked) ? below : undefined;
    const vma: Vma = { start: oldEnd, end: newEnd, flags: VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT, pgoff: oldEnd >> PAGE_SHIFT, origin: { kind: 'heap', description: 'the heap, grown by brk()' }, line };
    if (prev) task.mm.replaceVma(prev, { ...prev, end: newEnd, line });
    else task.mm.mapRegion(vma, { prev: false, next: false });
  }
  layout.brk = newBrk;
  return newBrk;
}

