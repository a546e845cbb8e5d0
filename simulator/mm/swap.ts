/**
 * A swap device (mm/swapfile.c): slot 0 holds the header; each other slot has
 * a swap count (the PTEs and shmem entries that refer to it) and may have a
 * page in the swap cache (SWAP_HAS_CACHE).
 */
export class SwapDevice {
  /** swap_map: references per slot. Read only: shared with clones until one of them writes. */
  counts: Uint16Array;
  /** The swap cache: slot to frame, -1 when the slot has no cached page. Read only, like counts. */
  cache: Int32Array;
  private used: number;
  /** Every slot below this one is in use: the search for the lowest free slot starts here. */
  private firstFree = 1;
  /**
   * Whether a clone may share the arrays: a checkpoint costs two pointers, not 6 bytes a slot, and
   * whichever of them writes first copies them (most statements never touch swap).
   */
  private shared = false;

  constructor(readonly slots: number) {
    this.counts = new Uint16Array(Math.max(slots, 0));
    this.cache = new Int32Array(Math.max(slots, 0)).fill(-1);
    this.used = 0;
  }

  clone(): SwapDevice {
    const copy = new SwapDevice(0);
    Object.assign(copy, { slots: this.slots, counts: this.counts, cache: this.cache, used: this.used, firstFree: this.firstFree, shared: true });
    this.shared = true;
    return copy;
  }

  /** The arrays, copied first if a clone may share them. */
  private own(): void {
    if (!this.shared) return;
    this.counts = this.counts.slice();
    this.cache = this.cache.slice();
    this.shared = false;
  }

  /** swapon of a device of another size: slots that exist in both keep their state. */
  resized(slots: number): SwapDevice {
    const copy = new SwapDevice(slots);
    const keep = Math.min(slots, this.slots);
    copy.counts.set(this.counts.subarray(0, keep));
    copy.cache.set(this.cache.subarray(0, keep));
    copy.used = this.used;
    return copy;
  }

  /** Slots in use (a count or a cached page): what /proc/swaps shows as Used. */
  get usedSlots(): number {
    return this.used;
  }

  get totalSlots(): number {
    return Math.max(this.slots - 1, 0);
  }

  private inUse(slot: number): boolean {
    return this.counts[slot]! > 0 || this.cache[slot]! >= 0;
  }

  /**
   * get_swap_pages: the lowest free slot, with the page in the swap cache. The search starts at the
   * lowest slot that may be free (it went from slot 1 every time: 32,000 pageouts took a second).
   */
  allocate(pfn: number): number | undefined {
    for (let slot = this.firstFree; slot < this.slots; slot++) {
      if (!this.inUse(slot)) {
        this.own();
        this.cache[slot] = pfn;
        this.used++;
        this.firstFree = slot + 1;
        return slot;
      }
    }
    this.firstFree = Math.max(this.slots, 1);
    return undefined;
  }

  /** swap_duplicate: one more reference (a PTE now points at the slot). */
  duplicate(slot: number): void {
    this.own();
    this.counts[slot]!++;
  }

  /** swap_free: one reference fewer; frees the slot when nothing refers to it. */
  release(slot: number): void {
    if (this.counts[slot]! === 0) return;
    this.own();
    this.counts[slot]!--;
    this.settle(slot);
  }

  /** __delete_from_swap_cache: the cached page leaves; the slot stays if PTEs refer to it. */
  dropCache(slot: number): void {
    if (this.cache[slot]! < 0) return;
    this.own();
    this.cache[slot] = -1;
    this.settle(slot);
  }

  private settle(slot: number): void {
    if (this.inUse(slot)) return;
    this.used--;
    if (slot < this.firstFree) this.firstFree = slot;
  }

  count(slot: number): number {
    return this.counts[slot]!;
  }

  /** A page read back from a slot that PTEs still refer to joins the swap cache (swapin_readahead). */
  addToCache(slot: number, pfn: number): void {
    this.own();
    this.cache[slot] = pfn;
  }

  cachedPage(slot: number): number | undefined {
    const pfn = this.cache[slot]!;
    return pfn >= 0 ? pfn : undefined;
  }
}
