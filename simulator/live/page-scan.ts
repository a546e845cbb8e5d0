// One pass over pagemap for a set of VMAs, then one clustered read of kpagecount/kpageflags,
// then smaps_account (fs/proc/task_mmu.c) page by page: each present page that smaps counts
// adds (PAGE_SIZE << PSS_SHIFT) / mapcount, or PAGE_SIZE << PSS_SHIFT when mapcount <= 1,
// and the VMA's Pss is the sum >> (PSS_SHIFT + 10). Large folios (THP) follow the same rule:
// with CONFIG_PAGE_MAPCOUNT, smaps_account takes folio_precise_page_mapcount page by page,
// which is what /proc/kpagecount gives.
import { PageState } from '../inspect/view-models';
import {
  KPF_ANON, KPF_DIRTY, KPF_SWAPBACKED, KPF_THP, KPF_ZERO_PAGE, PagemapReader, PM_FILE_HI, PM_MMAP_EXCLUSIVE_HI, PM_PRESENT_HI,
  PM_SOFT_DIRTY_HI, PM_SWAP_HI, PM_UFFD_WP_HI, findPfn, pfnOf, readKpageFile, readKpages,
} from './pagemap';
import { LivePageFlag, type KpageAccess, type LivePages, type LivePssGroup, type ProcReader, type VmaExplain } from './types';

/** One page in Pss fixed point: PAGE_SIZE << PSS_SHIFT. */
const PAGE_PSS = 4096 * 4096;
/** Pagemap entries read for one VMA at most: 2^24 (128 MiB of pagemap, 64 GiB of address space). */
export const MAX_SCAN_PAGES = 1 << 24;
const KINDS = ['anon', 'file', 'shmem'] as const;
type Kind = 0 | 1 | 2;

/** A range of one VMA to scan. */
export interface ScanTarget {
  readonly startVpn: number;
  readonly endVpn: number;
  /** smaps counts no page of a PFN map (VM_PFNMAP/VM_IO: [vvar]) or of hugetlb in Pss. */
  readonly skip?: 'pfnmap' | 'hugetlb';
  /** A shared-memory object (shared anonymous, SysV, memfd, /dev/shm): file pages are shmem when kpageflags is unreadable. */
  readonly shmemGuess: boolean;
  readonly wantPages: boolean;
  /** The kernel's Rss, Pss, Swap and SwapPss for the VMA (smaps), for sizing and the notes. */
  readonly kernelRssKb?: number;
  readonly kernelPssKb?: number;
  readonly kernelSwapKb?: number;
  readonly kernelSwapPssKb?: number;
}

export interface ScanResult {
  readonly explains: VmaExplain[];
  readonly pages: (LivePages | undefined)[];
  readonly access: KpageAccess;
  readonly warnings: string[];
}

/** Grows typed arrays for the collected present pages. */
class Collected {
  n = 0;
  pfn: Float64Array;
  slot: Uint32Array;
  page: Uint32Array;
  hi: Uint32Array;
  constructor(capacity: number) {
    this.pfn = new Float64Array(capacity);
    this.slot = new Uint32Array(capacity);
    this.page = new Uint32Array(capacity);
    this.hi = new Uint32Array(capacity);
  }
  push(pfn: number, slot: number, page: number, hi: number): void {
    if (this.n === this.pfn.length) {
      const grow = <T extends Float64Array | Uint32Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.pfn = grow(this.pfn);
      this.slot = grow(this.slot);
      this.page = grow(this.page);
      this.hi = grow(this.hi);
    }
    this.pfn[this.n] = pfn;
    this.slot[this.n] = slot;
    this.page[this.n] = page;
    this.hi[this.n++] = hi;
  }
}

/** Per VMA: groups keyed kind * 2^32 + mapcount, with pages and fixed-point share sums. */
interface Tally {
  groups: Map<number, { pages: number; share: number }>;
  share: number;
  skipped: number;
  zero: number;
  unknownPages: number;
  swapPages: number;
  /** Exclusively mapped pages taken as mapcount 1 without a kpagecount read: anonymous, and file-or-shared. */
  exclusiveAnon: number;
  exclusiveFile: number;
  /** A PFN of a file-or-shared page, to tell file from shmem. */
  filePfn: number;
  /** The group addGroup touched last, and its key. */
  last?: { pages: number; share: number };
  lastKey?: number;
  /** Set when the scan stopped at the budget: pages from here on were not read. */
  truncatedAt?: number;
  /** Pages whose kpagecount includes mappings of our own made after smaps was read. */
  observed: number;
}

