import { BuddyAllocator, MAX_ORDER, type FreeAreaLinks } from './buddy';
import { FolioBatch } from './folio-batch';
import { FrameCounts } from './frame-counts';
import { LRU_LISTS, PG_ACTIVE, PG_ALLOCATED, PG_ANON, PG_KERNEL, PG_LRU, PG_SWAPBACKED, PG_UNEVICTABLE, PG_ZERO, type LruList } from './page-flags';

/** What a frame holds: an anonymous page, a page-cache page, or a kernel page. */
export const OWNER_ANON = 1;
export const OWNER_FILE = 2;
export const OWNER_KERNEL = 3;

const NONE = -1;
/** The largest page-cache folio: PMD-sized (HPAGE_PMD_ORDER). */
const MAX_FILE_FOLIO_ORDER = 9;

/** The high-water mark moves in steps of this many frames (a 4 MiB block of the buddy allocator). */
const GROWTH = 1024;

/**
 * Physical memory: struct page for every frame, in typed arrays so a clone is
 * a handful of copies, plus the buddy allocator and the LRU lists
 * (doubly linked through the frames, as lruvec lists are).
 *
 * The machine's arrays have a slot for every frame but are never filled: the pages of memory behind
 * frames never used are never touched, so they cost nothing (calloc'd memory). Nothing reads a
 * field of a frame before its allocation writes it (a free frame's mapping reads 0 or -1 alike).
 * The buddy allocator hands out the lowest free blocks first, so the frames ever used sit below a
 * high-water mark, and a clone's arrays end there (growing if the clone runs on): a clone of a
 * machine of 1 GiB that uses 8 MiB copies 8 MiB worth of struct pages, not 1 GiB worth.
 *
 * 20 bytes a frame: flags 2, mapcount and refcount a byte each (FrameCounts: the upper bits of a count
 * above 255 in an array made when one is), mapping and index 8 (indexOf), the LRU links 8. The swap
 * cache's slots are in a map (few frames have one).
 */
export class PhysicalMemory {
  flags: Uint16Array;
  mapcount: FrameCounts;
  refcount: FrameCounts;
  /**
   * File pages: the inode id (kernel pages: -1). Anonymous pages: bits 32 and up of the index (a virtual
   * page number, below 2^35). The anon_vma is not kept in the page: the reverse map walks the processes.
   */
  mapping: Int32Array;
  /** The low 32 bits of each frame's index (indexOf). */
  private indexLow: Uint32Array;
  /** The whole index of a file page whose index is 2^32 or more (a file offset of 16 TiB): rare. */
  private hugeIndexes: Map<number, number>;
  /** Swap slot of each page in the swap cache. */
  private swapSlots: Map<number, number>;
  /**
   * The large page-cache folios (file-folio.ts): head frame → order. Few (only VM_HUGEPAGE file mappings
   * read them), so a map; a head's entry goes with its frame.
   */
  fileFolios: Map<number, number>;
  /**
   * This CPU's folio batches (mm/swap.c cpu_fbatches.lru_add, mm/mlock.c mlock_fbatch): the new folios
   * not on an LRU list yet, and the folios with an mlock or munlock request pending, one entry per
   * request; each entry holds a reference until the batch drains (lru-batch.ts).
   */
  lruAddBatch: FolioBatch;
  mlockBatch: FolioBatch;
  /** cpu_fbatches.activate: folios folio_activate took off their inactive list, active once it drains. */
  activateBatch: FolioBatch;
  lruNext: Int32Array;
  lruPrev: Int32Array;
  lruHead: Int32Array;
  lruTail: Int32Array;
  lruCount: Int32Array;
  buddy: BuddyAllocator;
  /** Every frame at or above this one has never been allocated. */
  private highWater: number;
  /** The shared zero page (ZERO_PAGE(0)). */
  readonly zeroPfn: number;

