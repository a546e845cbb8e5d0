import { PF_R, PF_W, PF_X, type ProgramHeader } from '../elf/program-headers';
import type { MmStruct } from '../mm/mm-struct';
import { PROT_EXEC, PROT_READ, PROT_WRITE, VM_ACCOUNT, VM_DATA_DEFAULT_FLAGS, VM_EXEC, VM_MAYEXEC, VM_MAYREAD, VM_MAYWRITE, VM_WRITE, protToVmFlags } from '../mm/vm-flags';
import { PAGE_SHIFT, pageAlign, pageOffset, pageStart, type MappedFile, type VmaOrigin } from '../mm/vma';
import { ExecError } from './exec-error';

export const MAP_FIXED = 0x10;
export const MAP_FIXED_NOREPLACE = 0x100000;

/** make_prot: PF_R/W/X to PROT_* (no arch adjustment on x86). */
export function makeProt(pFlags: number): number {
  return (pFlags & PF_R ? PROT_READ : 0) | (pFlags & PF_W ? PROT_WRITE : 0) | (pFlags & PF_X ? PROT_EXEC : 0);
}

/** A page the kernel writes during exec (padzero, the argument strings). */
export interface ExecTouch {
  readonly address: bigint;
  readonly why: string;
}

export interface MapContext {
  readonly mm: MmStruct;
  readonly file: MappedFile;
  /** Whether the file's filesystem aligns large mappings to 2 MiB (thp_get_unmapped_area). */
  readonly fileThpAlign: boolean;
  readonly touches: ExecTouch[];
  readonly origin: (kind: 'file' | 'bss', phdr: ProgramHeader) => VmaOrigin;
}

/**
 * vm_mmap of a private, read-only-opened file: do_mmap picks the address
 * (get_unmapped_area, or the fixed one) and mmap_region installs the VMA.
 */
export function vmMmapFile(ctx: MapContext, addr: bigint, length: bigint, prot: number, type: number, offset: bigint, origin: VmaOrigin): bigint {
  if (pageOffset(offset) !== 0n) throw new ExecError('EINVAL', `segment file offset 0x${offset.toString(16)} is not page-aligned with its address (vm_mmap: EINVAL)`);
  const len = pageAlign(length);
  if (len === 0n) throw new ExecError('EINVAL', 'zero-length mapping');
  const pgoff = offset >> PAGE_SHIFT;
  let start: bigint;
  if (type & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
    start = pageStart(addr);
    if (start + len > ctx.mm.layout.taskSize || start + len < start) throw new ExecError('ENOMEM', `mapping at 0x${start.toString(16)} of 0x${len.toString(16)} bytes is beyond TASK_SIZE`);
    if (type & MAP_FIXED_NOREPLACE && ctx.mm.overlaps(start, start + len)) {
      throw new ExecError('EEXIST', `ELF segment at 0x${start.toString(16)} requested but the memory is mapped already`);
    }
  } else {
    const found = ctx.mm.getUnmappedArea(len, addr, pgoff, ctx.fileThpAlign);
    if (found === undefined) throw new ExecError('ENOMEM', `no room for a 0x${len.toString(16)}-byte mapping`);
    start = found;
  }
  let flags = protToVmFlags(prot) | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
  // accountable_mapping: private writable mappings are charged.
  if (flags & VM_WRITE) flags |= VM_ACCOUNT;
  ctx.mm.mapRegion({ start, end: start + len, flags, pgoff, file: ctx.file, origin });
  return start;
}

/** elf_map (fs/binfmt_elf.c): map p_filesz bytes, reserving total_size first when given. */
export function elfMap(ctx: MapContext, addr: bigint, phdr: ProgramHeader, prot: number, type: number, totalSize: bigint): bigint {
  const size = pageAlign(phdr.filesz + pageOffset(phdr.vaddr));
  const off = phdr.offset - pageOffset(phdr.vaddr);
  const start = pageStart(addr);
  if (size === 0n) return start;
  const origin = ctx.origin('file', phdr);
  if (totalSize) {
    const total = pageAlign(totalSize);
    const mapped = vmMmapFile(ctx, start, total, prot, type, off, origin);
    ctx.mm.munmap(mapped + size, mapped + total);
    return mapped;
  }
  return vmMmapFile(ctx, start, size, prot, type, off, origin);
}

/** vm_brk_flags: an anonymous rw VMA (plus VM_EXEC if asked), merged only into the previous VMA. */
export function vmBrkFlags(mm: MmStruct, addr: bigint, length: bigint, exec: boolean, origin: VmaOrigin): void {
  const len = pageAlign(length);
  if (len === 0n) return;
  if (addr + len > mm.layout.taskSize || addr + len < addr) throw new ExecError('ENOMEM', `bss at 0x${addr.toString(16)} (+0x${len.toString(16)}) is beyond TASK_SIZE`);
  mm.munmap(addr, addr + len);
  const flags = VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT | (exec ? VM_EXEC : 0);
  mm.mapRegion({ start: addr, end: addr + len, flags, pgoff: addr >> PAGE_SHIFT, origin }, { prev: true, next: false });
}

/** elf_load (6.7+): map the file part, zero the partial page, then the anonymous bss. */
export function elfLoad(ctx: MapContext, addr: bigint, phdr: ProgramHeader, prot: number, type: number, totalSize: bigint): bigint {
  let mapAddr: bigint;
  let zeroStart: bigint;
  let zeroEnd: bigint;
  if (phdr.filesz) {
    mapAddr = elfMap(ctx, addr, phdr, prot, type, totalSize);
    zeroStart = mapAddr + pageOffset(phdr.vaddr) + phdr.filesz;
    zeroEnd = mapAddr + pageOffset(phdr.vaddr) + phdr.memsz;
    // padzero: clear_user of the rest of the last file page CoWs it (ignored if not writable).
    if (phdr.memsz > phdr.filesz && pageOffset(zeroStart) && prot & PROT_WRITE) {
      ctx.touches.push({ address: pageStart(zeroStart), why: `padzero: the end of segment ${phdr.index}'s last file page is cleared` });
    }
  } else {
    mapAddr = zeroStart = pageStart(addr);
    zeroEnd = zeroStart + pageOffset(phdr.vaddr) + phdr.memsz;
  }
  if (phdr.memsz > phdr.filesz) {
    const start = pageAlign(zeroStart);
    const end = pageAlign(zeroEnd);
    vmBrkFlags(ctx.mm, start, end - start, (prot & PROT_EXEC) !== 0, ctx.origin('bss', phdr));
  }
  return mapAddr;
}

/** total_mapping_size: from the lowest page of a PT_LOAD to the highest p_vaddr+p_memsz. */
export function totalMappingSize(loads: readonly ProgramHeader[]): bigint {
  if (!loads.length) return 0n;
  let min = (1n << 64n) - 1n;
  let max = 0n;
  for (const p of loads) {
    if (pageStart(p.vaddr) < min) min = pageStart(p.vaddr);
    if (p.vaddr + p.memsz > max) max = p.vaddr + p.memsz;
  }
  return max - min;
}

/** maximum_alignment: the largest power-of-two p_align, at least a page. */
export function maximumAlignment(loads: readonly ProgramHeader[]): bigint {
  let alignment = 0n;
  for (const p of loads) {
    const a = p.align;
    if (a === 0n || (a & (a - 1n)) !== 0n) continue;
    if (a > alignment) alignment = a;
  }
  return pageAlign(alignment);
}

