// A folio batch of this CPU's (struct folio_batch in mm/swap.c and mm/mlock.c), as frame numbers in
// a fixed array with a count: emptying it keeps the array, so that filling a batch again (every 31
// new pages of a gigabyte written) allocates nothing.

/** PAGEVEC_SIZE: a folio batch holds 31 entries. */
const FOLIO_BATCH = 31;

export class FolioBatch {
  private readonly pfns: Int32Array;
  private count: number;

  constructor(from?: FolioBatch) {
    this.pfns = from ? from.pfns.slice() : new Int32Array(FOLIO_BATCH);
    this.count = from ? from.count : 0;
  }

  get length(): number {
    return this.count;
  }

  /** Queues a frame; a batch that fills up is drained (emptied). */
  add(pfn: number): void {
    if (this.addUntilFull(pfn)) this.clear();
  }

  /** Queues a frame marked as new (mlock_new: a folio on no LRU list until the batch drains), stored as -(pfn + 1). */
  addNew(pfn: number): void {
    this.add(-(pfn + 1));
  }

  /** Whether the frame waits here marked as new. */
  hasNew(pfn: number): boolean {
    const marked = -(pfn + 1);
    for (let i = 0; i < this.count; i++) if (this.pfns[i] === marked) return true;
    return false;
  }

  /** Queues a frame without draining; true when the batch is then full (the caller drains it). */
  addUntilFull(pfn: number): boolean {
    this.pfns[this.count++] = pfn;
    return this.count >= FOLIO_BATCH;
  }

  /** The frames queued, oldest first. */
  at(i: number): number {
    return this.pfns[i]!;
  }

  clear(): void {
    this.count = 0;
  }

  /** How many of the entries are this frame (new or not). */
  occurrences(pfn: number): number {
    const marked = -(pfn + 1);
    let n = 0;
    for (let i = 0; i < this.count; i++) if (this.pfns[i] === pfn || this.pfns[i] === marked) n++;
    return n;
  }

  /** Drops every entry of this frame (a freed frame leaves the batch). */
  removeEvery(pfn: number): void {
    const marked = -(pfn + 1);
    let kept = 0;
    for (let i = 0; i < this.count; i++) if (this.pfns[i] !== pfn && this.pfns[i] !== marked) this.pfns[kept++] = this.pfns[i]!;
    this.count = kept;
  }

  clone(): FolioBatch {
    return new FolioBatch(this);
  }
}
