import type { Kernel, Task } from '../mm/kernel';
import { readPte } from '../mm/memory';
import { PAGE_TABLE_FLAGS, PTE_NX, PTE_PRESENT, PTE_RW, PTE_SWAP, PTE_SWP_EXCLUSIVE, PTE_USER, x86Pte } from '../mm/pte';
import { walkPageTable } from '../proc/pagetable';
import type { ScenarioState } from '../scenario/state';
import { hex, isLive, taskOf, vmaContaining } from './common';
import type { PagingMode, WalkLevel, WalkView } from './view-models';

/** The walk of one address in the chosen paging mode: the real x86-64 one, or i386/toy6 renderings of the same mapping. */
export function walkAddress(state: ScenarioState, process: string, address: bigint, mode: PagingMode): WalkView {
  const task = taskOf(state, process);
  const base = { mode, address: hex(address), levels: [] as WalkLevel[] };
  if (!task || !isLive(task)) return { ...base, unavailable: `${process} is not running` };
  if (mode === 'x86-64') return walkX86(state.kernel, task, address);
  if (mode === 'i386') return walkI386(state.kernel, task, address);
  return walkToy6(state.kernel, task, address);
}

const X86_BITS = ['', '47:39', '38:30', '29:21', '20:12'];
/** PTE_PFN_MASK: bits 51:12. */
const PFN_MASK = 0x000ffffffffff000n;

/** The x86-64 4-level walk, as `show pagetable` does it (walkPageTable). */
function walkX86(k: Kernel, task: Task, address: bigint): WalkView {
  const steps = walkPageTable(k, task, address);
  const levels: WalkLevel[] = [];
  // CR3 holds the PML4's address; every later level reads the table the level above points at.
  let table = BigInt(task.pt.pgdPfn) << 12n;
  for (const [i, s] of steps.entries()) {
    const present = s.level === 'CR3' || (s.level === 'PTE' ? (s.entry & 1n) !== 0n : s.entry !== 0n);
    levels.push({ level: s.level, bits: X86_BITS[i] ?? '', index: s.index, table: hex(table), entry: hex(s.entry), flags: [...s.bits], present, note: s.note });
    if (s.level !== 'CR3') table = s.entry & PFN_MASK;
  }
  const last = steps.at(-1);
  // A PDE with PS maps a 2 MiB page: the low 21 bits of the address are the offset in it.
  const huge = last?.level === 'PDE' && (last.entry & 0x81n) === 0x81n;
  const physical = huge ? hex((last.entry & PFN_MASK & ~0x1fffffn) | (address & 0x1fffffn)) : last?.level === 'PTE' && (last.entry & 1n) !== 0n ? hex((last.entry & PFN_MASK) | (address & 0xfffn)) : undefined;
  return { mode: 'x86-64', address: hex(address), levels, ...(physical ? { physical } : {}) };
}

/** Names of the bits of a 32-bit non-PAE entry (no NX: that needs PAE). */
function i386BitNames(entry: number, leaf: boolean): string[] {
  const names: [number, string][] = [[0x1, 'P'], [0x2, 'RW'], [0x4, 'US'], [0x8, 'PWT'], [0x10, 'PCD'], [0x20, 'A'], [0x40, 'D'], [0x80, leaf ? 'PAT' : 'PS'], [0x100, 'G']];
  return names.filter(([bit]) => entry & bit).map(([, name]) => name);
}

const hex32 = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

/**
 * The classic i386 2-level walk (no PAE): PDE = VA[31:22], PTE = VA[21:12],
 * 1024 4-byte entries per table. The simulator only builds x86-64 tables, so
 * the entries are derived from them: same frame, same low flag bits, 32-bit
 * format; the page directory and page table are synthesized frames.
 */
