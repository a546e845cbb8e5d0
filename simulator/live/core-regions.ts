// The address space at the dump: PT_LOAD segments and NT_FILE ranges merged into the VMAs
// /proc/PID/maps showed. A kernel core writes one PT_LOAD per VMA (fs/coredump.c
// dump_vma_snapshot, fs/binfmt_elf.c elf_core_dump) with p_flags from vm_flags, and NT_FILE
// (fill_files_note) for every file VMA. gdb's gcore writes PT_LOADs only for what it dumps,
// with PF_R always set, so file VMAs it skips appear only in NT_FILE.
import { PF_R, PF_W, PF_X, type ProgramHeader } from '../elf/program-headers';
import type { CoreProducer } from './core-types';
import type { FileNoteEntry } from './core-notes';

/** A region while it is being built (bigint addresses). */
export interface RawRegion {
  start: bigint;
  end: bigint;
  /** 'rwx' letters without the p/s column. */
  rwx: string;
  offset: bigint;
  path?: string;
  name?: string;
  nameKnown: boolean;
  permsSource: 'core' | 'core+file' | 'file' | 'core-guess' | 'guess';
  dumpedBytes: bigint;
  segment?: ProgramHeader;
  /** gcore's PF_W and PF_X, which are exact even where PF_R is not. */
  coreFlags?: number;
}

interface Span<T> {
  start: bigint;
  end: bigint;
  item: T;
}

/** Sorts ranges and cuts away the parts that overlap an earlier one (a hostile core). */
function disjoint<T>(spans: Span<T>[], what: string, warnings: string[]): Span<T>[] {
  spans.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: Span<T>[] = [];
  let overlaps = 0;
  for (const s of spans) {
    const last = out[out.length - 1];
    if (last && s.start < last.end) {
      overlaps++;
      if (s.end <= last.end) continue;
      out.push({ ...s, start: last.end });
    } else out.push(s);
  }
  if (overlaps) warnings.push(`${overlaps} ${what} overlap earlier ones; the overlapping parts were left out`);
  return out;
}

/** Kernel cores cover every NT_FILE range with PT_LOADs; gcore leaves out the file VMAs it does not dump. */
export function detectProducer(loads: readonly ProgramHeader[], files: readonly FileNoteEntry[]): CoreProducer {
  if (!loads.length && !files.length) return 'unknown';
  if (files.length) {
    const sorted = loads.filter((p) => p.memsz > 0n).map((p) => [p.vaddr, p.vaddr + p.memsz] as const).sort((a, b) => (a[0] < b[0] ? -1 : 1));
    for (const f of files) {
      if (!covered(sorted, f.start, f.end)) return 'gdb';
    }
    return 'kernel';
  }
  // Without NT_FILE: the kernel aligns PT_LOADs to ELF_EXEC_PAGESIZE, gdb writes p_align 1.
  return (loads[0]?.align ?? 0n) >= 0x1000n ? 'kernel' : 'gdb';
}

function covered(sorted: readonly (readonly [bigint, bigint])[], start: bigint, end: bigint): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as readonly [bigint, bigint])[1] <= start) lo = mid + 1;
    else hi = mid;
  }
  let at = start;
  for (let i = lo; i < sorted.length && at < end; i++) {
    const [s, e] = sorted[i] as readonly [bigint, bigint];
    if (s > at) return false;
    if (e > at) at = e;
  }
  return at >= end;
}

export function flagLetters(flags: number): string {
  return `${flags & PF_R ? 'r' : '-'}${flags & PF_W ? 'w' : '-'}${flags & PF_X ? 'x' : '-'}`;
}

/**
 * Cuts the address space at every PT_LOAD and NT_FILE boundary and merges the pieces that come
 * from the same segment and the same file entry: one region per VMA for real cores.
 */