const pageFlags = (hi: number): number =>
  (hi & PM_SOFT_DIRTY_HI ? LivePageFlag.SoftDirty : 0) | (hi & PM_MMAP_EXCLUSIVE_HI ? LivePageFlag.Exclusive : 0) |
  (hi & PM_FILE_HI ? LivePageFlag.FileOrShared : 0) | (hi & PM_UFFD_WP_HI ? LivePageFlag.UffdWp : 0);

const guessKind = (hi: number, t: ScanTarget): Kind => (hi & PM_FILE_HI ? (t.shmemGuess ? 2 : 1) : 0);

function addGroup(tally: Tally, kind: Kind, mapcount: number, share: number, pages = 1): void {
  const key = kind * 0x100000000 + mapcount;
  // Neighbouring pages mostly share kind and mapcount: skip the map lookup then.
  if (tally.lastKey === key) {
    tally.last!.pages += pages;
    tally.last!.share += share;
    return;
  }
  const g = tally.groups.get(key);
  if (g) {
    g.pages += pages;
    g.share += share;
    tally.last = g;
  } else {
    tally.last = { pages, share };
    tally.groups.set(key, tally.last);
  }
  tally.lastKey = key;
}

/** How scanPages may save reads. */
export interface ScanOptions {
  /**
   * Take an exclusively mapped page (pagemap bit 56) as mapcount 1 without reading kpagecount:
   * for a small folio the kernel sets the bit exactly when its mapcount is 1; for a large folio,
   * when no other process maps it. The caller checks the sum against smaps and scans a VMA
   * again without this when they differ.
   */
  readonly trustExclusive?: boolean;
  /**
   * Called after pagemap and before kpagecount: the PFNs our own process mapped (or unmapped) since
   * the target's smaps was read, with how many mappings more (OwnMappings.since). Their mapcounts
   * are counted as smaps counted them: kpagecount's less ours.
   */
  readonly ownChanges?: () => ReadonlyMap<number, number> | undefined;
}

