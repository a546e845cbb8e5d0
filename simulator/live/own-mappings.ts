// The observer effect of reading a process: asx's own process maps some of the files the target
// maps (libc and ld.so nearly always; node itself when the target is a Node or Electron process).
// A page of them that asx maps for the first time after reading the target's smaps and before
// reading /proc/kpagecount has a mapcount one higher than smaps saw, so the page-level Pss comes
// out lower than smaps' (a 300 MB Node process: /usr/bin/node's text, 10,225 kB in smaps and
// 10,061 kB from kpagecount) and the VMA had to be read again.
// Our own pagemap for those files, read right before smaps and again right before kpagecount,
// tells which pages we mapped in between: their mapcounts are then counted as smaps counted them.
import { PagemapReader, pfnOf, PM_PRESENT_HI } from './pagemap';
import type { ProcReader } from './types';
import { parseLiveVmas } from './vmas';

/** A file mapping of ours, as page numbers, and the PFN of each of its pages when last marked (0: none). */
interface OwnRange {
  readonly startVpn: number;
  readonly endVpn: number;
  readonly pfns: Float64Array;
}

/** The fields of a target's VMA that name its file. */
interface FileVma {
  readonly dev: string;
  readonly inode: number;
}

/** Pages of our own file mappings read at most: 1 GiB of them (8 MiB of PFNs). */
const MAX_OWN_PAGES = 1 << 18;

/** The file-backed parts of our own address space that the target maps too, and which of their pages we map. */
export class OwnMappings {
  private readonly pagemap: PagemapReader;
  /** The last mark() read every range. */
  private marked = false;

  private constructor(reader: ProcReader, private readonly ranges: readonly OwnRange[]) {
    this.pagemap = new PagemapReader(reader, 'self');
  }

  /**
   * Our mappings of the files process `pid` maps (the same device and inode), or undefined when there
   * are none, when `pid` is our own process (or one of its threads), or when our maps cannot be read.
   */
  static of(reader: ProcReader, pid: number, target: readonly FileVma[]): OwnMappings | undefined {
    try {
      const tgid = (path: string) => /^Tgid:\s*(\d+)/m.exec(reader.readText(path))?.[1];
      const self = tgid('self/status');
      if (self === undefined || self === tgid(`${pid}/status`)) return undefined;
      const files = new Set(target.filter((v) => v.inode !== 0).map((v) => `${v.dev} ${v.inode}`));
      const ranges: OwnRange[] = [];
      let pages = 0;
      for (const v of parseLiveVmas(reader.readText('self/maps'), 'self/maps').vmas) {
        if (v.inode === 0 || !files.has(`${v.dev} ${v.inode}`)) continue;
        const start = Number(BigInt(v.start) >> 12n);
        const end = Number(BigInt(v.end) >> 12n);
        if (end <= start) continue;
        pages += end - start;
        if (pages > MAX_OWN_PAGES) return undefined;
        ranges.push({ startVpn: start, endVpn: end, pfns: new Float64Array(end - start) });
      }
      return ranges.length ? new OwnMappings(reader, ranges) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Reads which pages we map now: the point the next {@link since} counts from. Right before reading smaps. */
  mark(): void {
    this.marked = this.read((range, i, pfn) => {
      range.pfns[i] = pfn;
    });
  }

  /**
   * PFN → how many more of our mappings it has now than at {@link mark} (negative: fewer), for the
   * pages whose mapping changed; undefined when our pagemap could not be read, then or now.
   */
  since(): Map<number, number> | undefined {
    if (!this.marked) return undefined;
    const changed = new Map<number, number>();
    const add = (pfn: number, by: number) => {
      const now = (changed.get(pfn) ?? 0) + by;
      if (now) changed.set(pfn, now);
      else changed.delete(pfn);
    };
    const ok = this.read((range, i, pfn) => {
      const before = range.pfns[i]!;
      if (before === pfn) return;
      if (before) add(before, -1);
      if (pfn) add(pfn, 1);
    });
    return ok ? changed : undefined;
  }

  /** Visits every page of our ranges with its PFN (0: not present, or PFNs hidden from us). */
  private read(visit: (range: OwnRange, index: number, pfn: number) => void): boolean {
    this.pagemap.forget();
    try {
      for (const range of this.ranges) {
        this.pagemap.scan(range.startVpn, range.endVpn, (words, count, firstVpn) => {
          const base = firstVpn - range.startVpn;
          for (let i = 0; i < count; i++) {
            const hi = words[2 * i + 1]!;
            visit(range, base + i, hi & PM_PRESENT_HI ? pfnOf(words[2 * i]!, hi) : 0);
          }
        });
      }
      return true;
    } catch {
      return false;
    }
  }
}