function walkI386(k: Kernel, task: Task, address: bigint): WalkView {
  const base = { mode: 'i386' as const, address: hex(address) };
  if (address >= 1n << 32n) return { ...base, levels: [], unavailable: `i386 paging has 32-bit addresses: ${hex(address)} is above 4 GiB, where a 32-bit process cannot map anything` };
  const a = Number(address);
  const pdIndex = a >>> 22;
  const ptIndex = (a >>> 12) & 0x3ff;
  const vpn = a >>> 12;
  const pdFrame = task.pt.pgdPfn;
  const x86Table = task.pt.table(vpn);
  const levels: WalkLevel[] = [{ level: 'CR3', bits: '', index: 0, table: hex32(pdFrame << 12), entry: hex32(pdFrame << 12), flags: [], present: true, note: `page directory at frame ${hex(pdFrame)} (synthesized: the simulated x86-64 PML4's frame stands in for it)` }];
  const pdTable = pdFrame * 4096;
  if (!x86Table) {
    levels.push({ level: 'PDE', bits: '31:22', index: pdIndex, table: hex32(pdTable), entry: hex32(0), flags: [], present: false, note: 'not present: nothing in this 4 MiB was ever touched' });
    return { ...base, levels };
  }
  // The x86-64 PTE table covers 2 MiB; an i386 page table covers 4 MiB. Its frame stands in for the i386 one.
  const ptFrame = x86Table.pfn;
  const pde = ((ptFrame << 12) | Number(PAGE_TABLE_FLAGS)) >>> 0;
  levels.push({ level: 'PDE', bits: '31:22', index: pdIndex, table: hex32(pdTable), entry: hex32(pde), flags: i386BitNames(pde, false), present: true, note: `page table at frame ${hex(ptFrame)} (synthesized from the x86-64 page table of this 2 MiB)` });
  const [flags, value] = readPte(task, vpn);
  const ptTable = ptFrame * 4096;
  if (flags & PTE_SWAP) {
    // pgtable-2level.h __swp_entry: type in bits 5:1, offset from bit 9 (SWP_OFFSET_SHIFT), P clear;
    // _PAGE_SWP_EXCLUSIVE borrows bit 7 (_PAGE_PSE).
    const exclusive = (flags & PTE_SWP_EXCLUSIVE) !== 0;
    const entry = ((value << 9) | (exclusive ? 0x80 : 0)) >>> 0;
    levels.push({ level: 'PTE', bits: '21:12', index: ptIndex, table: hex32(ptTable), entry: hex32(entry), flags: ['swap'], present: false, note: `swap entry: type 0, offset ${value} in bits 31:9${exclusive ? ', exclusive (bit 7)' : ''} (the 2-level swap format, not inverted)` });
    return { ...base, levels };
  }
  if (!(flags & PTE_PRESENT)) {
    const note = flags ? 'PROT_NONE: Linux keeps the page, but P is clear so the MMU faults' : 'none: the page was never faulted in (or was unmapped)';
    levels.push({ level: 'PTE', bits: '21:12', index: ptIndex, table: hex32(ptTable), entry: hex32(flags ? ((value << 12) | (flags & 0x1ff)) >>> 0 : 0), flags: [], present: false, note });
    return { ...base, levels };
  }
  if (value >= 1 << 20) {
    levels.push({ level: 'PTE', bits: '21:12', index: ptIndex, table: hex32(ptTable), entry: hex(x86Pte(flags, value)), flags: [], present: true, note: `frame ${hex(value)} is above 4 GiB: a 32-bit entry without PAE cannot hold it` });
    return { ...base, levels };
  }
  const entry = ((value << 12) | (flags & 0x1ff)) >>> 0;
  const lost = flags & PTE_NX ? '; the x86-64 entry has NX, which non-PAE i386 cannot express: the page would be executable' : '';
  levels.push({ level: 'PTE', bits: '21:12', index: ptIndex, table: hex32(ptTable), entry: hex32(entry), flags: i386BitNames(entry, true), present: true, note: `frame ${hex(value)}: the same frame and flags as the x86-64 PTE, in 4 bytes${lost}` });
  return { ...base, levels, physical: hex32(((value << 12) | (a & 0xfff)) >>> 0) };
}

/**
 * The 6-bit teaching architecture: a 64-byte virtual space of 8 pages of 8
 * bytes, VA = VPN[5:3] | offset[2:0], one page table of 8 PTEs holding
 * frame[5:3] U[2] W[1] P[0]. Toy page i stands for page i of the 8-page window
 * of the VMA that holds the address; frame = pfn & 7.
 */
function walkToy6(k: Kernel, task: Task, address: bigint): WalkView {
  const base = { mode: 'toy6' as const, address: hex(address) };
  const vma = vmaContaining(task, address);
  if (!vma) return { ...base, levels: [], unavailable: `no VMA of ${task.name} contains ${hex(address)}, so there is no window of pages to show as a toy page table` };
  const pageIndex = Number((address - vma.start) >> 12n);
  const window = pageIndex - (pageIndex % 8);
  const toyVpn = pageIndex & 7;
  const offset = Number(address & 7n);
  const toyAddress = (toyVpn << 3) | offset;
  const [flags, value] = readPte(task, Number(vma.start >> 12n) + pageIndex);
  const present = (flags & PTE_PRESENT) !== 0;
  const frame = present ? value & 7 : 0;
  const entry = present ? (frame << 3) | (flags & PTE_USER ? 4 : 0) | (flags & PTE_RW ? 2 : 0) | 1 : 0;
  const names = present ? [...(entry & 1 ? ['P'] : []), ...(entry & 2 ? ['W'] : []), ...(entry & 4 ? ['U'] : [])] : [];
  const mapping = `toy VPN i is page ${window}+i of the VMA at ${hex(vma.start)} (pages ${window}..${window + 7}); the toy address keeps the low 3 bits of the page offset`;
  const levels: WalkLevel[] = [
    { level: 'PTBR', bits: '', index: 0, table: hex(0), entry: hex(0), flags: [], present: true, note: `the page table base register: one table of 8 PTEs at toy address 0x0. ${hex(address)} becomes toy address ${hex(toyAddress)}: ${mapping}` },
    {
      level: 'PTE',
      bits: '5:3',
      index: toyVpn,
      table: hex(0),
      entry: hex(entry),
      flags: names,
      present,
      note: present ? `frame ${frame} = pfn ${hex(value)} & 7${value === k.phys.zeroPfn ? ' (the shared zero page)' : ''}; W from RW, U from US, P from present` : flags & PTE_SWAP ? `not present: the real page is swapped out (slot ${value})` : 'not present: the real page was never faulted in',
    },
  ];
  return { ...base, modeAddress: hex(toyAddress), levels, ...(present ? { physical: hex((frame << 3) | offset) } : {}) };
}
