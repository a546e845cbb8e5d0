// The two processes a large anonymous folio remembers (CONFIG_MM_ID) and its "maybe shared" bit:
// set when a second process maps it, cleared when one remembered process holds every mapping after
// another lost its last one; a third process is not remembered, so the bit stays while it maps.
import { describe, expect, it } from 'vitest';
import { addLargeMapping, maybeMappedShared, removeLargeMapping } from '../../../../simulator/mm/folio-mm-ids';
import { Kernel } from '../../../../simulator/mm/kernel';
import { PG_ANON, PG_LARGE } from '../../../../simulator/mm/page-flags';
import { OWNER_ANON } from '../../../../simulator/mm/physical-memory';

function largeFolio(): { k: Kernel; head: number } {
  const k = new Kernel({ ramBytes: 64 << 20, swapBytes: 0, pkeys: false, forbidsZeroPage: false });
  const head = k.phys.allocate(OWNER_ANON, 1, 0, PG_LARGE | PG_ANON, 9) as number;
  return { k, head };
}

describe('folio_maybe_mapped_shared of a large anonymous folio', () => {
  it('is set by a second process and cleared when the first is left alone', () => {
    const { k, head } = largeFolio();
    addLargeMapping(k, head, 1000);
    addLargeMapping(k, head + 1, 1000);
    expect(maybeMappedShared(k, head)).toBe(false);
    addLargeMapping(k, head + 1, 1001);
    expect(maybeMappedShared(k, head)).toBe(true);
    removeLargeMapping(k, head + 1, 1001);
    expect(maybeMappedShared(k, head)).toBe(false);
  });

  it('stays set while a third process no slot remembers maps it, the two others gone', () => {
    const { k, head } = largeFolio();
    for (const pid of [1000, 1001, 1002]) addLargeMapping(k, head + 5, pid);
    removeLargeMapping(k, head + 5, 1000);
    removeLargeMapping(k, head + 5, 1001);
    addLargeMapping(k, head + 6, 1002);
    expect(maybeMappedShared(k, head)).toBe(true);
    // Its last mappings gone, the folio is unmapped and exclusive again.
    removeLargeMapping(k, head + 5, 1002);
    removeLargeMapping(k, head + 6, 1002);
    expect(maybeMappedShared(k, head)).toBe(false);
  });

  it('is not set by one process mapping many pages, and copies with the kernel', () => {
    const { k, head } = largeFolio();
    for (let i = 0; i < 512; i++) addLargeMapping(k, head + i, 1000);
    addLargeMapping(k, head, 1001);
    const copy = k.clone();
    removeLargeMapping(k, head, 1001);
    expect(maybeMappedShared(k, head)).toBe(false);
    expect(maybeMappedShared(copy, head)).toBe(true);
  });
});
