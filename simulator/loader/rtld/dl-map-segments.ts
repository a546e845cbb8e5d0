import { ET_DYN } from '../../elf/header';
import { PF_R, PF_W, PF_X, type ProgramHeader } from '../../elf/program-headers';
import { PROT_EXEC, PROT_READ, PROT_WRITE } from '../../mm/vm-flags';
import { PAGE_SIZE, pageAlign, pageStart, type MappedFile, type VmaOrigin } from '../../mm/vma';
import { mmapAnon, mmapFile, mprotect, munmap, type MmanContext } from './dl-mman';

/** struct loadcmd (elf/dl-load.h), computed from one PT_LOAD in _dl_map_object_from_fd. */
export interface LoadCommand {
  readonly phdr: ProgramHeader;
  readonly mapstart: bigint;
  readonly mapend: bigint;
  readonly dataend: bigint;
  readonly allocend: bigint;
  readonly mapoff: bigint;
  readonly prot: number;
  /** p_align_max over all PT_LOADs (glibc 2.36 aligns every segment to the largest). */
  mapalign: bigint;
}

export function loadCommand(p: ProgramHeader): LoadCommand {
  const prot = (p.flags & PF_R ? PROT_READ : 0) | (p.flags & PF_W ? PROT_WRITE : 0) | (p.flags & PF_X ? PROT_EXEC : 0);
  return {
    phdr: p,
    mapstart: pageStart(p.vaddr),
    mapend: pageAlign(p.vaddr + p.filesz),
    dataend: p.vaddr + p.filesz,
    allocend: p.vaddr + p.memsz,
    mapoff: pageStart(p.offset),
    prot,
    mapalign: 0n,
  };
}

export interface MappedObject {
  readonly lAddr: bigint;
  readonly mapStart: bigint;
  readonly mapEnd: bigint;
}

/**
 * _dl_map_segment: the first mapping, over-reserved and realigned when p_align exceeds a page (2.35+).
 * `mappref` is the first segment's page (ELF_PREFERRED_ADDRESS): an address hint the kernel honours
 * when the range is free, so a library linked at 0x30000000 (-Ttext-segment) loads there.
 */
function mapSegment(ctx: MmanContext, file: MappedFile, c: LoadCommand, maplength: bigint, origin: VmaOrigin): bigint {
  const mappref = c.mapstart;
  if (c.mapalign <= PAGE_SIZE) return mmapFile(ctx, file, mappref, maplength, c.prot, false, c.mapoff, origin);
  const maplen = maplength >= c.mapalign ? maplength + c.mapalign : 2n * c.mapalign;
  const mapStart = mmapAnon(ctx, mappref, maplen, 0, false, { kind: 'mmap', description: `ld.so: PROT_NONE reservation to align ${file.path} to 0x${c.mapalign.toString(16)}` });
  const aligned = (mapStart + c.mapalign - 1n) & ~(c.mapalign - 1n);
  mmapFile(ctx, file, aligned, maplength, c.prot, true, c.mapoff, origin);
  if (aligned - mapStart) munmap(ctx, mapStart, aligned - mapStart);
  const mapEnd = pageAlign(aligned + maplength);
  const tail = mapStart + pageAlign(maplen) - mapEnd;
  if (tail > 0n) munmap(ctx, mapEnd, tail);
  return aligned;
}

/**
 * _dl_map_segments (elf/dl-map-segments.h, glibc 2.36): ET_DYN objects get
 * one mapping of the whole span with the first segment's protection, the
 * gaps made PROT_NONE (still file-backed), then each later segment MAP_FIXED;
 * the partial page after p_filesz is zeroed and whole bss pages are mapped
 * anonymous. ET_EXEC objects map every segment at its address.
 */
export function mapSegments(ctx: MmanContext, file: MappedFile, name: string, type: number, loadcmds: readonly LoadCommand[], maplength: bigint, hasHoles: boolean, fixedBase = 0n): MappedObject {
  const segmentOrigin = (c: LoadCommand): VmaOrigin => ({ kind: 'mmap', phdrIndex: c.phdr.index, description: `ld.so: ${name} PT_LOAD [${c.phdr.index}] at p_vaddr 0x${c.phdr.vaddr.toString(16)}, file offset 0x${c.phdr.offset.toString(16)} (_dl_map_segments)` });
  const first = loadcmds[0] as LoadCommand;
  let lAddr = fixedBase;
  let mapStart: bigint;
  let index = 0;
  if (type === ET_DYN) {
    mapStart = mapSegment(ctx, file, first, maplength, segmentOrigin(first));
    lAddr = mapStart - first.mapstart;
    const last = loadcmds[loadcmds.length - 1] as LoadCommand;
    if (hasHoles) mprotect(ctx, lAddr + first.mapend, last.mapstart - first.mapend, 0);
  } else {
    mapStart = first.mapstart + lAddr;
  }
  for (const c of loadcmds) {
    const postmapOnly = type === ET_DYN && index === 0;
    index++;
    if (!postmapOnly && c.mapend > c.mapstart) mmapFile(ctx, file, lAddr + c.mapstart, c.mapend - c.mapstart, c.prot, true, c.mapoff, segmentOrigin(c));
    if (c.allocend <= c.dataend) continue;
    const zero = lAddr + c.dataend;
    const zeroend = lAddr + c.allocend;
    let zeropage = pageAlign(zero);
    if (zeroend < zeropage) zeropage = zeroend;
    if (zeropage > zero) {
      // Zero the final part of the last page; a read-only segment is made writable for the memset.
      if (!(c.prot & PROT_WRITE)) mprotect(ctx, pageStart(zero), PAGE_SIZE, c.prot | PROT_WRITE);
      ctx.touches.push({ address: pageStart(zero), why: `ld.so zeroes the end of ${name}'s last file page of PT_LOAD [${c.phdr.index}] (memset in _dl_map_segments)` });
      if (!(c.prot & PROT_WRITE)) mprotect(ctx, pageStart(zero), PAGE_SIZE, c.prot);
    }
    if (zeroend > zeropage) {
      mmapAnon(ctx, zeropage, zeroend - zeropage, c.prot, true, { kind: 'mmap', phdrIndex: c.phdr.index, description: `ld.so: ${name} bss of PT_LOAD [${c.phdr.index}] (anonymous zero-fill, _dl_map_segments)` });
    }
  }
  return { lAddr, mapStart, mapEnd: mapStart + maplength };
}
