// /proc/meminfo (fs/proc/meminfo.c meminfo_proc_show) for the simulated machine, every line the
// reference kernel (6.18, x86-64, CONFIG_ZSWAP, THP, no highmem) prints, in its order and format.
// The numbers come from the simulator's own books: the frames, the LRU lists, the page caches,
// the swap device, the page tables and the overcommit accounting. What the simulator does not
// model (slab, kernel stacks, vmalloc, per-cpu, hugetlb) is 0.
import { anonHugePages } from '../mm/huge-memory';
import { committedPages, vmCommitLimit } from '../mm/commit';
import type { Kernel } from '../mm/kernel';
import { PG_ANON, PG_DIRTY, PG_KERNEL, PG_SWAPCACHE, PG_ZERO } from '../mm/page-flags';
import { watermarks } from '../mm/vmscan';

/** Every meminfo field in pages (or as printed for the HugePages_ counts), by name. */
export type Meminfo = Record<string, number>;

/** The frames' global counters, counted from struct page: NR_ANON_MAPPED, NR_FILE_MAPPED, NR_FILE_DIRTY, the swap cache. */
function countFrames(k: Kernel): { anonMapped: number; fileMapped: number; swapCached: number } {
  const phys = k.phys;
  let anonMapped = 0;
  let fileMapped = 0;
  let swapCached = 0;
  for (let pfn = 0; pfn < phys.covered; pfn++) {
    const flags = phys.flags[pfn]!;
    if (flags & PG_SWAPCACHE) swapCached++;
    if (!(phys.mapcount.get(pfn) > 0) || flags & (PG_KERNEL | PG_ZERO)) continue;
    if (flags & PG_ANON) anonMapped++;
    else fileMapped++;
  }
  return { anonMapped, fileMapped, swapCached };
}

/** The page caches: Cached (NR_FILE_PAGES less the swap cache), Shmem (NR_SHMEM), Dirty (NR_FILE_DIRTY: not shmem). */
function countCaches(k: Kernel): { cached: number; shmem: number; dirty: number } {
  let cached = 0;
  let shmem = 0;
  let dirty = 0;
  for (const inode of k.inodes.values()) {
    cached += inode.cache.size;
    if (inode.shmem) shmem += inode.cache.size;
    else for (const pfn of inode.cache.values()) if (k.phys.flags[pfn]! & PG_DIRTY) dirty++;
  }
  return { cached, shmem, dirty };
}

/** The fields of /proc/meminfo in pages, computed as meminfo_proc_show does from the books. */
export function meminfoFields(k: Kernel): Meminfo {
  const phys = k.phys;
  const frames = countFrames(k);
  const caches = countCaches(k);
  const lru = (list: Parameters<typeof phys.lruSize>[0]) => phys.lruSize(list);
  const free = phys.freePages;
  // si_mem_available: free pages above the reserve, plus the page cache that reclaim would free without going below the low watermark.
  const wmark = watermarks(k);
  const pagecache = lru('active_file') + lru('inactive_file');
  const available = Math.max(0, free - Math.min(wmark.high, phys.frames) + pagecache - Math.min(Math.floor(pagecache / 2), wmark.low));
  let pageTables = 0;
  for (const task of k.tasks.values()) pageTables += task.pt.tableBytes / 4096;
  const swapTotal = k.swap.totalSlots;
  return {
    MemTotal: phys.frames,
    MemFree: free,
    MemAvailable: available,
    Buffers: 0,
    Cached: caches.cached,
    SwapCached: frames.swapCached,
    Active: lru('active_anon') + lru('active_file'),
    Inactive: lru('inactive_anon') + lru('inactive_file'),
    'Active(anon)': lru('active_anon'),
    'Inactive(anon)': lru('inactive_anon'),
    'Active(file)': lru('active_file'),
    'Inactive(file)': lru('inactive_file'),
    Unevictable: lru('unevictable'),
    Mlocked: lru('unevictable'),
    SwapTotal: swapTotal,
    SwapFree: Math.max(0, swapTotal - k.swap.usedSlots),
    Zswap: 0,
    Zswapped: 0,
    Dirty: caches.dirty,
    Writeback: 0,
    AnonPages: frames.anonMapped,
    Mapped: frames.fileMapped,
    Shmem: caches.shmem,
    KReclaimable: 0,
    Slab: 0,
    SReclaimable: 0,
    SUnreclaim: 0,
    KernelStack: 0,
    PageTables: pageTables,
    SecPageTables: 0,
    NFS_Unstable: 0,
    Bounce: 0,
    WritebackTmp: 0,
    CommitLimit: vmCommitLimit(k),
    Committed_AS: committedPages(k),
    VmallocTotal: 34359738367 / 4,
    VmallocUsed: 0,
    VmallocChunk: 0,
    Percpu: 0,
    AnonHugePages: anonHugePages(k),
    ShmemHugePages: 0,
    ShmemPmdMapped: 0,
    FileHugePages: 0,
    FilePmdMapped: 0,
    Balloon: 0,
    HugePages_Total: 0,
    HugePages_Free: 0,
    HugePages_Rsvd: 0,
    HugePages_Surp: 0,
    Hugepagesize: 512,
    Hugetlb: 0,
    DirectMap4k: 0,
    DirectMap2M: Math.ceil(phys.frames / 512) * 512,
  };
}

/** hugetlb_report_meminfo prints the HugePages_ counts as numbers ("HugePages_Total:   %5lu"), not in kB. */
const COUNTS = new Set(['HugePages_Total', 'HugePages_Free', 'HugePages_Rsvd', 'HugePages_Surp']);

/** show_val_kb: the name padded to 16 columns, the kB value right-aligned in 8 ("%8lu kB"). */
export function renderMeminfo(k: Kernel): string {
  let out = '';
  for (const [name, pages] of Object.entries(meminfoFields(k))) {
    const label = `${name}:`.padEnd(16);
    if (COUNTS.has(name)) out += `${label}   ${String(pages).padStart(5)}\n`;
    else out += `${label}${String(pages * 4).padStart(8)} kB\n`;
  }
  return out;
}
