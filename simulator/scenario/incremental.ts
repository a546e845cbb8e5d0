// Incremental re-runs: an edited scenario continues from the last checkpoint before its first
// changed statement, reusing the earlier run's records and states for the statements before it.
import type { Statement } from './ast';
import { RegionHistory } from './region-history';
import { RegionNames, ScenarioState } from './state';

/** A statement's words, however they are spaced: what the parser sees. */
const words = (s: Statement) => s.text.split(/\s+/).join(' ');

/** The same words on the same line; a statement the parser kept from the earlier version is the same object. */
const same = (a: Statement, b: Statement) => a === b || (a.line === b.line && words(a) === words(b));

/** Whether two lists of statements are the same statement for statement (by `equal`). */
const sameList = (a: readonly Statement[], b: readonly Statement[], equal = same) => a.length === b.length && a.every((s, i) => equal(s, b[i]!));

/**
 * The index of the first statement whose run may differ from the earlier run's: the first one
 * that is not the same words on the same line. Comments and blanks change nothing; a line added
 * or removed above a statement moves it (its records carry its line), so it runs again.
 * `set pkeys` is read before the run (the CPU's), so a change to any of them changes everything.
 */
export function firstChanged(before: readonly Statement[], after: readonly Statement[]): number {
  let i = 0;
  while (i < before.length && i < after.length && same(before[i]!, after[i]!)) i++;
  // The statements before i are the same words: only those from i on can make the `set pkeys` differ.
  const pkeys = (list: readonly Statement[]) => list.slice(i).filter((s) => s.kind === 'set' && s.setting === 'pkeys');
  if (!sameList(pkeys(before), pkeys(after), (a, b) => a === b || words(a) === words(b))) return 0;
  // The machine (RAM, swap) is fixed by the settings before the first exec: a change there changes it.
  const firstExec = after.findIndex((s) => s.kind === 'exec');
  return firstExec >= 0 && i <= firstExec ? 0 : i;
}

/** Statements prepare() does not read: it reads the settings, and opens the files of exec, dlopen and file mmaps. */
const NOT_PREPARED: ReadonlySet<Statement['kind']> = new Set(['access', 'brk', 'exit', 'expect', 'madvise', 'mlock', 'munlock', 'mprotect', 'mremap', 'msync', 'munmap', 'reclaim', 'show'] as Statement['kind'][]);

const preparedPart = (list: readonly Statement[]) => list.filter((s) => !NOT_PREPARED.has(s.kind) && !(s.kind === 'mmap' && s.backing.kind !== 'file'));

/**
 * Whether two versions of a scenario prepare the same way (same files on the same lines): an edit as
 * you type then reads no file again. Their statements before `from` are the same (firstChanged).
 */
export function samePreparation(before: readonly Statement[], after: readonly Statement[], from = 0): boolean {
  return sameList(preparedPart(before.slice(from)), preparedPart(after.slice(from)));
}

/**
 * An earlier run's states, to continue from: each with region names that know only the lines
 * before `line` (the first changed statement's), in one history the new run writes to. The
 * earlier run's own history is left as it was, so it stays valid if the new run is cancelled.
 */
export function statesBefore(states: ReadonlyMap<number, ScenarioState>, line: number): Map<number, ScenarioState> {
  const first = states.values().next().value as ScenarioState | undefined;
  const history = first ? first.regions.historyBefore(line) : new RegionHistory();
  const out = new Map<number, ScenarioState>();
  for (const [i, s] of states) {
    const state = new ScenarioState(s.kernel, new RegionNames(history, s.regions.asOf), s.settings, s.execCount);
    state.lastCall = s.lastCall;
    out.set(i, state);
  }
  return out;
}
