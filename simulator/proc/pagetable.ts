import type { Kernel, Task } from '../mm/kernel';
import { readPte } from '../mm/memory';
import { PAGE_TABLE_FLAGS, pteBitNames, x86Pte } from '../mm/pte';
import { hugePmdStep } from './huge-pmd';

const hex16 = (v: bigint) => `0x${v.toString(16).padStart(16, '0')}`;

/** One level of a page-table walk, as the panel and `show pagetable` show it. */
export interface WalkStep {
  readonly level: 'CR3' | 'PML4E' | 'PDPTE' | 'PDE' | 'PTE';
  /** Index bits of the virtual address used at this level. */
  readonly index: number;
  readonly entry: bigint;
  readonly bits: readonly string[];
  readonly note: string;
}

/** The x86-64 4-level walk of one virtual address through a task's page table. */
export function walkPageTable(k: Kernel, task: Task, address: bigint): WalkStep[] {
  const vpn = Number(address >> 12n);
  const idx = [Number((address >> 39n) & 511n), Number((address >> 30n) & 511n), Number((address >> 21n) & 511n), Number((address >> 12n) & 511n)];
  const steps: WalkStep[] = [{ level: 'CR3', index: 0, entry: BigInt(task.pt.pgdPfn) << 12n, bits: [], note: `PML4 table at frame 0x${task.pt.pgdPfn.toString(16)}` }];
  const pud = task.pt.pudTables.get(Math.floor(vpn / 2 ** 27));
  const pmd = task.pt.pmdTables.get(Math.floor(vpn / 2 ** 18));
  const pte = task.pt.table(vpn);
  const upper: [WalkStep['level'], number | undefined, string][] = [
    ['PML4E', pud, 'PDPT'],
    ['PDPTE', pmd, 'page directory'],
    ['PDE', pte?.pfn, 'page table'],
  ];
  for (const [i, [level, pfn, what]] of upper.entries()) {
    // A PMD that maps 2 MiB itself (PS): the walk ends at the PDE.
    if (level === 'PDE' && pte?.pmd) {
      steps.push(hugePmdStep(k, pte, idx[2]!, address));
      return steps;
    }
    if (pfn === undefined) {
      steps.push({ level, index: idx[i]!, entry: 0n, bits: [], note: 'not present: nothing below was ever touched' });
      return steps;
    }
    const entry = (BigInt(pfn) << 12n) | PAGE_TABLE_FLAGS;
    steps.push({ level, index: idx[i]!, entry, bits: pteBitNames(entry, false), note: `${what} at frame 0x${pfn.toString(16)}` });
  }
  const [flags, value] = readPte(task, vpn);
  const entry = x86Pte(flags, value);
  let note: string;
  if (!flags) note = 'none: the page was never faulted in (or was unmapped)';
  else if (flags & 0x2000) note = `swap entry: slot ${value}${k.swap.cachedPage(value) !== undefined ? ' (also in the swap cache)' : ''}`;
  else if (value === k.phys.zeroPfn && flags & 0x200) note = `the shared zero page, frame 0x${value.toString(16)}`;
  else note = `frame 0x${value.toString(16)}: physical address 0x${((BigInt(value) << 12n) | (address & 0xfffn)).toString(16)}`;
  steps.push({ level: 'PTE', index: idx[3]!, entry, bits: flags & 0x2000 ? ['swap'] : pteBitNames(entry, true), note });
  return steps;
}

/** The text of `show pagetable`. */
export function renderWalk(k: Kernel, task: Task, address: bigint): string {
  const steps = walkPageTable(k, task, address);
  let out = `virtual address 0x${address.toString(16)}: PML4 ${Number((address >> 39n) & 511n)}, PDPT ${Number((address >> 30n) & 511n)}, PD ${Number((address >> 21n) & 511n)}, PT ${Number((address >> 12n) & 511n)}, offset 0x${(address & 0xfffn).toString(16)}\n`;
  for (const s of steps) out += `${s.level.padEnd(6)} ${hex16(s.entry)}  ${s.bits.join(' ').padEnd(18)} ${s.note}\n`;
  return out;
}
