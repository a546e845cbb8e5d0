import { PTRS_PER_TABLE } from './pte';

/** One page of PTEs (a PTE table), covering 2 MiB. */
export interface PteTable {
  readonly flags: Uint16Array;
  readonly value: Int32Array;
  /** Frame holding this table. */
  readonly pfn: number;
  /** Entries that are not pte_none. */
  used: number;
  /** The page table (PageTable.id) that may change this table in place; any other copies it first. */
  readonly owner: number;
  /**
   * Set when the PMD maps the whole 2 MiB itself (huge-memory.ts: PMD_THP, PMD_HUGE_ZERO); the table is
   * then the one deposited for a later split (pgtable_trans_huge_deposit), its entries the 512 subpages.
   */
  pmd?: number;
  /** Code working on single PTEs wrote an entry of a PMD mapping: settleHugePmds checks it is still whole. */
  pmdTouched?: boolean;
}

/** Where page tables get their frames (the kernel's allocator). */
export interface TableFrames {
  allocateTableFrame(): number;
}

/** Page tables and their copies so far: each has its own id. */
let tablesMade = 0;

/** PTE tables per slab: one ArrayBuffer holds the entries of this many tables. */
const TABLES_PER_SLAB = 16;
/** Bytes of one table's entries: 512 32-bit values, then 512 16-bit flag words. */
const TABLE_BYTES = PTRS_PER_TABLE * 6;
let slab: ArrayBuffer | undefined;
let slabUsed = TABLES_PER_SLAB;

/**
 * The entries of a new PTE table: views into a slab shared with the tables made just before and
 * after it. A typed array of its own costs a table about 1.4 KB more than its 3 KB of entries (the
 * buffer's bookkeeping inside V8 and malloc): 2.7 bytes a PTE. A slab is freed when the last table
 * in it is; tables made together mostly go together (a mapping's, a fork's, a copy's).
 */
function newEntries(): { flags: Uint16Array; value: Int32Array } {
  if (slabUsed === TABLES_PER_SLAB) {
    slab = new ArrayBuffer(TABLES_PER_SLAB * TABLE_BYTES);
    slabUsed = 0;
  }
  const offset = slabUsed++ * TABLE_BYTES;
  return { value: new Int32Array(slab as ArrayBuffer, offset, PTRS_PER_TABLE), flags: new Uint16Array(slab as ArrayBuffer, offset + PTRS_PER_TABLE * 4, PTRS_PER_TABLE) };
}

/**
 * A leaf table object, every field present from the start and in one order: all tables then share
 * one hidden class, and the fault path's loads from them stay monomorphic (a table made by a spread,
 * or given its pmd later, had a shape of its own, and the optimized fault loops deoptimized on it).
 */
function leafTable(flags: Uint16Array, value: Int32Array, pfn: number, used: number, owner: number, pmd: number | undefined, pmdTouched: boolean): PteTable {
  return { flags, value, pfn, used, owner, pmd, pmdTouched };
}

/**
 * An x86-64 4-level page table. Leaf tables are stored per 2 MiB region; the
 * upper levels (PML4, PDPT, PD) exist implicitly wherever a leaf table does,
 * each with the frame the kernel allocated for it.
 */
export class PageTable {
  /** The leaf tables, keyed by virtual page number >> 9 (changed only here: table() caches a lookup). */
  private readonly tables = new Map<number, PteTable>();
  /** Frames of the page directories (PMD tables), keyed by vpn >> 18. */
  readonly pmdTables = new Map<number, number>();
  /** Frames of the PDPTs (PUD tables), keyed by vpn >> 27. */
  readonly pudTables = new Map<number, number>();

  /**
   * Whose PTE tables this page table may change in place. A copy shares every PTE table with the
   * original, and both take new ids: whichever changes a shared table first copies it (copy-on-write),
   * so a copy of a machine with a gigabyte mapped costs a map of 512 entries, not 3 MiB of PTEs.
   */
  private id = ++tablesMade;
  /**
   * The table table() looked up last and its key (undefined: none there): the lookups of one fault, and
   * of a run of faults in one 2 MiB, cost no map lookup. Every change of pteTables goes through this class.
   */
  private lastKey = -1;
  private last: PteTable | undefined;

  constructor(readonly pgdPfn: number) {}

  /** The leaf tables, keyed by virtual page number >> 9. */
  get pteTables(): ReadonlyMap<number, PteTable> {
    return this.tables;
  }

