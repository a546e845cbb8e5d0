import type { Statement } from './ast';
import { hasErrors, type Diagnostic } from './diagnostics';
import { executeStatement } from './execute';
import type { StepRecord } from './step-record';
import { parseScenario } from './parser';
import { prepare, type Prepared, type ScenarioFiles } from './prepare';
import { newState, type ScenarioSettings, type ScenarioState } from './state';
import { firstChanged, samePreparation, statesBefore } from './incremental';
import { isToy6Scenario } from '../toy6/parser';
import { upperBoundBy } from '../mm/sorted';
import { runToy6, type Toy6Run } from '../toy6/run';
import { Slices, type SliceControl } from './run-slices';

export { ScenarioCancelled } from './run-slices';

/** Bytes of checkpoints kept per run (ScenarioState.approximateBytes). */
const CHECKPOINT_BUDGET = 96 << 20;
/** Statements between checkpoints at the least. */
const MIN_INTERVAL = 16;
/**
 * A checkpoint is taken once the statements since the last one took this many times as long as
 * copying the state did: copies cost at most a seventh of a run, whatever the state's size, and a
 * state is rebuilt in about seven copies' time (a copy, then at most six copies' worth of replay:
 * on the 10,000-statement bench scenario, where a warm copy takes 0.1-0.25 ms, 1-2 ms). With 2 (a
 * third of a run), a first run of that scenario spent a fifth of its time copying.
 * The factor doubles while the checkpoints exceed the budget.
 */
const WORK_PER_COPY = 6;
/**
 * States kept besides the checkpoints. Views of one step often ask for the step before it too
 * (what a statement changed), and the cursor moves back and forth: with one state kept, those
 * calls evict each other and each replays from a checkpoint, hundreds of statements away.
 */
const RECENT_STATES = 4;

/**
 * A scenario that has run: every statement's record, and the machine state
 * after any statement on demand. States are rebuilt from the nearest
 * checkpoint by replaying the statements after it, which is deterministic.
 */
export class ScenarioRun {
  private readonly checkpoints = new Map<number, ScenarioState>();
  /** The states handed out last: a step and its neighbours, asked for by the panel, hovers and code lenses in turn. */
  private readonly recent = new Map<number, ScenarioState>();
  /** A toy6 scenario's own run (`set machine toy6`); then there are no Linux statements. */
  toy6?: Toy6Run;
  /** withStateAfter's own machine, never handed out beyond a call: moved forward in place. */
  private head?: AtStep;
  private stepFailures?: string[];

  constructor(
    readonly statements: readonly Statement[],
    readonly steps: readonly StepRecord[],
    /** What prepare() read for these statements: the exec layouts, dlopen plans and mapped files. */
    readonly preparation: Prepared,
    initial: ScenarioState,
    checkpoints: Map<number, ScenarioState>,
    /** The run's own machine after its last statement (withStateAfter's, to begin with). */
    machine?: AtStep,
    /** As you type: the state before the statement edited last, where the next keystroke's run resumes. */
    readonly edited?: AtStep,
  ) {
    this.checkpoints = checkpoints;
    this.checkpoints.set(-1, initial);
    this.head = machine;
  }

  /**
   * Hands this run's own machine over to a run that continues from it (the next version's, as you type),
   * when it is after statement `from` and before `before`. This run then rebuilds its states from checkpoints.
   */
  takeMachine(from: number, before: number): AtStep | undefined {
    const head = this.head;
    if (!head || head.at < from || head.at >= before) return undefined;
    this.head = undefined;
    return head;
  }

  /** The state after statement `index` (-1: before the first). Do not mutate it. */
  stateAfter(index: number): ScenarioState {
    const target = Math.max(-1, Math.min(index, this.statements.length - 1));
    const hit = this.recent.get(target);
    if (hit) return this.keep(target, hit);
    // Replay from the nearest state at or before the target: a checkpoint or a recent state.
    let from = -1;
    let start = this.checkpoints.get(-1) as ScenarioState;
    for (const states of [this.checkpoints, this.recent]) {
      for (const [i, state] of states) if (i <= target && i > from) [from, start] = [i, state];
    }
    const state = start.clone();
    for (let i = from + 1; i <= target; i++) executeStatement(state, this.statements[i] as Statement, this.preparation);
    return this.keep(target, state);
  }

