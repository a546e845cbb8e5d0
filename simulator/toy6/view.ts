// The view model of a toy6 step for the panel: memory as 8 × 8 cells with each frame's role, each
// process's table with its bits, and the walk of the statement at the step (the line under the cursor).
import { CELLS, PAGE_CELLS, PAGES, walk as walkOf, type Access, type FaultBit } from './machine';
import type { Toy6Run } from './run';

/** Processes shown with their tables, at most (a scenario may make many). */
export const MAX_VIEW_PROCESSES = 16;

export interface Toy6EntryView {
  /** The cell that holds the PTE: cr3 + page. */
  readonly address: number;
  readonly pte: number;
  readonly frame: number;
  readonly u: boolean;
  readonly w: boolean;
  readonly p: boolean;
  /** The line of the last `poke` of this cell at or before the step, if any (a bit toggled edits it). */
  readonly pokeLine: number | null;
}

export interface Toy6ProcessView {
  readonly name: string;
  readonly cr3: number;
  readonly entries: readonly Toy6EntryView[];
}

export interface Toy6FrameView {
  /** Names of the processes whose page table is this frame. */
  readonly tableOf: readonly string[];
  /** `A:0`: a process and page that map this frame (P set). */
  readonly mappedBy: readonly string[];
}

export interface Toy6WalkView {
  readonly process: string;
  readonly kind: Access['kind'];
  readonly privilege: Access['privilege'];
  readonly va: number;
  readonly page: number;
  readonly offset: number;
  readonly cr3: number;
  readonly pteAddress: number;
  readonly pte: number;
  readonly fault: FaultBit | null;
  readonly pa: number;
  /** `expect` performs no access; read and write do; `show` walks as a user read. */
  readonly statement: 'read' | 'write' | 'expect' | 'show';
}

export interface Toy6View {
  readonly cells: readonly number[];
  readonly frames: readonly Toy6FrameView[];
  readonly processes: readonly Toy6ProcessView[];
  /** Processes left out past MAX_VIEW_PROCESSES. */
  readonly moreProcesses: number;
  readonly walk: Toy6WalkView | null;
}

/** The view of the machine after statement `step` of a toy6 run. */
export function toy6View(run: Toy6Run, step: number): Toy6View {
  const machine = run.machineAfter(step);
  const memory = machine.memory;
  const pokes = new Map<number, number>();
  for (let i = 0; i <= step && i < run.statements.length; i++) {
    const s = run.statements[i];
    if (s?.kind === 'poke') pokes.set(s.pa, s.line);
  }
  const frames = Array.from({ length: CELLS / PAGE_CELLS }, () => ({ tableOf: [] as string[], mappedBy: [] as string[] }));
  const processes: Toy6ProcessView[] = [];
  for (const p of machine.processes.values()) {
    frames[p.cr3 >> 3]?.tableOf.push(p.name);
    const entries: Toy6EntryView[] = [];
    for (let page = 0; page < PAGES; page++) {
      const address = p.cr3 + page;
      const pte = memory[address] ?? 0;
      const entry = { address, pte, frame: pte >> 3, u: (pte & 4) !== 0, w: (pte & 2) !== 0, p: (pte & 1) !== 0, pokeLine: pokes.get(address) ?? null };
      if (entry.p) frames[entry.frame]?.mappedBy.push(`${p.name}:${page}`);
      entries.push(entry);
    }
    if (processes.length < MAX_VIEW_PROCESSES) processes.push({ name: p.name, cr3: p.cr3, entries });
  }
  return { cells: [...memory], frames, processes, moreProcesses: Math.max(0, machine.processes.size - MAX_VIEW_PROCESSES), walk: walkAt(run, step) };
}

/** The walk of the statement at `step`: its own for read, write and expect; a user read for `show pagetable P VA`. */
function walkAt(run: Toy6Run, step: number): Toy6WalkView | null {
  const s = run.statements[step];
  const record = run.steps[step];
  if (!s || !record) return null;
  let found = record.walk;
  if (!found && s.kind === 'show-pagetable' && s.va !== undefined) {
    const machine = run.machineAfter(step);
    const access: Access = { kind: 'read', privilege: 'user' };
    found = { process: s.process, access, walk: walkOf(machine.memory, machine.processes.get(s.process)?.cr3 ?? 0, s.va, access) };
  }
  if (!found) return null;
  const w = found.walk;
  const statement = s.kind === 'expect' ? 'expect' : s.kind === 'access' ? s.access.kind : 'show';
  return { process: found.process, kind: found.access.kind, privilege: found.access.privilege, va: w.va, page: w.page, offset: w.offset, cr3: w.cr3, pteAddress: w.pteAddress, pte: w.pte, fault: w.fault ?? null, pa: w.pa, statement };
}