  constructor(readonly frames: number) {
    this.flags = new Uint16Array(frames);
    this.mapcount = FrameCounts.of(frames);
    this.refcount = FrameCounts.of(frames);
    this.mapping = new Int32Array(frames);
    this.indexLow = new Uint32Array(frames);
    this.hugeIndexes = new Map();
    this.swapSlots = new Map();
    this.fileFolios = new Map();
    this.lruAddBatch = new FolioBatch();
    this.mlockBatch = new FolioBatch();
    this.activateBatch = new FolioBatch();
    this.lruNext = new Int32Array(frames);
    this.lruPrev = new Int32Array(frames);
    this.lruHead = new Int32Array(LRU_LISTS.length).fill(NONE);
    this.lruTail = new Int32Array(LRU_LISTS.length).fill(NONE);
    this.lruCount = new Int32Array(LRU_LISTS.length);
    // The first frames are the kernel's own (the zero page among them), never handed out.
    const reserved = Math.min(frames, 16);
    for (let pfn = 0; pfn < reserved; pfn++) this.flags[pfn] = PG_ALLOCATED | PG_KERNEL;
    this.zeroPfn = 1;
    this.flags[this.zeroPfn] = PG_ALLOCATED | PG_ZERO;
    // A machine that is not a multiple of 4 MiB has small free blocks at its end: cover them too.
    this.highWater = frames % (1 << MAX_ORDER) ? frames : Math.min(frames, GROWTH);
    this.buddy = new BuddyAllocator(frames, reserved, this.freeAreaLinks());
  }

  /** The buddy allocator's free lists live in the struct pages of free frames (buddy_list, buddy_order). */
  private freeAreaLinks(): FreeAreaLinks {
    return { next: this.lruNext, prev: this.lruPrev, order: this.mapping };
  }

  clone(): PhysicalMemory {
    const n = this.highWater;
    const copy = <A extends Uint8Array | Uint16Array | Int32Array | Uint32Array>(array: A): A => array.slice(0, n) as A;
    const clone = Object.create(PhysicalMemory.prototype) as PhysicalMemory;
    Object.assign(clone, {
      frames: this.frames,
      zeroPfn: this.zeroPfn,
      highWater: n,
      flags: copy(this.flags),
      mapcount: this.mapcount.copy(n),
      refcount: this.refcount.copy(n),
      mapping: copy(this.mapping),
      indexLow: copy(this.indexLow),
      hugeIndexes: new Map(this.hugeIndexes),
      swapSlots: new Map(this.swapSlots),
      fileFolios: new Map(this.fileFolios),
      lruAddBatch: this.lruAddBatch.clone(),
      mlockBatch: this.mlockBatch.clone(),
      activateBatch: this.activateBatch.clone(),
      lruNext: copy(this.lruNext),
      lruPrev: copy(this.lruPrev),
      lruHead: this.lruHead.slice(),
      lruTail: this.lruTail.slice(),
      lruCount: this.lruCount.slice(),
    });
    clone.buddy = this.buddy.clone(clone.freeAreaLinks());
    return clone;
  }

  get freePages(): number {
    return this.buddy.freePages;
  }

  /** How many frames have ever been in use, rounded up: every frame at or above is free. */
  get covered(): number {
    return this.highWater;
  }

  /** A frame at or above the high-water mark is in use: raise it, growing a clone's arrays (they end there). */
  private raiseHighWater(pfn: number): void {
    this.highWater = Math.min(this.frames, Math.ceil((pfn + 1) / GROWTH) * GROWTH);
    this.reach(this.highWater);
  }

  /** Makes the arrays at least `frames` long (a clone's end at its high-water mark). */
  private reach(frames: number): void {
    if (frames <= this.flags.length) return;
    const length = Math.min(this.frames, Math.max(frames, this.flags.length * 2));
    const grown = <A extends Uint8Array | Uint16Array | Int32Array | Uint32Array>(array: A): A => {
      const out = new (array.constructor as new (length: number) => A)(length);
      out.set(array);
      return out;
    };
    this.flags = grown(this.flags);
    this.mapcount = this.mapcount.copy(this.mapcount.length, length);
    this.refcount = this.refcount.copy(this.refcount.length, length);
    this.mapping = grown(this.mapping);
    this.indexLow = grown(this.indexLow);
    this.lruNext = grown(this.lruNext);
    this.lruPrev = grown(this.lruPrev);
    this.buddy.lendLinks(this.freeAreaLinks());
  }

