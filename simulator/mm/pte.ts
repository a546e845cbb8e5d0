/**
 * Page-table entries. The simulator keeps each entry as a 16-bit flag word
 * plus a 32-bit value (PFN, or swap slot); `x86Pte` builds the real 64-bit
 * x86-64 entry from them (asm/pgtable_types.h, asm/pgtable_64.h).
 */
export const PTE_PRESENT = 0x001;
export const PTE_RW = 0x002;
export const PTE_USER = 0x004;
export const PTE_PWT = 0x008;
export const PTE_PCD = 0x010;
export const PTE_ACCESSED = 0x020;
export const PTE_DIRTY = 0x040;
export const PTE_SPECIAL = 0x200;
/** Internal positions for bits that live above bit 11 in the hardware entry. */
export const PTE_NX = 0x1000;
export const PTE_SWAP = 0x2000;
export const PTE_SWP_EXCLUSIVE = 0x4000;

/** _PAGE_TABLE: what an upper-level entry pointing to a table holds. */
export const PAGE_TABLE_FLAGS = 0x067n;

export const PTRS_PER_TABLE = 512;

/** The hardware value of a leaf entry. */
export function x86Pte(flags: number, value: number): bigint {
  if (flags & PTE_SWAP) {
    // Swap entry: type 0 in bits 59-63, the inverted offset in bits 9-58, bit 3 exclusive.
    const offsetBits = ~BigInt(value) & ((1n << 50n) - 1n);
    return (offsetBits << 9n) | (flags & PTE_SWP_EXCLUSIVE ? 0x8n : 0n);
  }
  if (!(flags & PTE_PRESENT)) return 0n;
  return BigInt(flags & 0xfff) | (BigInt(value) << 12n) | (flags & PTE_NX ? 1n << 63n : 0n);
}

/** Names of the set bits of a 64-bit entry, lowest first, as a walk shows them. */
export function pteBitNames(entry: bigint, leaf: boolean): string[] {
  const names: [bigint, string][] = [
    [0x1n, 'P'], [0x2n, 'RW'], [0x4n, 'US'], [0x8n, 'PWT'], [0x10n, 'PCD'], [0x20n, 'A'], [0x40n, 'D'],
    [0x80n, leaf ? 'PAT' : 'PS'], [0x100n, 'G'], [0x200n, 'SPECIAL'], [1n << 63n, 'NX'],
  ];
  return names.filter(([bit]) => (entry & bit) !== 0n).map(([, name]) => name);
}
