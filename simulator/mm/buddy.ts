/** MAX_PAGE_ORDER: blocks of 2^0 .. 2^10 pages (4 KiB .. 4 MiB). */
export const MAX_ORDER = 10;

/**
 * The buddy allocator (mm/page_alloc.c): free blocks of 2^order frames kept
 * per order; allocation splits a larger block (expand), freeing merges a
 * block with its free buddy (__free_one_page) as long as it can.
 */
export class BuddyAllocator {
  /**
   * Free blocks per order as lists linked through their first frames (free_area[order].free_list),
   * oldest first: a block is added at the tail and taken from the head. Links hold pfn + 1, so 0
   * is the end and the arrays need no fill.
   *
   * The order-MAX_ORDER blocks made at boot and never touched since are not linked: they are the
   * run [virginNext, virginEnd) in steps of 2^MAX_ORDER at the head of the top list (boot added
   * them in address order, before anything else, and only allocation takes them, from the head).
   * So the arrays are written only below the frames ever split or freed; above, they stay
   * untouched memory, and a clone copies only the part below (`limit`).
   */
  private next: Int32Array;
  private prev: Int32Array;
  /** For a linked free block's first frame, its order + 1; 0 elsewhere. */
  private blockOrder: Int8Array;
  private head: Int32Array;
  private tail: Int32Array;
  private counts: Int32Array;
  private virginNext: number;
  private virginEnd: number;
  /** Every array entry at or above is 0. */
  private limit: number;
  private freeCount: number;

  constructor(readonly frames: number, reserved: number) {
    this.next = new Int32Array(frames);
    this.prev = new Int32Array(frames);
    this.blockOrder = new Int8Array(frames);
    this.head = new Int32Array(MAX_ORDER + 1);
    this.tail = new Int32Array(MAX_ORDER + 1);
    this.counts = new Int32Array(MAX_ORDER + 1);
    this.freeCount = 0;
    this.limit = 0;
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

  clone(): BuddyAllocator {
    const n = this.limit;
    const prefix = <A extends Int32Array | Int8Array>(array: A): A => {
      const out = new (array.constructor as new (length: number) => A)(n);
      out.set(array.subarray(0, n));
      return out;
    };
    const copy = Object.create(BuddyAllocator.prototype) as BuddyAllocator;
    Object.assign(copy, {
      frames: this.frames,
      next: prefix(this.next),
      prev: prefix(this.prev),
      blockOrder: prefix(this.blockOrder),
      head: this.head.slice(),
      tail: this.tail.slice(),
      counts: this.counts.slice(),
      virginNext: this.virginNext,
      virginEnd: this.virginEnd,
      limit: n,
      freeCount: this.freeCount,
    });
    return copy;
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
    for (let link = this.head[order]!; link; link = this.next[link - 1]!) out.push(link - 1);
    return out;
  }

  /** The order of the free block that starts at pfn, or undefined. */
  freeOrderAt(pfn: number): number | undefined {
    if (pfn >= this.virginNext && pfn < this.virginEnd && pfn % (1 << MAX_ORDER) === 0) return MAX_ORDER;
    const order = pfn < this.limit ? this.blockOrder[pfn]! : 0;
    return order ? order - 1 : undefined;
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
      if (buddy >= this.frames || buddy >= this.limit || this.blockOrder[buddy] !== current + 1) break;
      this.remove(buddy, current);
      block = Math.min(block, buddy);
      current++;
    }
    this.insert(block, current);
  }

  /** Makes the arrays reach past pfn (a clone's arrays cover only what was written). */
  private cover(pfn: number): void {
    if (pfn < this.limit) return;
    this.limit = Math.min(this.frames, Math.ceil((pfn + 1) / (1 << MAX_ORDER)) * (1 << MAX_ORDER));
    if (this.limit <= this.next.length) return;
    const length = Math.min(this.frames, Math.max(this.limit, this.next.length * 2));
    const grown = <A extends Int32Array | Int8Array>(array: A): A => {
      const out = new (array.constructor as new (length: number) => A)(length);
      out.set(array);
      return out;
    };
    this.next = grown(this.next);
    this.prev = grown(this.prev);
    this.blockOrder = grown(this.blockOrder);
  }

  private insert(pfn: number, order: number): void {
    this.cover(pfn);
    const tail = this.tail[order]!;
    this.prev[pfn] = tail;
    this.next[pfn] = 0;
    if (tail) this.next[tail - 1] = pfn + 1;
    else this.head[order] = pfn + 1;
    this.tail[order] = pfn + 1;
    this.counts[order]!++;
    this.blockOrder[pfn] = order + 1;
    this.freeCount += 1 << order;
  }

  private remove(pfn: number, order: number): void {
    const prev = this.prev[pfn]!;
    const next = this.next[pfn]!;
    if (prev) this.next[prev - 1] = next;
    else this.head[order] = next;
    if (next) this.prev[next - 1] = prev;
    else this.tail[order] = prev;
    this.prev[pfn] = 0;
    this.next[pfn] = 0;
    this.counts[order]!--;
    this.blockOrder[pfn] = 0;
    this.freeCount -= 1 << order;
  }
}