export function mergeRegions(loads: readonly ProgramHeader[], files: readonly FileNoteEntry[], pageSize: bigint, producer: CoreProducer, addressLimit: bigint, warnings: string[]): RawRegion[] {
  let wrapped = 0;
  const clip = (start: bigint, end: bigint): bigint => {
    if (end > addressLimit || end < start) {
      wrapped++;
      return addressLimit;
    }
    return end;
  };
  const segs = disjoint(
    loads.filter((p) => p.memsz > 0n && p.vaddr < addressLimit).map((p) => ({ start: p.vaddr, end: clip(p.vaddr, p.vaddr + p.memsz), item: p })),
    'PT_LOAD segments',
    warnings,
  );
  const maps = disjoint(
    files.filter((f) => f.end > f.start && f.start < addressLimit).map((f) => ({ start: f.start, end: clip(f.start, f.end), item: f })),
    'NT_FILE ranges',
    warnings,
  );
  if (wrapped) warnings.push(`${wrapped} ranges end past the top of the address space; they were cut there`);
  const points = [...new Set([...segs, ...maps].flatMap((s) => [s.start, s.end]))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const regions: RawRegion[] = [];
  let si = 0;
  let mi = 0;
  let last: { seg?: Span<ProgramHeader>; map?: Span<FileNoteEntry>; region: RawRegion } | undefined;
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i] as bigint;
    const b = points[i + 1] as bigint;
    while (si < segs.length && (segs[si] as Span<ProgramHeader>).end <= a) si++;
    while (mi < maps.length && (maps[mi] as Span<FileNoteEntry>).end <= a) mi++;
    const seg = si < segs.length && (segs[si] as Span<ProgramHeader>).start <= a ? segs[si] : undefined;
    const map = mi < maps.length && (maps[mi] as Span<FileNoteEntry>).start <= a ? maps[mi] : undefined;
    if (!seg && !map) {
      last = undefined;
      continue;
    }
    if (last && last.seg === seg && last.map === map && last.region.end === a) {
      last.region.end = b;
      continue;
    }
    const region = pieceRegion(a, b, seg?.item, map?.item, pageSize, producer);
    regions.push(region);
    last = { seg, map, region };
  }
  for (const r of regions) r.dumpedBytes = dumpedBytes(r);
  return regions;
}

function pieceRegion(start: bigint, end: bigint, seg: ProgramHeader | undefined, map: FileNoteEntry | undefined, pageSize: bigint, producer: CoreProducer): RawRegion {
  const offset = map ? map.pgoff * pageSize + (start - map.start) : 0n;
  const region: RawRegion = { start, end, rwx: 'r--', offset, nameKnown: true, permsSource: 'guess', dumpedBytes: 0n };
  if (map) region.path = map.path;
  if (seg) {
    region.segment = seg;
    region.coreFlags = seg.flags;
    if (producer === 'kernel') {
      region.rwx = flagLetters(seg.flags);
      region.permsSource = 'core';
    } else {
      // gcore: PF_W and PF_X are the VMA's; PF_R is always set. Anonymous memory that is
      // neither writable nor executable is almost always a PROT_NONE guard or reservation.
      const wx = seg.flags & (PF_W | PF_X);
      region.rwx = flagLetters(wx || map ? wx | PF_R : 0);
      region.permsSource = 'core-guess';
    }
  }
  return region;
}

/** The part of the segment's p_filesz that lies inside the region. */
function dumpedBytes(r: RawRegion): bigint {
  const seg = r.segment;
  if (!seg) return 0n;
  const dumpedEnd = seg.vaddr + seg.filesz;
  const end = dumpedEnd < r.end ? dumpedEnd : r.end;
  return end > r.start ? end - r.start : 0n;
}

/** Index of the region holding an address (binary search), or undefined. */
export function regionIndexOf(regions: readonly { start: bigint; end: bigint }[], address: bigint): number | undefined {
  let lo = 0;
  let hi = regions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const r = regions[mid] as { start: bigint; end: bigint };
    if (r.end <= address) lo = mid + 1;
    else if (r.start > address) hi = mid;
    else return mid;
  }
  return undefined;
}
