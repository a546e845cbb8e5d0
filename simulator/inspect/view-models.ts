/**
 * The view models the scenario panel renders: plain data computed from a scenario's
 * state, so that the webview never decides kernel behaviour. Everything here is
 * structured-clone safe (no bigint, no classes): addresses are hex strings ("0x7ffff7dd1000").
 */

/** A virtual or physical address, `0x`-prefixed lowercase hex. */
export type Hex = string;

/** A process in the scenario at one step. */
export interface ProcessSummary {
  readonly name: string;
  readonly pid: number;
  readonly state: 'running' | 'exited' | 'killed';
  /** "SIGSEGV (SEGV_ACCERR) at 0x… on line 12", when killed. */
  readonly death?: string;
  /** The statement that created the process (exec or fork). */
  readonly line: number;
  readonly rssKb: number;
  readonly pssKb: number;
  readonly swapKb: number;
  readonly vmaCount: number;
}

/** One VMA of a process, as a row of the maps table. */
export interface RegionRow {
  readonly index: number;
  readonly start: Hex;
  readonly end: Hex;
  /** The exact /proc/PID/maps line. */
  readonly mapsLine: string;
  readonly perms: string;
  /** The pathname column ("" for anonymous), e.g. "[heap]" or "/usr/lib/libc.so.6". */
  readonly name: string;
  /** The scenario's name for an mmap region, when there is one. */
  readonly region?: string;
  readonly pages: number;
  readonly rssKb: number;
  readonly pssKb: number;
  readonly swapKb: number;
  /** The statement that created or last changed this VMA (0 when exec made it before any statement). */
  readonly line: number;
  /** Why the VMA exists ("bss of segment 3", "mmap region buf"). */
  readonly origin: string;
}

/** One smaps field of a VMA, in kB, as /proc/PID/smaps prints it. */
export interface SmapsField {
  readonly name: string;
  /** The field's number: kB, or the number itself when `plain`. */
  readonly kb: number;
  /** A field smaps prints without " kB" (THPeligible, ProtectionKey). */
  readonly plain?: true;
}

/** A resident page's contribution to Pss. */
export interface PssShare {
  readonly address: Hex;
  readonly pfn: number;
  readonly mapcount: number;
  readonly kind: 'anon' | 'file' | 'shmem' | 'zero';
  readonly dirty: boolean;
  /** "this page adds ⅓ of 4 kB: mapcount 3". */
  readonly explanation: string;
}

/** The resident pages of one kind that add the same share to Pss: Pss is the sum of the groups. */
export interface PssGroup {
  readonly kind: 'anon' | 'file' | 'shmem';
  readonly mapcount: number;
  /** smaps_account counts the page as private (refcount 1 or mapcount < 2): the whole 4 kB. */
  readonly private: boolean;
  readonly pages: number;
  /** The group's exact share of Pss in kB (smaps truncates the VMA's sum, not each group). */
  readonly pssKb: number;
  /** "100 anonymous pages, mapcount 3: ⅓ of 4 kB each = 133.33 kB". */
  readonly explanation: string;
}

/** Everything smaps says about one VMA, plus the Pss explainer. */
export interface RegionSmaps {
  /** The VMA's header line (the maps line). */
  readonly header: string;
  readonly fields: readonly SmapsField[];
  readonly vmFlags: string;
  /** Resident pages in address order (zero-page mappings too, as kind 'zero'), at most `limit` of them. */
  readonly pss: readonly PssShare[];
  /** Every resident page, grouped by what it adds to Pss (never truncated). */
  readonly pssGroups: readonly PssGroup[];
  /** How many resident pages there are in all (pss may be truncated): Rss / 4 kB. */
  readonly residentPages: number;
  /** Pages mapping the shared zero page: listed in pss (kind 'zero') but not counted in Rss. */
  readonly zeroPages?: number;
}

/** Page states of the pages grid, one byte per page. */
export const PageState = {
  NotPresent: 0,
  ZeroPage: 1,
  FileClean: 2,
  FileDirty: 3,
  AnonPrivate: 4,
  /** Anonymous and mapped by more than one process (shared after fork until CoW). */
  AnonShared: 5,
  Shmem: 6,
  Swapped: 7,
  /** Swapped out, with its page still in the swap cache. */
  SwapCache: 8,
} as const;
export type PageState = (typeof PageState)[keyof typeof PageState];

/** The pages of one VMA: one state byte and one mapcount byte (clamped to 255) per page. */
export interface RegionPages {
  readonly start: Hex;
  readonly count: number;
  readonly states: Uint8Array;
  readonly mapcounts: Uint8Array;
  /** The first page of each 2 MiB that one PMD maps (a transparent huge page or the huge zero page): 512 pages shown as one unit. */
  readonly hugePages?: readonly number[];
}

/** One page, for the tooltip of the pages grid and the address hover. */
export interface PageDetail {
  readonly address: Hex;
  readonly state: PageState;
  /** "anonymous, private (mapcount 1), dirty". */
  readonly description: string;
  readonly pfn?: number;
  readonly mapcount?: number;
  readonly swapSlot?: number;
  /** The raw x86-64 PTE. */
  readonly pte: Hex;
  /** The statement that last changed this page (a fault, a CoW, a swap-out), when known. */
  readonly line?: number;
}

export type PagingMode = 'x86-64' | 'i386' | 'toy6';

