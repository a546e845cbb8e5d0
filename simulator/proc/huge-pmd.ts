import type { Kernel } from '../mm/kernel';
import { PMD_FILE, PMD_HUGE_ZERO } from '../mm/huge-memory';
import type { PteTable } from '../mm/page-table';
import { pteBitNames, x86Pte } from '../mm/pte';
import type { WalkStep } from './pagetable';

/** _PAGE_PSE: in a PDE, the entry maps a 2 MiB page instead of pointing to a page table. */
export const PDE_PS = 0x80n;

/**
 * The PDE of a PMD-mapped 2 MiB page (pmd_mkhuge): the PMD's bits with PS, and the first frame of the folio
 * (or of the huge zero page). The PTE table the simulator keeps behind it is the one deposited for a split.
 */
export function hugePmdStep(k: Kernel, table: PteTable, index: number, address: bigint): WalkStep {
  const flags = table.flags[0]!;
  const zero = table.pmd === PMD_HUGE_ZERO;
  const file = table.pmd === PMD_FILE;
  const head = table.value[0]!;
  const entry = x86Pte(flags, head) | PDE_PS;
  const offset = address & 0x1fffffn;
  const note = zero
    ? `the huge zero page: 2 MiB read-only, shared, not counted in Rss (the page table at frame 0x${table.pfn.toString(16)} is kept for a split)`
    : file
      ? `2 MiB page (a page-cache folio of the file) at frame 0x${head.toString(16)}: physical address 0x${((BigInt(head) << 12n) | offset).toString(16)} (x86 keeps no page table behind a file PMD)`
      : `2 MiB page (a transparent huge page) at frame 0x${head.toString(16)}: physical address 0x${((BigInt(head) << 12n) | offset).toString(16)} (the page table at frame 0x${table.pfn.toString(16)} is kept for a split)`;
  return { level: 'PDE', index, entry, bits: pteBitNames(entry, false), note };
}
