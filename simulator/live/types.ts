// The shapes live/ hands to the CLI and the extension: plain data, structured-clone safe
// (no bigint, no classes), addresses as "0x…" hex strings like inspect/view-models.ts.
import type { Hex, PageState } from '../inspect/view-models';

export type { Hex, PageState };

/**
 * How live/ reads /proc. Paths are relative to /proc: "1234/smaps", "1234/pagemap",
 * "kpagecount". Synchronous on purpose: `asx ps` reads hundreds of small files and the
 * explainer thousands of ranges, where a promise per read would cost more than the read.
 * Every method throws a {@link ProcFileError} (never a raw errno error).
 */
export interface ProcReader {
  /** The whole text of a small /proc file (maps, smaps, smaps_rollup, status, comm, cmdline). */
  readText(path: string): string;
  /**
   * pread: fills `into` from byte `offset` of a binary /proc file (pagemap, kpagecount,
   * kpageflags) and returns the bytes read (less than asked at the end of the file).
   */
  readAt(path: string, offset: number, into: Uint8Array): number;
  /** The numeric entries of /proc, ascending. */
  listPids(): number[];
  /** A uid's user name (the passwd database), or undefined. */
  userName(uid: number): string | undefined;
  /** Sends SIGSTOP or SIGCONT (the "freeze while reading" option). Readers that cannot signal leave it out. */
  signal?(pid: number, signal: 'SIGSTOP' | 'SIGCONT'): void;
}

/** Why a /proc file could not be read. `EMPTY`: the file read as empty (a process that exited, or a kernel thread). */
export type ProcErrorCode = 'ENOENT' | 'ESRCH' | 'EACCES' | 'EPERM' | 'EMPTY' | 'EIO' | 'EINVAL' | 'EOTHER';

/** One row of `asx ps` and of the extension's process picker (from smaps_rollup, like smem). */
export interface ProcessRow {
  readonly pid: number;
  /** The real uid's name, or the uid in decimal. */
  readonly user: string;
  /** The command line joined with spaces, or `[comm]` when it is empty. */
  readonly command: string;
  readonly rssKb: number;
  readonly pssKb: number;
  /** Unique set size: Private_Clean + Private_Dirty (smem's USS). */
  readonly ussKb: number;
  readonly swapKb: number;
  readonly swapPssKb: number;
}

export interface ProcessList {
  readonly rows: ProcessRow[];
  /** Processes that could not be read (one line each: "pid 12 (/proc/12/smaps_rollup): permission denied (EACCES)"). Kernel threads are skipped silently. */
  readonly errors: string[];
}

/** The lines of /proc/PID/status that matter here. */
export interface LiveStatus {
  readonly name: string;
  /** "S (sleeping)". */
  readonly state: string;
  readonly ppid: number;
  /** Real uid. */
  readonly uid: number;
  readonly threads: number;
  /** Every `Name:  N kB` line in kB (VmPeak, VmSize, VmRSS, RssAnon, RssFile, RssShmem, VmSwap, …). */
  readonly kb: Readonly<Record<string, number>>;
}

/** What one group of pages adds to Pss (or, for swap, to SwapPss): smaps_account page by page. */
export interface LivePssGroup {
  readonly kind: 'anon' | 'file' | 'shmem' | 'swap';
  /** /proc/kpagecount's mapcount; 0 when unknown (no PFN) and for swap (swap counts are not exported). */
  readonly mapcount: number;
  readonly pages: number;
  /** The group's exact share in bytes (pages × ((4096 << 12) / mapcount) / 4096; may be fractional). Swap: as if unshared. */
  readonly pssBytes: number;
}

/** The Pss explainer of one VMA. */
export interface VmaExplain {
  /** Groups by kind then mapcount: the non-swap ones sum to pssKb. */
  readonly groups: LivePssGroup[];
  /** Sum over present counted pages of (4096 << 12) / mapcount (4096 << 12 when mapcount <= 1), then >> 22. */
  readonly pssKb: number;
  /**
   * True when every counted present page's mapcount is known from the kernel: read from
   * /proc/kpagecount, or, for an exclusively mapped page (pagemap bit 56), 1 — with kpagecount
   * readable and the VMA's sum equal to smaps' Pss (else the VMA is read again page by page).
   */
  readonly exact: boolean;
  /** The kernel's Pss for the VMA (smaps), for comparison. */
  readonly kernelPssKb?: number;
  /** Pages left out as smaps leaves them out: the zero page; every page of a PFN map ([vvar]) or hugetlb VMA. */
  readonly skippedPages: number;
  /** Notes for people: why not exact, SwapPss cannot be exact, why pages were skipped. */
  readonly notes: readonly string[];
}