  /**
   * Runs `use` on the state after statement `index`. The state is valid only during the call: it may
   * be this run's own machine, which later calls move forward in place. So a cursor going down a
   * scenario line by line costs one statement per line instead of a copy of the whole machine.
   */
  withStateAfter<T>(index: number, use: (state: ScenarioState) => T): T {
    const target = Math.max(-1, Math.min(index, this.statements.length - 1));
    const kept = this.recent.get(target) ?? this.checkpoints.get(target);
    if (kept) return use(kept);
    const head = this.head;
    let from = -1;
    let start = this.checkpoints.get(-1) as ScenarioState;
    for (const [i, state] of this.checkpoints) if (i <= target && i > from) [from, start] = [i, state];
    // Forward from the machine, unless a checkpoint is nearer than it (then a copy of that is cheaper).
    if (!head || head.at > target || head.at < from) this.head = { at: from, state: start.clone() };
    const machine = this.head as { at: number; state: ScenarioState };
    for (let i = machine.at + 1; i <= target; i++) executeStatement(machine.state, this.statements[i] as Statement, this.preparation);
    machine.at = target;
    return use(machine.state);
  }

  /** The checkpoints before statement `index` (the initial state among them), for a run that changes from there. */
  checkpointsBefore(index: number): Map<number, ScenarioState> {
    return new Map([...this.checkpoints].filter(([i]) => i < index).sort((a, b) => a[0] - b[0]));
  }

  /** The same run for statements that differ only in spacing and comments (their spans moved). */
  withStatements(statements: readonly Statement[]): ScenarioRun {
    return new ScenarioRun(statements, this.steps, this.preparation, this.checkpoints.get(-1) as ScenarioState, new Map(this.checkpoints), this.takeMachine(-1, this.statements.length), this.edited);
  }

  /** Keeps a state among the recent ones (most recent last), dropping the oldest past RECENT_STATES. */
  private keep(index: number, state: ScenarioState): ScenarioState {
    this.recent.delete(index);
    this.recent.set(index, state);
    if (this.recent.size > RECENT_STATES) this.recent.delete(this.recent.keys().next().value as number);
    return state;
  }

  /**
   * Visits the states after the given statements (ascending) with one private copy of the
   * machine run forward, instead of a clone per state. `visit` must not keep or mutate the state.
   */
  visitStates(indices: readonly number[], visit: (index: number, state: ScenarioState) => void): void {
    if (indices.length === 0) return;
    let at = indices[0]! - 1;
    const state = this.stateAfter(at).clone();
    for (const index of indices) {
      for (at++; at <= index; at++) executeStatement(state, this.statements[at] as Statement, this.preparation);
      at = index;
      visit(index, state);
    }
  }

  /** Statement `index` run again on the state before it: the same record, for checks and hovers. */
  replayStep(index: number): StepRecord {
    const state = this.stateAfter(index - 1).clone();
    return executeStatement(state, this.statements[index] as Statement, this.preparation);
  }

  /** The index of the last statement at or before a 1-based source line (-1 if none). */
  indexAtLine(line: number): number {
    // Statements are in source order: the first one past the line, minus one.
    return upperBoundBy(this.statements, line, (s) => s.line) - 1;
  }

  /** Every failed expectation, in line order (the steps' are final once the run is made: kept after the first call). */
  get failures(): string[] {
    if (this.toy6) return this.toy6.failures;
    return (this.stepFailures ??= this.steps.flatMap((s) => s.failures));
  }
}

/** A machine state after a statement. */
export interface AtStep {
  readonly at: number;
  readonly state: ScenarioState;
}

export type RunOutcome = { ok: true; run: ScenarioRun } | { ok: false; diagnostics: readonly Diagnostic[] };

/** How a run reports progress and is cancelled, and what it starts from. */
export interface RunControl extends SliceControl {
  /** The host machine's defaults, before any `set` statement: its CPU's protection keys and ISA level and legacy hwcaps (machineFromCpuinfo). */
  host?: Partial<ScenarioSettings>;
  /**
   * The run of an earlier version of the text, with the same host and files: statements before the
   * first changed one keep its records, and the run continues from its last checkpoint before it.
   */
  previous?: ScenarioRun;
}

/**
 * Where a run of `statements` continues from an earlier run whose statements before `changed` are the same:
 * the last state before `changed` among its checkpoints, its state before the statement edited last and
 * its own machine. States come with their region names cut back to before the change (statesBefore).
 * `state` is the new run's to move forward; `edited` is kept when it is right before `changed`.
 */
