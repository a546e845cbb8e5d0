/** Folio flags the simulator tracks (include/linux/page-flags.h), as bits of a Uint16. */
export const PG_REFERENCED = 1 << 0;
export const PG_UPTODATE = 1 << 1;
export const PG_DIRTY = 1 << 2;
export const PG_LRU = 1 << 3;
export const PG_ACTIVE = 1 << 4;
export const PG_SWAPBACKED = 1 << 5;
export const PG_SWAPCACHE = 1 << 6;
export const PG_ANON = 1 << 7;
export const PG_UNEVICTABLE = 1 << 8;
/** PG_mlocked: a VM_LOCKED VMA maps the folio (mm/mlock.c); it sits on the unevictable LRU. */
export const PG_MLOCKED = 1 << 14;
/** A subpage of an anonymous PMD-sized folio (folio_test_large), from its order-9 block until the folio is split. */
export const PG_LARGE = 1 << 9;
/** Tracked here, not a kernel flag: a store reached this subpage of a large folio, so it is not zero-filled. */
export const PG_WRITTEN = 1 << 15;
/** A kernel page: page tables and other allocations that are never on an LRU list. */
export const PG_KERNEL = 1 << 10;
export const PG_ZERO = 1 << 11;
/** Tracked here, not a kernel flag: the frame is allocated. */
export const PG_ALLOCATED = 1 << 12;

export type LruList = 'inactive_anon' | 'active_anon' | 'inactive_file' | 'active_file' | 'unevictable';
export const LRU_LISTS: readonly LruList[] = ['inactive_anon', 'active_anon', 'inactive_file', 'active_file', 'unevictable'];
/** PG_readahead: reaching this page starts the next asynchronous readahead. */
export const PG_READAHEAD = 1 << 13;