/** One level of a page-table walk. */
export interface WalkLevel {
  /** "CR3", "PML4E", "PDPTE", "PDE", "PTE" (x86-64); "CR3", "PDE", "PTE" (i386); "PTBR", "PTE" (toy6). */
  readonly level: string;
  /** The virtual-address bits that index this level, e.g. "47:39". */
  readonly bits: string;
  readonly index: number;
  /** Physical address of the table this level reads. */
  readonly table: Hex;
  /** The entry's raw value. */
  readonly entry: Hex;
  /** Set flag names, e.g. ["P", "RW", "US", "A", "D", "NX"]. */
  readonly flags: readonly string[];
  readonly present: boolean;
  readonly note: string;
}

/** The walk of one virtual address. */
export interface WalkView {
  readonly mode: PagingMode;
  readonly address: Hex;
  /** The address as this mode sees it, when it differs (toy6: the 6-bit toy address). */
  readonly modeAddress?: Hex;
  readonly levels: readonly WalkLevel[];
  /** The final physical address, when the walk reaches a present page. */
  readonly physical?: Hex;
  /** Why this mode cannot show the address, e.g. "i386 paging has 32-bit addresses". */
  readonly unavailable?: string;
}

/** What a physical frame holds, one byte per frame. */
export const FrameUse = {
  Free: 0,
  Anon: 1,
  File: 2,
  Shmem: 3,
  PageTable: 4,
  ZeroPage: 5,
  Kernel: 6,
} as const;
export type FrameUse = (typeof FrameUse)[keyof typeof FrameUse];

/** Physical memory: every frame's use and the buddy allocator's free lists. */
export interface PhysicalView {
  readonly frames: number;
  readonly uses: Uint8Array;
  /** free_area[order]: free blocks per order, 0..MAX_ORDER. */
  readonly freeBlocks: readonly number[];
  readonly freeKb: number;
  readonly swapTotalKb: number;
  readonly swapUsedKb: number;
}

/** Who maps one frame (reverse map), for the physical-memory tooltip. */
export interface FrameOwner {
  readonly process: string;
  readonly address: Hex;
  readonly mapsLine: string;
}

export interface FrameDetail {
  readonly pfn: number;
  readonly use: FrameUse;
  readonly description: string;
  readonly owners: readonly FrameOwner[];
}

/** One page on an LRU list. */
export interface LruPage {
  readonly pfn: number;
  /** PG_referenced. */
  readonly referenced: boolean;
  /** Whether any PTE mapping it has the accessed bit set. */
  readonly young: boolean;
  readonly dirty: boolean;
  /** "P 0x7ffff7ff0000 (buf)" or "page cache of notes.txt, index 3". */
  readonly owner: string;
}

export type LruListName = 'inactive_anon' | 'active_anon' | 'inactive_file' | 'active_file' | 'unevictable';

/** The LRU lists, head (most recently added) first, each truncated to `limit` pages. */
export interface LruView {
  readonly lists: readonly { readonly name: LruListName; readonly total: number; readonly pages: readonly LruPage[] }[];
}

/** What reclaim did to one page during a statement. */
export interface ReclaimEvent {
  readonly pfn: number;
  readonly list: LruListName;
  readonly action: 'rotated' | 'activated' | 'deactivated' | 'reclaimed' | 'swapped-out' | 'kept';
  readonly reason: string;
}

/** RSS, PSS and Swap of every process after every statement, for the timeline chart. */
/** A failed call or a death on the timeline: where and what, in the kernel's words. */
export interface TimelineEvent {
  readonly line: number;
  readonly kind: 'syscall-failed' | 'killed' | 'oom-kill' | 'oom-no-victim';
  readonly message: string;
}

export interface TimelineView {
  /** Source line of each sampled statement. */
  readonly lines: readonly number[];
  /** Failed calls and deaths of every statement (sampled or not), in line order, at most TIMELINE_EVENTS. */
  readonly events?: readonly TimelineEvent[];
  readonly processes: readonly {
    readonly name: string;
    readonly rssKb: readonly number[];
    readonly pssKb: readonly number[];
    readonly swapKb: readonly number[];
  }[];
}

/** A fault, for the faults list and the editor decorations. */
export interface FaultView {
  readonly line: number;
  readonly process: string;
  readonly address: Hex;
  readonly access: 'read' | 'write' | 'exec';
  readonly kind: string;
  /** The #PF error code, e.g. "0x6 (WRITE|USER)". */
  readonly errorCode: string;
  /** "SEGV_ACCERR", when the fault raised a signal. */
  readonly siCode?: string;
  readonly pagesMapped: number;
  readonly explanation: string;
}

/** What a statement changed, for hovers: "Rss +32 kB, 8 faults, 0 from the zero page". */
export interface StepDelta {
  readonly line: number;
  readonly summary: string;
  readonly processes: readonly { readonly name: string; readonly rssKb: number; readonly pssKb: number; readonly swapKb: number }[];
  readonly faults: number;
  readonly zeroPageFaults: number;
  readonly notes: readonly string[];
  readonly failures: readonly string[];
}

/** An address looked up in the scenario's processes, for the hex-address hover and status bar. */
export interface AddressTranslation {
  readonly address: Hex;
  readonly process: string;
  readonly mapsLine?: string;
  readonly page?: PageDetail;
  readonly physical?: Hex;
  /** One line: "P 0x7ffff7ff0123 → [heap] rw-p, anonymous private, frame 0x1a2 (phys 0x1a2123)". */
  readonly summary: string;
}