/** Scans pagemap for every target, reads the kpage files once, and accounts each page. Throws ProcFileError when pagemap cannot be read. */
export function scanPages(reader: ProcReader, pid: number, targets: readonly ScanTarget[], options: ScanOptions = {}): ScanResult {
  const trustExclusive = !!options.trustExclusive && !targets.some((t) => t.wantPages);
  const pagemap = new PagemapReader(reader, pid);
  // Sized from smaps' Rss so that the arrays rarely grow.
  const collected = new Collected(Math.max(1024, Math.min(1 << 24, targets.reduce((n, t) => n + (t.kernelRssKb ?? 0) / 4, 0) + 64)));
  const tallies: Tally[] = targets.map(() => ({ groups: new Map(), share: 0, skipped: 0, zero: 0, unknownPages: 0, swapPages: 0, exclusiveAnon: 0, exclusiveFile: 0, filePfn: 0, last: undefined, lastKey: -1, observed: 0 }));
  const pages: (LivePages | undefined)[] = targets.map((t) => {
    if (!t.wantPages) return undefined;
    const count = t.endVpn - t.startVpn;
    return { start: `0x${(BigInt(t.startVpn) << 12n).toString(16)}`, count, states: new Uint8Array(count), mapcounts: new Uint8Array(count), flags: new Uint8Array(count) };
  });
  let noPfn = false;
  const warnings: string[] = [];
  targets.forEach((t, slot) => {
    const tally = tallies[slot]!;
    const grid = pages[slot];
    // Pages smaps surely counts in Rss (a file page, or one mapped exclusively; not the zero page):
    // once they reach Rss and the swapped ones Swap, the rest of a sparse VMA is empty.
    const rssPages = t.kernelRssKb !== undefined && !grid ? t.kernelRssKb / 4 : Infinity;
    const swapPages = (t.kernelSwapKb ?? 0) / 4;
    let certain = 0;
    const end = Math.min(t.endVpn, t.startVpn + MAX_SCAN_PAGES);
    const scanned = pagemap.scan(t.startVpn, end, (words, count, firstVpn) => {
      const base = firstVpn - t.startVpn;
      for (let i = 0; i < count; i++) {
        const hi = words[2 * i + 1]!;
        if (hi & PM_PRESENT_HI) {
          const page = base + i;
          if (hi & (PM_FILE_HI | PM_MMAP_EXCLUSIVE_HI)) certain++;
          if (grid) grid.flags[page] = pageFlags(hi);
          if (t.skip) {
            tally.skipped++;
            if (grid) grid.states[page] = PageState.FileClean;
            continue;
          }
          const pfn = pfnOf(words[2 * i]!, hi);
          if (pfn !== 0) {
            if (hi & PM_FILE_HI && !tally.filePfn) tally.filePfn = pfn;
            if (trustExclusive && hi & PM_MMAP_EXCLUSIVE_HI) {
              if (hi & PM_FILE_HI) tally.exclusiveFile++;
              else tally.exclusiveAnon++;
            } else collected.push(pfn, slot, page, hi);
            continue;
          }
          // No PFN (no CAP_SYS_ADMIN): the exclusive bit says mapcount 1; otherwise unknown.
          noPfn = true;
          tally.unknownPages++;
          const kind = guessKind(hi, t);
          const exclusive = (hi & PM_MMAP_EXCLUSIVE_HI) !== 0;
          addGroup(tally, kind, exclusive ? 1 : 0, exclusive ? PAGE_PSS : 0);
          if (exclusive) tally.share += PAGE_PSS;
          if (grid) {
            grid.states[page] = kind === 0 ? (exclusive ? PageState.AnonPrivate : PageState.AnonShared) : kind === 2 ? PageState.Shmem : PageState.FileClean;
            if (exclusive) grid.mapcounts[page] = 1;
          }
        } else if (hi & PM_SWAP_HI) {
          tally.swapPages++;
          if (grid) {
            grid.states[base + i] = PageState.Swapped;
            grid.flags[base + i] = pageFlags(hi);
          }
        }
      }
      return certain >= rssPages && tally.swapPages >= swapPages;
    });
    if (end < t.endVpn && scanned === end - t.startVpn) {
      tally.truncatedAt = end - t.startVpn;
      warnings.push(`pid ${pid} (/proc/${pid}/pagemap): only the first ${end - t.startVpn} of ${t.endVpn - t.startVpn} pages of 0x${(BigInt(t.startVpn) << 12n).toString(16)} were read (at most ${MAX_SCAN_PAGES} pages of a VMA)`);
    }
  });
  // kpageflags page by page only for the grid; for Pss alone, pagemap's bit 61 tells anonymous
  // pages from the rest, and one page per VMA tells file from shmem (a VMA maps one object).
  const wantFlags = targets.some((t) => t.wantPages);
  const anyExclusive = tallies.some((t) => t.exclusiveAnon + t.exclusiveFile > 0);
  // With every page exclusive, read one kpagecount entry anyway: mapcounts are exact only where kpagecount is readable.
  if (!collected.n && anyExclusive) {
    const t = tallies.findIndex((x) => x.exclusiveAnon + x.exclusiveFile > 0);
    collected.push(tallies[t]!.filePfn || 0, t, 0, 0);
  }
  const own = collected.n ? options.ownChanges?.() : undefined;
  const kpages = collected.n ? readKpages(reader, collected.pfn, collected.n, wantFlags) : undefined;
  if (kpages) warnings.push(...kpages.errors);
  const counts = kpages?.counts;
  const flags = kpages?.flags;
  const vmaKinds = (collected.n || anyExclusive) && !wantFlags ? fileKindsByVma(reader, tallies, warnings) : undefined;
  tallies.forEach((tally, slot) => {
    if (tally.exclusiveAnon) addGroup(tally, 0, 1, tally.exclusiveAnon * PAGE_PSS, tally.exclusiveAnon);
    if (tally.exclusiveFile) addGroup(tally, vmaKinds?.[slot] ?? guessKind(PM_FILE_HI, targets[slot]!), 1, tally.exclusiveFile * PAGE_PSS, tally.exclusiveFile);
    tally.share += (tally.exclusiveAnon + tally.exclusiveFile) * PAGE_PSS;
    // Without kpagecount, even these are not known for certain.
    if (!counts) tally.unknownPages += tally.exclusiveAnon + tally.exclusiveFile;
  });
  for (let k = 0; k < collected.n; k++) {
    const hi = collected.hi[k]!;
    if (!hi) continue; // the probe read above
    const slot = collected.slot[k]!;
    const t = targets[slot]!;
    const tally = tallies[slot]!;
    const at = findPfn(kpages!.pfns, collected.pfn[k]!);
    const kf = flags ? flags[at]! : undefined;
    const grid = pages[slot];
    const page = collected.page[k]!;
    // vm_normal_page gives no page for the zero page: smaps leaves it out of Rss and Pss. Without
    // kpageflags: a present anonymous-looking page that nothing maps (kpagecount 0) is the zero page.
    if (kf !== undefined ? kf & KPF_ZERO_PAGE : !(hi & PM_FILE_HI) && counts && counts[at] === 0) {
      tally.zero++;
      if (grid) grid.states[page] = PageState.ZeroPage;
      continue;
    }
    const kind: Kind = kf !== undefined ? (kf & KPF_ANON ? 0 : kf & KPF_SWAPBACKED ? 2 : 1) : !(hi & PM_FILE_HI) ? 0 : vmaKinds?.[slot] ?? guessKind(hi, t);
    if (counts) {
      let mapcount = counts[at]!;
      // A mapcount below 1 after ours are taken off: kpagecount was read before our mapping; left as read.
      const ours = own?.get(collected.pfn[k]!);
      if (ours && mapcount - ours >= 1) {
        mapcount -= ours;
        tally.observed++;
      }
      const share = mapcount <= 1 ? PAGE_PSS : Math.floor(PAGE_PSS / mapcount);
      addGroup(tally, kind, mapcount, share);
      tally.share += share;
      if (grid) {
        grid.mapcounts[page] = Math.min(mapcount, 255);
        grid.flags[page]! |= LivePageFlag.MapcountKnown | (kf !== undefined && kf & KPF_THP ? LivePageFlag.Thp : 0);
        grid.states[page] = stateOf(kind, mapcount >= 2, kf);
      }
    } else {
      tally.unknownPages++;
      const exclusive = (hi & PM_MMAP_EXCLUSIVE_HI) !== 0;
      addGroup(tally, kind, exclusive ? 1 : 0, exclusive ? PAGE_PSS : 0);
      if (exclusive) tally.share += PAGE_PSS;
      if (grid) grid.states[page] = stateOf(kind, !exclusive, kf);
    }
  }
  const access: KpageAccess = noPfn ? 'no-pfn' : kpages && (!counts || (wantFlags && !flags)) ? 'no-kpage' : 'full';
  return { explains: targets.map((t, slot) => explainOf(t, tallies[slot]!, access)), pages, access, warnings };
}