  clone(): PageTable {
    const copy = new PageTable(this.pgdPfn);
    this.id = ++tablesMade;
    for (const [key, t] of this.tables) copy.tables.set(key, t);
    for (const [key, pfn] of this.pmdTables) copy.pmdTables.set(key, pfn);
    for (const [key, pfn] of this.pudTables) copy.pudTables.set(key, pfn);
    return copy;
  }

  table(vpn: number): PteTable | undefined {
    const key = Math.floor(vpn / PTRS_PER_TABLE);
    if (key !== this.lastKey) {
      this.lastKey = key;
      this.last = this.tables.get(key);
    }
    return this.last;
  }

  /** The leaf table for vpn, to change: a table shared with a copy is copied first. */
  writableTable(vpn: number): PteTable | undefined {
    const t = this.table(vpn);
    if (!t || t.owner === this.id) return t;
    const { flags, value } = newEntries();
    flags.set(t.flags);
    value.set(t.value);
    const own = leafTable(flags, value, t.pfn, t.used, this.id, t.pmd, t.pmdTouched === true);
    this.setTable(this.lastKey, own);
    return own;
  }

  /** Removes the leaf table at `key` (vpn >> 9); its frame is the caller's to free. */
  removeTable(key: number): void {
    this.tables.delete(key);
    if (key === this.lastKey) this.last = undefined;
  }

  /** Removes every table (exit_mmap); their frames are the caller's to free. */
  clearTables(): void {
    this.tables.clear();
    this.pmdTables.clear();
    this.pudTables.clear();
    this.last = undefined;
  }

  private setTable(key: number, table: PteTable): void {
    this.tables.set(key, table);
    this.lastKey = key;
    this.last = table;
  }

  /**
   * The leaf table for vpn, to change (copied if shared), allocating it and any missing upper levels
   * (__pte_alloc, __pmd_alloc, __pud_alloc) with frames from `frames` (the kernel: an object, not a
   * closure, so that a caller on the fault path allocates no context for one on every call).
   */
  ensureTable(vpn: number, frames: TableFrames): PteTable {
    const key = Math.floor(vpn / PTRS_PER_TABLE);
    let t = this.writableTable(vpn);
    if (t) return t;
    const pudKey = Math.floor(vpn / 2 ** 27);
    if (!this.pudTables.has(pudKey)) this.pudTables.set(pudKey, frames.allocateTableFrame());
    const pmdKey = Math.floor(vpn / 2 ** 18);
    if (!this.pmdTables.has(pmdKey)) this.pmdTables.set(pmdKey, frames.allocateTableFrame());
    const { flags, value } = newEntries();
    t = leafTable(flags, value, frames.allocateTableFrame(), 0, this.id, undefined, false);
    this.setTable(key, t);
    return t;
  }

  /**
   * Calls `visit` with each leaf table that covers a page of [startVpn, endVpn) and the first page it
   * covers, in no particular order: a short range's tables are looked up by key, a long one (an exit,
   * a rollup) goes through those there are. Nothing is allocated.
   */
  forEachTableIn(startVpn: number, endVpn: number, visit: (table: PteTable, base: number) => void): void {
    if (endVpn <= startVpn) return;
    const first = Math.floor(startVpn / PTRS_PER_TABLE);
    const last = Math.floor((endVpn - 1) / PTRS_PER_TABLE);
    if (last - first < this.tables.size) {
      for (let key = first; key <= last; key++) {
        const table = this.tables.get(key);
        if (table) visit(table, key * PTRS_PER_TABLE);
      }
      return;
    }
    this.tables.forEach((table, key) => {
      if (key >= first && key <= last) visit(table, key * PTRS_PER_TABLE);
    });
  }

  /** mm_pgtables_bytes: PTE, PMD and PUD tables, a page each. */
  get tableBytes(): number {
    // A PMD that maps a page-cache folio has no table behind it on x86 (no pgtable deposit): PteTable.pmd 3.
    let pteTables = 0;
    for (const t of this.tables.values()) if (t.pmd !== 3) pteTables++;
    return (pteTables + this.pmdTables.size + this.pudTables.size) * 4096;
  }

  /** Every frame used by this page table, the PGD included. */
  tableFrames(): number[] {
    return [this.pgdPfn, ...this.pudTables.values(), ...this.pmdTables.values(), ...[...this.tables.values()].map((t) => t.pfn)];
  }
}
