import { PAGE_SIZE, pageAlign } from '../../mm/vma';

/** MALLOC_ALIGNMENT on x86-64 (2 * sizeof (size_t), at least alignof (long double)). */
const MALLOC_ALIGNMENT = 16n;

/** How the allocator gets fresh pages: mmap(NULL, len, PROT_READ|PROT_WRITE, MAP_ANON|MAP_PRIVATE). */
export type AnonMmap = (length: bigint) => bigint;

/**
 * ld.so's allocator before relocation (elf/dl-minimal-malloc.c, glibc 2.36):
 * a bump pointer that starts in the unused tail of ld.so's last data page
 * (`&_end`) and mmaps a fresh area of `n` rounded up plus one page when the
 * request does not fit. Only the most recent block can be freed.
 */
export class MinimalMalloc {
  private allocPtr = 0n;
  private allocEnd = 0n;
  private lastBlock = 0n;
  /** Each mmap the allocator made, in order: [address, length]. */
  readonly areas: [bigint, bigint][] = [];
  /** Every block handed out: [address, size]. */
  readonly blocks: [bigint, bigint][] = [];

  constructor(
    /** `&_end` of ld.so, where the first allocations go. */
    private readonly rtldEnd: bigint,
    private readonly mmap: AnonMmap,
  ) {}

  /** __minimal_malloc */
  malloc(n: bigint): bigint {
    if (this.allocEnd === 0n) {
      this.allocPtr = this.rtldEnd;
      this.allocEnd = pageAlign(this.rtldEnd);
    }
    this.allocPtr = (this.allocPtr + MALLOC_ALIGNMENT - 1n) & ~(MALLOC_ALIGNMENT - 1n);
    if (this.allocPtr + n >= this.allocEnd) {
      const nup = pageAlign(n) + PAGE_SIZE;
      const page = this.mmap(nup);
      this.areas.push([page, nup]);
      if (page !== this.allocEnd) this.allocPtr = page;
      this.allocEnd = page + nup;
    }
    this.lastBlock = this.allocPtr;
    this.allocPtr += n;
    this.blocks.push([this.lastBlock, n]);
    return this.lastBlock;
  }

  /** __minimal_calloc */
  calloc(nmemb: bigint, size: bigint): bigint {
    return this.malloc(nmemb * size);
  }

  /** __minimal_free: only the last block is given back. */
  free(ptr: bigint): void {
    if (ptr === this.lastBlock) this.allocPtr = this.lastBlock;
  }
}
