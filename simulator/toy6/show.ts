// What the toy6 `show` statements print, and how a walk is told in one line (notes, failures).
import { bits6, CELLS, PAGE_CELLS, PAGES, walk, type Access, type Toy6Machine, type Toy6Process, type Walk } from './machine';

const pad = (value: number | string, width: number) => String(value).padStart(width);
const flag = (on: boolean) => (on ? '1' : '0');

/** `29 = 0b011 101 (frame 3, U=1 W=0 P=1)`: a PTE with every bit. */
export function describePte(pte: number): string {
  return `${pte} = ${bits6(pte)} (frame ${pte >> 3}, U=${flag((pte & 4) !== 0)} W=${flag((pte & 2) !== 0)} P=${flag((pte & 1) !== 0)})`;
}

/** `read user` */
export const describeAccess = (access: Access) => `${access.kind} ${access.privilege}`;

const pteWhere = (w: Walk) => `PTE mem[${w.cr3} + ${w.page}] = mem[${w.pteAddress}] = ${describePte(w.pte)}`;
const WHY = { P: 'P is clear: the page is not present', U: 'U is clear: a kernel-only page', W: 'W is clear: a read-only page' } as const;

/** What a walk found, in one phrase: `PA 29 (PTE …)` or `fault W (PTE …; W is clear: …)`. */
export function describeOutcome(w: Walk): string {
  return w.fault === undefined ? `PA ${w.pa} (${pteWhere(w)})` : `fault ${w.fault} (${pteWhere(w)}; ${WHY[w.fault]})`;
}

/** The note of a faulting read or write: `fault U: user read of VA 13 (page 1, offset 5) by A: PTE …; U is clear: …`. */
export function faultNote(process: string, w: Walk, access: Access): string {
  return `fault ${w.fault ?? '-'}: ${access.privilege} ${access.kind} of VA ${w.va} (page ${w.page}, offset ${w.offset}) by ${process}: ${pteWhere(w)}; ${w.fault ? WHY[w.fault] : 'allowed'}`;
}

/** `show pagetable P`: the 8 entries of P's table, every bit. */
export function showPageTable(machine: Toy6Machine, process: Toy6Process): string {
  const lines = [`page table of ${process.name}: cr3 = ${process.cr3} = ${bits6(process.cr3)}, frame ${process.cr3 >> 3} (cells ${process.cr3}-${process.cr3 + PAGE_CELLS - 1})`];
  lines.push('page  VA      PTE at  PTE                frame  U W P  maps to');
  for (let page = 0; page < PAGES; page++) {
    const at = process.cr3 + page;
    const pte = machine.memory[at] ?? 0;
    const frame = pte >> 3;
    const present = (pte & 1) !== 0;
    const mapsTo = present ? `PA ${frame * PAGE_CELLS}-${frame * PAGE_CELLS + PAGE_CELLS - 1}${(pte & 4) === 0 ? ' (kernel only)' : ''}${(pte & 2) === 0 ? ' (read-only)' : ''}` : 'not present';
    const va = `${page * PAGE_CELLS}-${page * PAGE_CELLS + PAGE_CELLS - 1}`;
    lines.push(`${pad(page, 4)}  ${va.padEnd(6)}  ${pad(at, 6)}  ${pad(pte, 2)} = ${bits6(pte)}   ${pad(frame, 5)}  ${flag((pte & 4) !== 0)} ${flag((pte & 2) !== 0)} ${flag(present)}  ${mapsTo}`);
  }
  return `${lines.join('\n')}\n`;
}

const ACCESSES: readonly Access[] = [
  { kind: 'read', privilege: 'user' },
  { kind: 'write', privilege: 'user' },
  { kind: 'read', privilege: 'kernel' },
  { kind: 'write', privilege: 'kernel' },
];

/** `show pagetable P VA`: one walk, step by step, and what each kind of access would do. */
export function showWalk(machine: Toy6Machine, process: Toy6Process, va: number): string {
  const w = walk(machine.memory, process.cr3, va, ACCESSES[0] as Access);
  const lines = [
    `walk of ${process.name} VA ${va} = ${bits6(va)}: page ${w.page}, offset ${w.offset}`,
    `PTE at cr3 + page = ${w.cr3} + ${w.page} = ${w.pteAddress}: ${describePte(w.pte)}`,
    `PA = (PTE >> 3) << 3 | offset = ${w.bits.frame} * 8 + ${w.offset} = ${w.pa} = ${bits6(w.pa)}, which holds ${machine.memory[w.pa] ?? 0}`,
  ];
  for (const access of ACCESSES) {
    const result = walk(machine.memory, process.cr3, va, access);
    lines.push(`${describeAccess(access).padEnd(12)}  ${result.fault === undefined ? `PA ${result.pa}` : `fault ${result.fault}`}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `show physmem`: 64 cells, 8 per line (one frame), page tables marked and who maps each frame. */
export function showPhysmem(machine: Toy6Machine): string {
  const tables = machine.pageTableFrames();
  const mappers = new Map<number, string[]>();
  for (const p of machine.processes.values()) {
    for (let page = 0; page < PAGES; page++) {
      const pte = machine.memory[p.cr3 + page] ?? 0;
      if ((pte & 1) === 0) continue;
      const frame = pte >> 3;
      const list = mappers.get(frame);
      if (list) list.push(`${p.name} page ${page}`);
      else mappers.set(frame, [`${p.name} page ${page}`]);
    }
  }
  const lines = [`frame  cells  ${Array.from({ length: PAGE_CELLS }, (_, i) => pad(`+${i}`, 3)).join(' ')}`];
  for (let frame = 0; frame < CELLS / PAGE_CELLS; frame++) {
    const start = frame * PAGE_CELLS;
    const cells = Array.from(machine.memory.subarray(start, start + PAGE_CELLS), (v) => pad(v, 3)).join(' ');
    const marks: string[] = [];
    const owners = tables.get(frame);
    if (owners) marks.push(`page table of ${owners.join(', ')}`);
    const mapped = mappers.get(frame);
    if (mapped) marks.push(`mapped by ${mapped.join(', ')}`);
    lines.push(`${pad(frame, 5)}  ${`${start}-${start + PAGE_CELLS - 1}`.padEnd(5)}  ${cells}${marks.length ? `  ${owners ? '*' : ' '} ${marks.join('; ')}` : ''}`.trimEnd());
  }
  return `${lines.join('\n')}\n`;
}
