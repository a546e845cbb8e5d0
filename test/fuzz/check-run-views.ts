// Asks a finished scenario run for states and view models as the scenario panel and the editor
// do (RunViews, stateAfter, replayStep, stepDelta, translateAddress), for random steps and every
// process and region there; every answer must also pass the panel's own checks of it.
import { RunViews } from '../../extension/scenario-panel/panel-views';
import { stepDelta, translateAddress } from '../../simulator/inspect';
import type { ScenarioRun } from '../../simulator/scenario/run';
import { SCENARIO_METHODS } from '../../webview/scenario/protocol';
import type { Rng } from './mutations';

const MODES = ['x86-64', 'i386', 'toy6'] as const;
/** Steps, processes and regions looked at per run: enough to reach every view, bounded per case. */
const STEPS = 3;
const PROCESSES = 3;
const REGIONS = 6;

/** Calls one view; its result must pass the webview's check of that method's result. */
function ask<M extends keyof typeof SCENARIO_METHODS.results>(views: RunViews, method: M & Parameters<RunViews['answer']>[0], params: Parameters<RunViews['answer']>[1]): unknown {
  const result = views.answer(method, params as never);
  SCENARIO_METHODS.results[method](result);
  return result;
}

function someIndices(rng: Rng, count: number, take: number): number[] {
  if (count <= take) return Array.from({ length: count }, (_, i) => i);
  return Array.from({ length: take }, () => rng.below(count));
}

/** Throws the first error a view or a state query raises. */
export function checkRunViews(rng: Rng, run: ScenarioRun): void {
  const last = run.statements.length - 1;
  const views = new RunViews(1, run);
  const steps = [-1, last, ...Array.from({ length: STEPS }, () => rng.range(-1, last + 1))];
  for (const step of steps) {
    run.stateAfter(rng.range(-1, last + 1));
    if (step >= 0) {
      run.replayStep(step);
      stepDelta(run, step);
    }
    const at = { run: 1, step };
    const processes = views.processes(step);
    for (const p of someIndices(rng, processes.length, PROCESSES).map((i) => processes[i]!)) {
      const { rows } = ask(views, 'regions', { ...at, process: p.name }) as { rows: { start: string; end: string }[] };
      for (const region of [...someIndices(rng, rows.length, REGIONS), rows.length]) {
        ask(views, 'smaps', { ...at, process: p.name, region });
        ask(views, 'pages', { ...at, process: p.name, region });
        const row = rows[region];
        if (!row) continue;
        const start = BigInt(row.start);
        const end = BigInt(row.end);
        for (const address of [start, end - 1n, start + (end - start) / 2n]) {
          ask(views, 'page', { ...at, process: p.name, address: `0x${address.toString(16)}` });
          ask(views, 'walk', { ...at, process: p.name, address: `0x${address.toString(16)}`, mode: rng.pick(MODES) });
          run.withStateAfter(step, (state) => translateAddress(state, address, rng.chance(0.5) ? p.name : undefined));
        }
      }
    }
    const physical = ask(views, 'physical', at) as { frames: number };
    for (const pfn of [0, 1, rng.below(physical.frames + 1), physical.frames, physical.frames + 7]) ask(views, 'frame', { ...at, pfn });
    ask(views, 'lru', at);
    ask(views, 'faults', { ...at, all: rng.chance(0.5) });
  }
  ask(views, 'timeline', { run: 1 });
}