/** Bits of {@link LivePages.flags}, one byte per page. */
export const LivePageFlag = {
  /** pagemap bit 55. */
  SoftDirty: 1,
  /** pagemap bit 56: mapped by this process only. */
  Exclusive: 2,
  /** pagemap bit 61: a file page or shared anonymous (shmem) page. */
  FileOrShared: 4,
  /** kpageflags THP (part of a transparent huge page). */
  Thp: 8,
  /** The mapcount byte came from /proc/kpagecount. */
  MapcountKnown: 16,
  /** pagemap bit 57: userfaultfd write-protected. */
  UffdWp: 32,
} as const;

/** The pages of one range, for the pages grid: the same shape as inspect's RegionPages plus a flags byte. */
export interface LivePages {
  readonly start: Hex;
  readonly count: number;
  /** PageState codes (NotPresent, ZeroPage, FileClean, FileDirty, AnonPrivate, AnonShared, Shmem, Swapped). */
  readonly states: Uint8Array;
  /** kpagecount clamped to 255; 0 when unknown or not present. */
  readonly mapcounts: Uint8Array;
  /** {@link LivePageFlag} bits. */
  readonly flags: Uint8Array;
}

/** One page in detail: the page-table-like view. */
export interface LivePageDetail {
  readonly address: Hex;
  /** The raw 64-bit pagemap entry. */
  readonly pagemap: Hex;
  readonly present: boolean;
  readonly swapped: boolean;
  readonly swapType?: number;
  readonly swapOffset?: number;
  /** Undefined when not present or when the PFN reads as 0 (not root). */
  readonly pfn?: number;
  readonly softDirty: boolean;
  readonly exclusive: boolean;
  readonly fileOrShared: boolean;
  readonly mapcount?: number;
  /** Raw kpageflags and its set bit names (KPF_*: "ANON", "LRU", "THP", …). */
  readonly kpageflags?: Hex;
  readonly kpageflagNames?: string[];
  readonly state: PageState;
  /** "anonymous, mapcount 2 (shared after fork), soft-dirty". */
  readonly description: string;
}

/** One VMA of a live process: its smaps entry, and on request its explainer and pages. */
export interface LiveVma {
  readonly index: number;
  readonly start: Hex;
  readonly end: Hex;
  /** "rw-p". */
  readonly perms: string;
  readonly offset: Hex;
  /** "fe:01". */
  readonly dev: string;
  readonly inode: number;
  /** The pathname column, "" for anonymous memory. */
  readonly path: string;
  /** The kernel's maps line, as printed. */
  readonly mapsLine: string;
  /** smaps fields in kB (unitless ones such as THPeligible as their number), in the kernel's order. */
  readonly fields: Readonly<Record<string, number>>;
  /** The kernel's smaps block for this VMA, every line as printed (empty when only maps was read). */
  readonly smapsText: string;
  readonly vmFlags: readonly string[];
  readonly explain?: VmaExplain;
  readonly pages?: LivePages;
}

/** Whether the page-level files could be read, which decides what can be explained. */
export type KpageAccess =
  /** PFNs and /proc/kpagecount and /proc/kpageflags: exact mapcounts. */
  | 'full'
  /** pagemap is readable but PFNs read as 0 (no CAP_SYS_ADMIN): present/swapped/exclusive only. */
  | 'no-pfn'
  /** PFNs are there but kpagecount/kpageflags cannot be read. */
  | 'no-kpage'
  /** pagemap itself cannot be read. */
  | 'no-pagemap';

export interface LiveProcess {
  readonly pid: number;
  /** /proc/PID/comm. */
  readonly command: string;
  readonly cmdline: readonly string[];
  readonly status?: LiveStatus;
  /** smaps_rollup's fields in kB. */
  readonly rollup?: Readonly<Record<string, number>>;
  readonly vmas: LiveVma[];
  /** What could be read at page level (only when pagemap/explain was asked for). */
  readonly kpageAccess?: KpageAccess;
  /** True when the process was stopped (SIGSTOP) while it was read. */
  readonly frozen: boolean;
  /** One line each, naming the pid and the file: what could not be read, what was retried. */
  readonly warnings: string[];
}

export interface ReadLiveOptions {
  /** Read smaps (fields, VmFlags). Default true; false reads only maps (fast). */
  readonly smaps?: boolean;
  /** Compute each VMA's Pss explainer from pagemap and kpagecount/kpageflags. */
  readonly explain?: boolean;
  /** Fill each VMA's `pages` from pagemap; VMAs larger than `maxPagesPerVma` (default 1 << 20) are left without (use readVmaPages). */
  readonly pages?: boolean;
  readonly maxPagesPerVma?: number;
  /** SIGSTOP the process while it is read, SIGCONT after (not if it was already stopped). Default false. */
  readonly freeze?: boolean;
  /** How many times a VMA whose smaps changed while it was explained is read again. Default 3. */
  readonly retries?: number;
}