/** Per VMA, whether its file-or-shared pages are shmem (2) or page cache (1): kpageflags of its first such page. */
function fileKindsByVma(reader: ProcReader, tallies: readonly Tally[], warnings: string[]): (Kind | undefined)[] {
  const sample = tallies.map((t) => (t.filePfn ? t.filePfn : -1));
  const pfns = [...new Set(sample.filter((p) => p >= 0))].sort((a, b) => a - b);
  if (!pfns.length) return [];
  const flags = readKpageFile(reader, 'kpageflags', Float64Array.from(pfns), warnings);
  if (!flags) return [];
  return sample.map((p) => (p < 0 ? undefined : flags[pfns.indexOf(p)]! & KPF_ANON ? 0 : flags[pfns.indexOf(p)]! & KPF_SWAPBACKED ? 2 : 1));
}

function stateOf(kind: Kind, shared: boolean, kf: number | undefined): PageState {
  if (kind === 0) return shared ? PageState.AnonShared : PageState.AnonPrivate;
  if (kind === 2) return PageState.Shmem;
  return kf !== undefined && kf & KPF_DIRTY ? PageState.FileDirty : PageState.FileClean;
}

const ACCESS_NOTES: Readonly<Record<KpageAccess, string>> = {
  full: '',
  'no-pfn': 'PFNs read as 0 (reading them needs CAP_SYS_ADMIN): mapcounts are unknown except for exclusively mapped pages (mapcount 1)',
  'no-kpage': '/proc/kpagecount or /proc/kpageflags cannot be read: mapcounts (or page kinds) are unknown',
  'no-pagemap': '/proc/PID/pagemap cannot be read',
};

