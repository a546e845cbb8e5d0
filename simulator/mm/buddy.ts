/** MAX_PAGE_ORDER: blocks of 2^0 .. 2^10 pages (4 KiB .. 4 MiB). */
export const MAX_ORDER = 10;

/**
 * The buddy allocator (mm/page_alloc.c): free blocks of 2^order frames kept
 * per order; allocation splits a larger block (expand), freeing merges a
 * block with its free buddy (__free_one_page) as long as it can.
 */
export class BuddyAllocator {
  /** Free block heads per order, in the order they were freed (the kernel's list order). */
  private freeLists: Set<number>[];
  /** For a free block's first frame, its order; -1 elsewhere. */
  private blockOrder: Int8Array;
  private freeCount: number;

  constructor(readonly frames: number, reserved: number) {
    this.freeLists = Array.from({ length: MAX_ORDER + 1 }, () => new Set<number>());
    this.blockOrder = new Int8Array(frames).fill(-1);
    this.freeCount = 0;
    // Free everything above the reserved frames, largest aligned blocks first.
    let pfn = reserved;
    while (pfn < frames) {
      let order = MAX_ORDER;
      while (order > 0 && (pfn % (1 << order) !== 0 || pfn + (1 << order) > frames)) order--;
      this.insert(pfn, order);
      pfn += 1 << order;
    }
  }

  clone(): BuddyAllocator {
    const copy = Object.create(BuddyAllocator.prototype) as BuddyAllocator;
    Object.assign(copy, { frames: this.frames, freeLists: this.freeLists.map((s) => new Set(s)), blockOrder: this.blockOrder.slice(), freeCount: this.freeCount });
    return copy;
  }

  get freePages(): number {
    return this.freeCount;
  }

  /** Free blocks per order, lowest order first (/proc/buddyinfo). */
  get freeBlocksPerOrder(): number[] {
    return this.freeLists.map((s) => s.size);
  }

  /** The free blocks of one order, as first frame numbers. */
  freeBlocks(order: number): readonly number[] {
    return [...(this.freeLists[order] ?? [])];
  }

  /** __rmqueue_smallest: the first block of the smallest order that fits, split down. */
  allocate(order = 0): number | undefined {
    for (let current = order; current <= MAX_ORDER; current++) {
      const list = this.freeLists[current] as Set<number>;
      const first = list.values().next();
      if (first.done) continue;
      const pfn = first.value;
      this.remove(pfn, current);
      // expand(): hand the upper halves back, one order at a time.
      for (let split = current; split > order; split--) this.insert(pfn + (1 << (split - 1)), split - 1);
      return pfn;
    }
    return undefined;
  }

  /** __free_one_page: merge with the buddy while it is free and of the same order. */
  free(pfn: number, order = 0): void {
    let block = pfn;
    let current = order;
    while (current < MAX_ORDER) {
      const buddy = block ^ (1 << current);
      if (buddy >= this.frames || this.blockOrder[buddy] !== current) break;
      this.remove(buddy, current);
      block = Math.min(block, buddy);
      current++;
    }
    this.insert(block, current);
  }

  private insert(pfn: number, order: number): void {
    (this.freeLists[order] as Set<number>).add(pfn);
    this.blockOrder[pfn] = order;
    this.freeCount += 1 << order;
  }

  private remove(pfn: number, order: number): void {
    (this.freeLists[order] as Set<number>).delete(pfn);
    this.blockOrder[pfn] = -1;
    this.freeCount -= 1 << order;
  }
}