  /** File pages: the page index in the file; anonymous pages: the virtual page number of the first mapping. */
  indexOf(pfn: number): number {
    if (this.flags[pfn]! & PG_ANON) return this.mapping[pfn]! * 2 ** 32 + this.indexLow[pfn]!;
    return this.hugeIndexes.size ? (this.hugeIndexes.get(pfn) ?? this.indexLow[pfn]!) : this.indexLow[pfn]!;
  }

  /** Sets a newly allocated frame's mapping and index, index + offset (its flags first: they tell which it is). */
  private setOwner(pfn: number, mapping: number, index: number, offset: number): void {
    const at = index + offset;
    this.indexLow[pfn] = at >>> 0;
    if (this.flags[pfn]! & PG_ANON) this.mapping[pfn] = Math.floor(at / 2 ** 32);
    else {
      this.mapping[pfn] = mapping;
      if (at >= 2 ** 32) this.hugeIndexes.set(pfn, at);
      else if (this.hugeIndexes.size) this.hugeIndexes.delete(pfn);
    }
  }

  /** The swap slot of a page in the swap cache, or -1. */
  swapSlot(pfn: number): number {
    return this.swapSlots.get(pfn) ?? NONE;
  }

  /** Puts a page in the swap cache at `slot`, or (with -1) takes it out. */
  setSwapSlot(pfn: number, slot: number): void {
    if (slot === NONE) this.swapSlots.delete(pfn);
    else this.swapSlots.set(pfn, slot);
  }

  /**
   * Allocates one frame for a user page or a page table, or with `order` a block of 2^order frames
   * (a large folio: frame i gets index + i); undefined when memory is exhausted. `mapping`: the inode
   * of a file page (an anonymous page's anon_vma is not kept). The index is index + offset: a loop over
   * pages passes its own page number and a small offset, as a page number near 2^35 is a double that
   * V8 allocates a box for at every call it does not inline.
   */
  allocate(kind: number, mapping: number, index: number, extraFlags = 0, order = 0, offset = 0): number | undefined {
    // The block the allocator may split next must be covered before it writes its halves' links.
    this.reach(Math.min(this.frames, this.buddy.touchedBelow + (1 << MAX_ORDER)));
    const pfn = this.buddy.allocate(order);
    if (pfn === undefined) return undefined;
    const last = pfn + (1 << order) - 1;
    if (last >= this.highWater) this.raiseHighWater(last);
    const flags = PG_ALLOCATED | extraFlags | (kind === OWNER_ANON ? PG_ANON | PG_SWAPBACKED : 0) | (kind === OWNER_KERNEL ? PG_KERNEL : 0);
    for (let frame = pfn; frame <= last; frame++) {
      this.flags[frame] = flags;
      this.mapcount.set(frame, 0);
      this.refcount.set(frame, 1);
      this.setOwner(frame, mapping, index, offset + (frame - pfn));
      if (this.swapSlots.size) this.swapSlots.delete(frame);
    }
    return pfn;
  }

