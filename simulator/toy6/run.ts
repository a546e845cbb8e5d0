// Runs a toy6 scenario: every statement's record (show output, fault notes, failed expects),
// and the machine after any statement on demand (replayed from a checkpoint).
import { hasErrors, type Diagnostic } from '../scenario/diagnostics';
import { walk, Toy6Machine, type Access, type Walk } from './machine';
import { parseToy6 } from './parser';
import { describeAccess, describeOutcome, faultNote, showPageTable, showPhysmem, showWalk } from './show';
import type { Toy6Statement } from './statements';

/** A note at a column of the statement's line (a fault: the kernel takes control, the run goes on). */
export interface Toy6Note {
  readonly column: number;
  readonly message: string;
}

/** What one statement did. */
export interface Toy6Step {
  readonly line: number;
  /** What a `show` printed. */
  output?: string;
  notes: Toy6Note[];
  /** `line N:COL: …` for each expect that did not hold. */
  failures: string[];
  /** The walk of a read, write or expect: what the panel shows for the line. */
  walk?: { process: string; access: Access; walk: Walk };
}

/** Statements between kept machines: replaying at most this many costs less than a copy each. */
const CHECKPOINT_EVERY = 64;

export class Toy6Run {
  private readonly checkpoints = new Map<number, Toy6Machine>();

  constructor(
    readonly statements: readonly Toy6Statement[],
    readonly steps: readonly Toy6Step[],
    checkpoints: Map<number, Toy6Machine>,
  ) {
    this.checkpoints = checkpoints;
  }

  /** The machine after statement `index` (-1: before the first). A fresh copy. */
  machineAfter(index: number): Toy6Machine {
    const target = Math.max(-1, Math.min(index, this.statements.length - 1));
    const from = Math.floor((target + 1) / CHECKPOINT_EVERY) * CHECKPOINT_EVERY - 1;
    const machine = (this.checkpoints.get(from) as Toy6Machine).clone();
    for (let i = from + 1; i <= target; i++) executeToy6(machine, this.statements[i] as Toy6Statement);
    return machine;
  }

  /** The index of the last statement at or before a 1-based source line (-1 if none). */
  indexAtLine(line: number): number {
    let low = 0;
    let high = this.statements.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.statements[mid] as Toy6Statement).line <= line) low = mid + 1;
      else high = mid;
    }
    return low - 1;
  }

  get failures(): string[] {
    return this.steps.flatMap((s) => s.failures);
  }
}

/** What an expect saw fail, or undefined when it held. */
function checkExpect(machine: Toy6Machine, s: Extract<Toy6Statement, { kind: 'expect' }>, w: Walk): string | undefined {
  const e = s.expectation;
  const got = w.fault === undefined ? (e.what === 'value' ? `value ${machine.memory[w.pa] ?? 0} at ${describeOutcome(w)}` : describeOutcome(w)) : describeOutcome(w);
  if (e.what === 'fault') return w.fault === e.bit ? undefined : `expected fault ${e.bit}, but the ${describeAccess(s.access)} gives ${got}`;
  if (w.fault !== undefined) return `expected ${e.what} ${e.n}, but the ${describeAccess(s.access)} gives ${got}`;
  const actual = e.what === 'pa' ? w.pa : (machine.memory[w.pa] ?? 0);
  return actual === e.n ? undefined : `expected ${e.what} ${e.n}, but the ${describeAccess(s.access)} gives ${got}`;
}

/** Runs one statement on the machine. */
export function executeToy6(machine: Toy6Machine, s: Toy6Statement): Toy6Step {
  const step: Toy6Step = { line: s.line, notes: [], failures: [] };
  const cr3Of = (name: string) => machine.processes.get(name)?.cr3 ?? 0;
  switch (s.kind) {
    case 'machine':
      break;
    case 'poke':
      machine.memory[s.pa] = s.value;
      break;
    case 'process':
      machine.processes.set(s.name, { name: s.name, cr3: s.cr3, line: s.line });
      break;
    case 'access': {
      const w = walk(machine.memory, cr3Of(s.process), s.va, s.access);
      step.walk = { process: s.process, access: s.access, walk: w };
      if (w.fault !== undefined) step.notes.push({ column: s.span.column, message: faultNote(s.process, w, s.access) });
      // A store into a page-table page changes the translations that follow: nothing is cached.
      else if (s.access.kind === 'write') machine.memory[w.pa] = s.value ?? 0;
      break;
    }
    case 'expect': {
      const w = walk(machine.memory, cr3Of(s.process), s.va, s.access);
      step.walk = { process: s.process, access: s.access, walk: w };
      const failure = checkExpect(machine, s, w);
      if (failure !== undefined) step.failures.push(`line ${s.line}:${s.span.column}: expect failed: ${s.text}: ${failure}`);
      break;
    }
    case 'show-pagetable': {
      const process = machine.processes.get(s.process);
      if (process) step.output = s.va === undefined ? showPageTable(machine, process) : showWalk(machine, process, s.va);
      break;
    }
    case 'show-physmem':
      step.output = showPhysmem(machine);
      break;
  }
  return step;
}

export type Toy6Outcome = { ok: true; run: Toy6Run; warnings: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

/** Parses and runs a toy6 scenario (its first statement is `set machine toy6`). */
export function runToy6(text: string): Toy6Outcome {
  const { statements, diagnostics } = parseToy6(text);
  if (hasErrors(diagnostics)) return { ok: false, diagnostics };
  const machine = new Toy6Machine();
  const checkpoints = new Map<number, Toy6Machine>([[-1, machine.clone()]]);
  const steps: Toy6Step[] = [];
  for (const [i, s] of statements.entries()) {
    steps.push(executeToy6(machine, s));
    if ((i + 1) % CHECKPOINT_EVERY === 0) checkpoints.set(i, machine.clone());
  }
  return { ok: true, run: new Toy6Run(statements, steps, checkpoints), warnings: diagnostics };
}
