/** MAX_PAGE_ORDER: blocks of 2^0 .. 2^10 pages (4 KiB .. 4 MiB). */
export const MAX_ORDER = 10;

/**
 * The buddy allocator (mm/page_alloc.c): free blocks of 2^order frames kept
 * per order; allocation splits a larger block (expand), freeing merges a
 * block with its free buddy (__free_one_page) as long as it can.
 */
/**
 * Where the free lists live: per frame, the links of the list its free block is on and the block's
 * order. PhysicalMemory lends its struct page arrays, as the kernel does (a free page's lru list_head
 * is its buddy_list, and buddy_order is kept in the page): a free frame uses no field of its own.
 */
export interface FreeAreaLinks {
  /** Next and previous block's first frame + 1 (0: the end of the list). */
  next: Int32Array;
  prev: Int32Array;
  /** For a listed block's first frame: -(order + 2); anything else for other frames (never below -1). */
  order: Int32Array;
}

export class BuddyAllocator {
  /**
   * Free blocks per order as lists linked through their first frames (free_area[order].free_list),
   * oldest first: a block is added at the tail and taken from the head.
   *
   * The order-MAX_ORDER blocks made at boot and never touched since are not linked: they are the
   * run [virginNext, virginEnd) in steps of 2^MAX_ORDER at the head of the top list (boot added
   * them in address order, before anything else, and only allocation takes them, from the head).
   * So the links are written only where frames have been split or freed: below the high-water
   * mark of PhysicalMemory (and at the end of a machine that is not a multiple of 4 MiB).
   */
  private links: FreeAreaLinks;
  private head: Int32Array;
  private tail: Int32Array;
  private counts: Int32Array;
  private virginNext: number;
  private virginEnd: number;
  private freeCount: number;

  /** `links`: arrays of a slot per frame to keep the lists in (the allocator makes its own without). */
  constructor(readonly frames: number, reserved: number, links?: FreeAreaLinks) {
    this.links = links ?? { next: new Int32Array(frames), prev: new Int32Array(frames), order: new Int32Array(frames) };
    this.head = new Int32Array(MAX_ORDER + 1);
    this.tail = new Int32Array(MAX_ORDER + 1);
    this.counts = new Int32Array(MAX_ORDER + 1);
    this.freeCount = 0;
    const top = 1 << MAX_ORDER;
    this.virginNext = Math.ceil(reserved / top) * top;
    this.virginEnd = Math.max(this.virginNext, Math.floor(frames / top) * top);
    const virgins = (this.virginEnd - this.virginNext) / top;
    // Free everything above the reserved frames, largest aligned blocks first.
    let pfn = reserved;
    while (pfn < frames) {
      if (pfn === this.virginNext && virgins > 0) {
        this.counts[MAX_ORDER]! += virgins;
        this.freeCount += virgins * top;
        pfn = this.virginEnd;
        continue;
      }
      let order = MAX_ORDER;
      while (order > 0 && (pfn % (1 << order) !== 0 || pfn + (1 << order) > frames)) order--;
      this.insert(pfn, order);
      pfn += 1 << order;
    }
  }

  /** A copy keeping its lists in `links` (copies of the lender's arrays), or in copies of its own. */
  clone(links?: FreeAreaLinks): BuddyAllocator {
    const copy = Object.create(BuddyAllocator.prototype) as BuddyAllocator;
    Object.assign(copy, {
      frames: this.frames,
      links: links ?? { next: this.links.next.slice(), prev: this.links.prev.slice(), order: this.links.order.slice() },
      head: this.head.slice(),
      tail: this.tail.slice(),
      counts: this.counts.slice(),
      virginNext: this.virginNext,
      virginEnd: this.virginEnd,
      freeCount: this.freeCount,
    });
    return copy;
  }

  /** The arrays moved (a lender grew them): the lists continue in these. */
  lendLinks(links: FreeAreaLinks): void {
    this.links = links;
  }

  /** The frame below which every split or freed block lies (a lender must keep copies up to it). */
  get touchedBelow(): number {
    return this.virginEnd < this.frames ? this.frames : this.virginNext;
  }

  get freePages(): number {
    return this.freeCount;
  }

  /** Free blocks per order, lowest order first (/proc/buddyinfo). */
  get freeBlocksPerOrder(): number[] {
    return [...this.counts];
  }

  /** The free blocks of one order, as first frame numbers, oldest first. */
  freeBlocks(order: number): readonly number[] {
    const out: number[] = [];
    if (order < 0 || order > MAX_ORDER) return out;
    if (order === MAX_ORDER) for (let pfn = this.virginNext; pfn < this.virginEnd; pfn += 1 << MAX_ORDER) out.push(pfn);
    for (let link = this.head[order]!; link; link = this.links.next[link - 1]!) out.push(link - 1);
    return out;
  }

  /** The order of the free block that starts at pfn, or undefined. */
  freeOrderAt(pfn: number): number | undefined {
    if (pfn >= this.virginNext && pfn < this.virginEnd && pfn % (1 << MAX_ORDER) === 0) return MAX_ORDER;
    const marker = pfn >= 0 && pfn < this.links.order.length ? this.links.order[pfn]! : 0;
    return marker <= -2 ? -marker - 2 : undefined;
  }

  /** __rmqueue_smallest: the first block of the smallest order that fits, split down. */
  allocate(order = 0): number | undefined {
    for (let current = order; current <= MAX_ORDER; current++) {
      let pfn: number;
      if (current === MAX_ORDER && this.virginNext < this.virginEnd) {
        pfn = this.virginNext;
        this.virginNext += 1 << MAX_ORDER;
        this.counts[MAX_ORDER]!--;
        this.freeCount -= 1 << MAX_ORDER;
      } else {
        const link = this.head[current]!;
        if (!link) continue;
        pfn = link - 1;
        this.remove(pfn, current);
      }
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
      if (buddy >= this.frames || this.links.order[buddy] !== -(current + 2)) break;
      this.remove(buddy, current);
      block = Math.min(block, buddy);
      current++;
    }
    this.insert(block, current);
  }

  private insert(pfn: number, order: number): void {
    const { next, prev } = this.links;
    const tail = this.tail[order]!;
    prev[pfn] = tail;
    next[pfn] = 0;
    if (tail) next[tail - 1] = pfn + 1;
    else this.head[order] = pfn + 1;
    this.tail[order] = pfn + 1;
    this.counts[order]!++;
    this.links.order[pfn] = -(order + 2);
    this.freeCount += 1 << order;
  }

  private remove(pfn: number, order: number): void {
    const { next, prev } = this.links;
    const p = prev[pfn]!;
    const n = next[pfn]!;
    if (p) next[p - 1] = n;
    else this.head[order] = n;
    if (n) prev[n - 1] = p;
    else this.tail[order] = p;
    this.links.order[pfn] = -1;
    this.counts[order]!--;
    this.freeCount -= 1 << order;
  }
}