  /** Returns a frame to the buddy allocator (free_unref_page). */
  free(pfn: number): void {
    if (this.flags[pfn]! & PG_LRU) this.lruDelete(pfn);
    this.flags[pfn] = 0;
    this.mapcount.set(pfn, 0);
    this.refcount.set(pfn, 0);
    this.mapping[pfn] = NONE;
    if (this.swapSlots.size) this.swapSlots.delete(pfn);
    // A frame freed leaves the batches (the kernel keeps the folio until they drain; its frame is not reused before).
    if (this.lruAddBatch.length) this.lruAddBatch.removeEvery(pfn);
    if (this.mlockBatch.length) this.mlockBatch.removeEvery(pfn);
    if (this.activateBatch.length) this.activateBatch.removeEvery(pfn);
    // A large page-cache folio is one no more once a page of it goes (reclaim frees its pages one by one).
    if (this.fileFolios.size) {
      const head = this.fileFolioHead(pfn);
      if (head !== undefined) this.fileFolios.delete(head);
    }
    this.buddy.free(pfn, 0);
  }

  /** The head frame of the large page-cache folio holding pfn (its block is aligned to its order), if any. */
  fileFolioHead(pfn: number): number | undefined {
    for (let order = 1; order <= MAX_FILE_FOLIO_ORDER; order++) {
      const head = pfn - (pfn % (1 << order));
      const found = this.fileFolios.get(head);
      if (found !== undefined && pfn < head + (1 << found)) return head;
    }
    return undefined;
  }

  isAllocated(pfn: number): boolean {
    return (this.flags[pfn]! & PG_ALLOCATED) !== 0;
  }

  /** The list a folio belongs on (folio_lru_list). */
  lruListOf(pfn: number): LruList {
    return LRU_LISTS[this.lruIndexOf(pfn)]!;
  }

  /** folio_lru_list as an index into LRU_LISTS (inactive_anon, active_anon, inactive_file, active_file, unevictable). */
  private lruIndexOf(pfn: number): number {
    const f = this.flags[pfn]!;
    if (f & PG_UNEVICTABLE) return 4;
    return (f & PG_ACTIVE ? 1 : 0) + (f & PG_SWAPBACKED ? 0 : 2);
  }

  /** lruvec_add_folio: to the head of its list (the newest end). */
  lruAdd(pfn: number): void {
    const list = this.lruIndexOf(pfn);
    const head = this.lruHead[list]!;
    this.lruPrev[pfn] = NONE;
    this.lruNext[pfn] = head;
    if (head !== NONE) this.lruPrev[head] = pfn;
    else this.lruTail[list] = pfn;
    this.lruHead[list] = pfn;
    this.lruCount[list]!++;
    this.flags[pfn]! |= PG_LRU;
  }

  /** lruvec_del_folio. */
  lruDelete(pfn: number): void {
    const list = this.lruIndexOf(pfn);
    const prev = this.lruPrev[pfn]!;
    const next = this.lruNext[pfn]!;
    if (prev !== NONE) this.lruNext[prev] = next;
    else this.lruHead[list] = next;
    if (next !== NONE) this.lruPrev[next] = prev;
    else this.lruTail[list] = prev;
    this.lruPrev[pfn] = NONE;
    this.lruNext[pfn] = NONE;
    this.lruCount[list]!--;
    this.flags[pfn]! &= ~PG_LRU;
  }

  /**
   * Sets and clears flags of a folio, moving it to the head of the list they make it belong to (an
   * activation, a deactivation, mlock); with no flags, a rotation to the head of its list.
   */
  lruChange(pfn: number, set = 0, clear = 0): void {
    const onLru = (this.flags[pfn]! & PG_LRU) !== 0;
    if (onLru) this.lruDelete(pfn);
    this.flags[pfn] = (this.flags[pfn]! | set) & ~clear;
    if (onLru) this.lruAdd(pfn);
  }

  /** The frames of one LRU list (the oldest `limit` of them), from the oldest (tail) to the newest (head). */
  lruOldestFirst(list: LruList, limit = Infinity): number[] {
    const out: number[] = [];
    for (let pfn = this.lruTail[LRU_LISTS.indexOf(list)]!; pfn !== NONE && out.length < limit; pfn = this.lruPrev[pfn]!) out.push(pfn);
    return out;
  }

  lruSize(list: LruList): number {
    return this.lruCount[LRU_LISTS.indexOf(list)]!;
  }
}