const NO_NOTES: readonly string[] = Object.freeze([]);

function explainOf(t: ScanTarget, tally: Tally, access: KpageAccess): VmaExplain {
  const exact = tally.unknownPages === 0 && tally.truncatedAt === undefined;
  let knownShare = 0;
  let unknownPages = 0;
  const sorted = [...tally.groups.entries()].sort((a, b) => a[0] - b[0]);
  for (const [key, g] of sorted) {
    const mapcount = key % 0x100000000;
    if (!exact && mapcount === 0) unknownPages += g.pages;
    else knownShare += g.share;
  }
  // Pages of unknown mapcount share what the kernel's Pss leaves after the known pages.
  const inferred = !exact && t.kernelPssKb !== undefined ? Math.max(0, t.kernelPssKb * 1024 - knownShare / 4096) : 0;
  // Made by map, sized to fit: an array grown by push has room for 17 (152 bytes a VMA with one group).
  const groups: LivePssGroup[] = sorted.map(([key, g]) => {
    const kind = KINDS[Math.floor(key / 0x100000000)]!;
    const mapcount = key % 0x100000000;
    const unknown = !exact && mapcount === 0;
    return { kind, mapcount, pages: g.pages, pssBytes: unknown ? (unknownPages ? (inferred * g.pages) / unknownPages : 0) : g.share / 4096 };
  });
  const notes: string[] = [];
  let pssKb = Math.floor(tally.share / 2 ** 22);
  if (!exact && unknownPages) pssKb = Math.floor((knownShare / 4096 + inferred) / 1024);
  if (tally.unknownPages) {
    notes.push(`${ACCESS_NOTES[access] || ACCESS_NOTES['no-kpage']}; ${unknownPages} pages of unknown mapcount share the ${(inferred / 1024).toFixed(2)} kB that smaps' Pss leaves`);
  }
  if (tally.swapPages) {
    groups.push({ kind: 'swap', mapcount: 0, pages: tally.swapPages, pssBytes: tally.swapPages * 4096 });
    notes.push(`${tally.swapPages} swapped-out pages count toward SwapPss (kernel: ${t.kernelSwapPssKb ?? '?'} kB), never Pss; SwapPss cannot be exact here: the swap count of an entry is not exported, so they are shown as unshared`);
  }
  if (t.kernelSwapKb !== undefined && t.kernelSwapKb > tally.swapPages * 4) {
    notes.push(`smaps' Swap (${t.kernelSwapKb} kB) includes ${t.kernelSwapKb - tally.swapPages * 4} kB of swapped shmem pages that have no page-table entry (shmem_swap_usage)`);
  }
  if (tally.truncatedAt !== undefined) notes.push(`only the first ${tally.truncatedAt} pages were read: the scan's budget of ${MAX_SCAN_PAGES} pages ran out`);
  if (t.skip) notes.push(`${tally.skipped} present pages left out: smaps counts no page of a ${t.skip === 'pfnmap' ? 'PFN map (VM_PFNMAP/VM_IO)' : 'hugetlb VMA'} in Pss`);
  if (tally.observed) notes.push(`${tally.observed === 1 ? '1 page was' : `${tally.observed} pages were`} mapped or unmapped by the reading process itself after smaps was read (it maps the same file): counted with the mapcount smaps saw, not /proc/kpagecount's`);
  if (tally.zero) notes.push(`${tally.zero} pages map the zero page, which smaps leaves out (vm_normal_page)`);
  const skippedPages = tally.skipped + tally.zero;
  // Most VMAs have no note: they share one empty list.
  const kept = notes.length ? notes : NO_NOTES;
  return t.kernelPssKb !== undefined ? { groups, pssKb, exact, kernelPssKb: t.kernelPssKb, skippedPages, notes: kept } : { groups, pssKb, exact, skippedPages, notes: kept };
}
