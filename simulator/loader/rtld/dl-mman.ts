// The memory system calls ld.so makes, applied to an mm the way the kernel
// applies them (do_mmap/mmap_region, mprotect_fixup, do_vmi_munmap), for the
// time before the program runs, when no page is mapped yet.
import type { MmStruct } from '../../mm/mm-struct';
import { VM_ACCOUNT, VM_EXEC, VM_MAYEXEC, VM_MAYREAD, VM_MAYWRITE, VM_READ, VM_SHARED, VM_WRITE, protToVmFlags } from '../../mm/vm-flags';
import { PAGE_SHIFT, pageAlign, type MappedFile, type VmaOrigin } from '../../mm/vma';
import { MAP_FIXED, vmMmapFile, type ExecTouch } from '../elf-map';
import { RtldError } from './rtld-error';

export interface MmanContext {
  readonly mm: MmStruct;
  readonly fileThpAlign: boolean;
  readonly touches: ExecTouch[];
}

/** mmap(addr, len, prot, MAP_PRIVATE [| MAP_FIXED], fd, offset) of a file. */
export function mmapFile(ctx: MmanContext, file: MappedFile, addr: bigint, length: bigint, prot: number, fixed: boolean, offset: bigint, origin: VmaOrigin): bigint {
  const mapCtx = { mm: ctx.mm, file, fileThpAlign: ctx.fileThpAlign, touches: ctx.touches, origin: () => origin };
  return vmMmapFile(mapCtx, addr, length, prot, fixed ? MAP_FIXED : 0, offset, origin);
}

/** mmap(addr, len, prot, MAP_PRIVATE|MAP_ANONYMOUS [| MAP_FIXED], -1, 0). */
export function mmapAnon(ctx: MmanContext, addr: bigint, length: bigint, prot: number, fixed: boolean, origin: VmaOrigin): bigint {
  const len = pageAlign(length);
  let start = addr;
  if (!fixed) {
    // Anonymous mappings that are a multiple of 2 MiB are THP-aligned (thp_get_unmapped_area), but not with a hint (__get_unmapped_area: !addr).
    const found = ctx.mm.getUnmappedArea(len, addr, 0n, addr === 0n && len % 0x200000n === 0n);
    if (found === undefined) throw new RtldError('ld.so', `cannot allocate ${len} bytes of memory (mmap: ENOMEM)`);
    start = found;
  }
  let flags = protToVmFlags(prot) | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
  if (flags & VM_WRITE) flags |= VM_ACCOUNT;
  ctx.mm.mapRegion({ start, end: start + len, flags, pgoff: start >> PAGE_SHIFT, origin });
  return start;
}

/** mprotect_fixup over [start, start+len): split, new protection, VM_ACCOUNT when it becomes writable, merge. */
export function mprotect(ctx: MmanContext, start: bigint, length: bigint, prot: number): void {
  const end = start + pageAlign(length);
  ctx.mm.splitAt(start);
  ctx.mm.splitAt(end);
  for (const v of ctx.mm.vmasIn(start, end)) {
    let flags = (v.flags & ~(VM_READ | VM_WRITE | VM_EXEC)) | protToVmFlags(prot);
    if (flags & VM_WRITE && !(v.flags & (VM_ACCOUNT | VM_WRITE | VM_SHARED))) flags |= VM_ACCOUNT;
    ctx.mm.mergeAround(ctx.mm.updateVma(v, { flags }));
  }
}

/** munmap(start, len) */
export function munmap(ctx: MmanContext, start: bigint, length: bigint): void {
  ctx.mm.munmap(start, start + pageAlign(length));
}