function resumeFrom(previous: ScenarioRun, changed: number, statements: readonly Statement[]) {
  const checkpoints = previous.checkpointsBefore(changed);
  const last = Math.max(...checkpoints.keys());
  const edited = previous.edited && previous.edited.at < changed && previous.edited.at > last ? previous.edited : undefined;
  const machine = previous.takeMachine((edited?.at ?? last) + 1, changed);
  const from = machine ?? edited;
  const states = statesBefore(from ? new Map([...checkpoints, [from.at, from.state]]) : checkpoints, (statements[changed] ?? previous.statements[changed])?.line ?? Infinity);
  const at = from?.at ?? last;
  const start = states.get(at) as ScenarioState;
  if (from) states.delete(at);
  return {
    checkpoints: states,
    at,
    // The machine was handed over: it is moved in place. Any other state is copied first.
    state: machine ? start : start.clone(),
    edited: !machine && edited && edited.at === changed - 1 ? { at, state: start } : undefined,
  };
}

/** Parses, prepares (loads the programs and files) and runs a scenario, recording every step. */
export async function runScenario(text: string, fileName: string, files: ScenarioFiles, control: RunControl = {}): Promise<RunOutcome> {
  const { statements, diagnostics } = parseScenario(text, fileName);
  if (hasErrors(diagnostics)) return { ok: false, diagnostics };
  const previous = control.previous && !control.previous.toy6 && !isToy6Scenario(text) ? control.previous : undefined;
  const changed = previous ? firstChanged(previous.statements, statements) : 0;
  if (previous && changed === statements.length && changed === previous.statements.length) return { ok: true, run: previous.withStatements(statements) };
  // As you type, the files read for the earlier version serve again when the edit is not to a statement that reads them.
  const prepared = previous && changed > 0 && samePreparation(previous.statements, statements, changed) ? previous.preparation : await prepare(statements, files, control.host);
  // Resuming: the earlier run's states before the change (its checkpoints, the state before the statement
  // edited last, its own machine), and the statements from the last of them run again.
  const resumed = previous && changed > 0 ? resumeFrom(previous, changed, statements) : undefined;
  const reused = resumed?.checkpoints;
  const resumeAt = resumed ? resumed.at : -1;
  const state = resumed ? resumed.state : newState(prepared.initialSettings);
  const initial = reused ? (reused.get(-1) as ScenarioState) : state.clone();
  const checkpoints = new Map<number, ScenarioState>(reused ? [...reused].filter(([i]) => i >= 0) : []);
  const checkpointBytes = new Map<number, number>();
  let factor = WORK_PER_COPY;
  let bytes = 0;
  let last = resumeAt;
  let copyMs = 0;
  let workMs = 0;
  const checkpoint = (i: number) => {
    const t0 = performance.now();
    const copy = state.clone();
    copyMs = performance.now() - t0;
    const size = copy.approximateBytes();
    checkpoints.set(i, copy);
    checkpointBytes.set(i, size);
    bytes += size;
    // Over the budget: keep every other checkpoint, and take them half as often from now on.
    while (bytes > CHECKPOINT_BUDGET && checkpoints.size > 1) {
      factor *= 2;
      let keep = false;
      for (const [j, size] of [...checkpointBytes].reverse()) {
        keep = !keep;
        if (keep) continue;
        checkpoints.delete(j);
        checkpointBytes.delete(j);
        bytes -= size;
      }
    }
  };
  const steps: StepRecord[] = previous && reused ? previous.steps.slice(0, changed) : [];
  for (let i = resumeAt + 1; i < changed && reused; i++) executeStatement(state, statements[i] as Statement, prepared);
  // The next keystroke is likely in the same statement: its run resumes right before it.
  const edited = !resumed || changed >= statements.length || reused?.has(changed - 1) ? undefined : (resumed.edited ?? { at: changed - 1, state: state.clone() });
  const slices = new Slices(control, statements.length);
  // The work since the last checkpoint is timed from `since`, read again after a checkpoint and after
  // each pause, so that only the statements count; no clock is read per statement before MIN_INTERVAL
  // of them (performance.now() costs a microsecond in Node 20, a twentieth of a plain statement).
  let since = performance.now();
  for (let i = steps.length; i < statements.length; i++) {
    const s = statements[i] as Statement;
    steps.push(executeStatement(state, s, prepared));
    if (i - last >= MIN_INTERVAL) {
      const now = performance.now();
      workMs += now - since;
      since = now;
      if (workMs >= factor * copyMs) {
        checkpoint(i);
        last = i;
        workMs = 0;
        since = performance.now();
      }
    }
    if (slices.due()) {
      workMs += performance.now() - since;
      await slices.pause(i + 1);
      since = performance.now();
    }
  }
  slices.finish();
  const run = new ScenarioRun(statements, steps, prepared, initial, checkpoints, { at: statements.length - 1, state }, edited);
  if (isToy6Scenario(text)) {
    const toy6 = runToy6(text);
    if (toy6.ok) run.toy6 = toy6.run;
  }
  return { ok: true, run };
}
