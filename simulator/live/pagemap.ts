// /proc/PID/pagemap and /proc/kpagecount, /proc/kpageflags: bit layouts
// (Documentation/admin-guide/mm/pagemap.rst; fs/proc/task_mmu.c, fs/proc/page.c) and
// bulk reads into one reused buffer. Entries are read as little-endian 32-bit halves, so a
// page costs two array loads and no bigint.
import { asProcFileError } from './proc-reader';
import type { ProcReader } from './types';

/** Entries per pread: 64k entries (512 KiB) at a time. */
export const PAGEMAP_CHUNK = 65536;

// Bits of the high 32-bit half of a pagemap entry (PM_* in task_mmu.c).
export const PM_PRESENT_HI = 0x80000000; // bit 63
export const PM_SWAP_HI = 0x40000000; // bit 62
export const PM_FILE_HI = 0x20000000; // bit 61: file page or shared anon
export const PM_GUARD_HI = 0x04000000; // bit 58: guard region (MADV_GUARD_INSTALL)
export const PM_UFFD_WP_HI = 0x02000000; // bit 57
export const PM_MMAP_EXCLUSIVE_HI = 0x01000000; // bit 56
export const PM_SOFT_DIRTY_HI = 0x00800000; // bit 55
/** Bits 32..54 of the PFN (PM_PFRAME_BITS = 55). */
export const PM_PFRAME_HI_MASK = 0x007fffff;

/** KPF_* bit numbers of /proc/kpageflags (include/uapi/linux/kernel-page-flags.h). */
export const KPF_NAMES = [
  'LOCKED', 'ERROR', 'REFERENCED', 'UPTODATE', 'DIRTY', 'LRU', 'ACTIVE', 'SLAB', 'WRITEBACK', 'RECLAIM', 'BUDDY', 'MMAP', 'ANON',
  'SWAPCACHE', 'SWAPBACKED', 'COMPOUND_HEAD', 'COMPOUND_TAIL', 'HUGE', 'UNEVICTABLE', 'HWPOISON', 'NOPAGE', 'KSM', 'THP', 'OFFLINE',
  'ZERO_PAGE', 'IDLE', 'PGTABLE',
] as const;
export const KPF_DIRTY = 1 << 4;
export const KPF_ANON = 1 << 12;
export const KPF_SWAPCACHE = 1 << 13;
export const KPF_SWAPBACKED = 1 << 14;
export const KPF_THP = 1 << 22;
export const KPF_ZERO_PAGE = 1 << 24;

/** The PFN of an entry from its halves (0 when not present or hidden from an unprivileged reader). */
export const pfnOf = (lo: number, hi: number): number => lo + (hi & PM_PFRAME_HI_MASK) * 0x100000000;

/**
 * Entries a short range reads at the least (4 KiB): a process with thousands of one-page VMAs side
 * by side reads them in one pread per 512 pages instead of one per VMA (64,000 VMAs: 125 preads, not 64,000).
 */
const READ_AHEAD = 512;

/** Reads a process's pagemap for page ranges, 64k entries per pread into one reused buffer, and short ranges with read-ahead. */
export class PagemapReader {
  private readonly bytes = new Uint8Array(PAGEMAP_CHUNK * 8);
  private readonly words = new Uint32Array(this.bytes.buffer);
  private readonly path: string;
  /** The entries in the buffer: the last read's first page and count. */
  private aheadStart = -1;
  private aheadCount = 0;

  /** `pid`'s pagemap, or our own ('self'). */
  constructor(private readonly reader: ProcReader, pid: number | 'self') {
    this.path = `${pid}/pagemap`;
  }

  /** Forgets the entries read ahead: the next scan reads pagemap again (it may have changed since). */
  forget(): void {
    this.aheadStart = -1;
    this.aheadCount = 0;
  }

  /**
   * Calls `visit(words, count, firstVpn)` for each chunk of [startVpn, endVpn): entry i is
   * words[2i] (low half) and words[2i+1] (high half); `visit` returns true to stop early.
   * Returns the entries read. Throws ProcFileError.
   */
  scan(startVpn: number, endVpn: number, visit: (words: Uint32Array, count: number, firstVpn: number) => boolean | void): number {
    for (let vpn = startVpn; vpn < endVpn; ) {
      const want = Math.min(PAGEMAP_CHUNK, endVpn - vpn);
      let count: number;
      let words = this.words;
      if (vpn >= this.aheadStart && vpn + want <= this.aheadStart + this.aheadCount) {
        // Read already, with an earlier short range: a view of the buffer from this entry on.
        count = want;
        words = this.words.subarray(2 * (vpn - this.aheadStart));
      } else {
        // A short range reads READ_AHEAD entries: the small VMAs after it are likely in them.
        const ask = Math.max(want, READ_AHEAD);
        let got: number;
        try {
          got = this.reader.readAt(this.path, vpn * 8, ask === PAGEMAP_CHUNK ? this.bytes : this.bytes.subarray(0, ask * 8));
        } catch (error) {
          throw asProcFileError(error, this.path);
        }
        this.aheadStart = vpn;
        this.aheadCount = Math.floor(got / 8);
        count = Math.min(want, this.aheadCount);
      }
      if (count === 0) return vpn - startVpn;
      vpn += count;
      if (visit(words, count, vpn - count)) return vpn - startVpn;
    }
    return endVpn - startVpn;
  }
}

/** kpagecount and kpageflags for a set of PFNs: sorted, de-duplicated, read in clustered preads. */
export interface KpageValues {
  /** Sorted unique PFNs. */
  readonly pfns: Float64Array;
  /** Mapcount per PFN (undefined when kpagecount could not be read). */
  readonly counts?: Uint32Array;
  /** Low 32 bits of kpageflags per PFN (undefined when kpageflags could not be read). */
  readonly flags?: Uint32Array;
  /** One line per file that could not be read. */
  readonly errors: string[];
}

/**
 * Entries two PFNs may lie apart and still be read in one pread: reading a few hundred entries more
 * costs less than a syscall. For a 300 MB Node process (75,000 resident pages) 64 made 3,169 preads
 * of kpagecount, 256 makes 903 and takes a third of the time (4,096: 224 preads, but longer again).
 */
const CLUSTER_GAP = 256;

/** Index of `pfn` in the sorted `pfns`, or -1. */
export function findPfn(pfns: Float64Array, pfn: number): number {
  let lo = 0;
  let hi = pfns.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = pfns[mid]!;
    if (v === pfn) return mid;
    if (v < pfn) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Reads /proc/kpagecount and /proc/kpageflags for the PFNs in `list[0..n)`. */
export function readKpages(reader: ProcReader, list: Float64Array, n: number, wantFlags = true): KpageValues {
  const sorted = list.slice(0, n).sort();
  let m = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[m - 1]) sorted[m++] = sorted[i]!;
  const pfns = sorted.subarray(0, m);
  const errors: string[] = [];
  const counts = readKpageFile(reader, 'kpagecount', pfns, errors);
  const flags = wantFlags ? readKpageFile(reader, 'kpageflags', pfns, errors) : undefined;
  return { pfns, counts, flags, errors };
}

/** Reads /proc/kpagecount or /proc/kpageflags (low 32 bits) for sorted unique PFNs; undefined (and a line in errors) when it cannot be read. */
export function readKpageFile(reader: ProcReader, path: string, pfns: Float64Array, errors: string[]): Uint32Array | undefined {
  const isCount = path === 'kpagecount';
  const out = new Uint32Array(pfns.length);
  const bytes = new Uint8Array(PAGEMAP_CHUNK * 8);
  const words = new Uint32Array(bytes.buffer);
  try {
    for (let i = 0; i < pfns.length; ) {
      const first = pfns[i]!;
      let j = i + 1;
      while (j < pfns.length && pfns[j]! - pfns[j - 1]! <= CLUSTER_GAP && pfns[j]! - first < PAGEMAP_CHUNK) j++;
      const count = pfns[j - 1]! - first + 1;
      const got = reader.readAt(path, first * 8, bytes.subarray(0, count * 8)) / 8;
      for (let k = i; k < j; k++) {
        const at = pfns[k]! - first;
        // kpagecount is a u64 mapcount (a high half would be a corrupt read: clamp); kpageflags keeps its low 32 bits.
        out[k] = at >= got ? 0 : isCount && words[2 * at + 1] ? 0xffffffff : words[2 * at]!;
      }
      i = j;
    }
  } catch (error) {
    errors.push(asProcFileError(error, path).message);
    return undefined;
  }
  return out;
}

/** The set KPF_* names of a kpageflags value. */
export function kpageFlagNames(value: bigint): string[] {
  const names: string[] = [];
  for (let bit = 0; bit < 64; bit++) if ((value >> BigInt(bit)) & 1n) names.push(KPF_NAMES[bit] ?? `BIT${bit}`);
  return names;
}
