// ScenarioRun's two ways to the state after a statement agree: stateAfter (a copy, cached) and
// withStateAfter (its own machine, moved forward in place), whatever order the steps are asked in.
import { describe, expect, it } from 'vitest';
import { renderSmaps } from '../../../../simulator/proc/smaps';
import type { ScenarioState } from '../../../../simulator/scenario/state';
import { runText } from '../inspect/run-scenario';

/** Every process's smaps and the free memory: what a state looks like from outside. */
const snapshot = (state: ScenarioState) => ({
  free: state.kernel.phys.freePages,
  smaps: [...state.kernel.tasks].map(([name, task]) => `${name}\n${renderSmaps(state.kernel, task)}`),
});

function scenario(statements: number): string {
  const lines = ['set swap 16M', 'P = exec hello/hello', 'A = mmap P 256K rw- private anon'];
  for (let i = 0; lines.length < statements; i++) {
    if (i % 40 === 20) lines.push(`C${i} = fork P`, `write C${i} A ${(i % 64) * 4}K 8K`, `exit C${i}`);
    else if (i % 50 === 49) lines.push(`madvise P A ${(i % 32) * 4}K 16K pageout`);
    else lines.push(`${i % 3 ? 'write' : 'read'} P A ${((i * 7) % 64) * 4}K 4K`);
  }
  return `${lines.join('\n')}\n`;
}

describe('ScenarioRun.withStateAfter', () => {
  it('gives the same state as stateAfter: line by line down and up, jumps, both ends', async () => {
    const run = await runText(scenario(300));
    const last = run.statements.length - 1;
    const down = Array.from({ length: 40 }, (_, i) => 100 + i);
    const order = [-1, 0, 1, 2, ...down, ...down.reverse(), 250, 251, 5, 6, last, last - 1, 7, 8];
    for (const step of order) {
      expect(run.withStateAfter(step, snapshot), `step ${step}`).toEqual(snapshot(run.stateAfter(step)));
    }
  });

  it('never changes a state that stateAfter handed out', async () => {
    const run = await runText(scenario(120));
    const kept = snapshot(run.stateAfter(60));
    for (let step = 60; step < 90; step++) run.withStateAfter(step, () => undefined);
    expect(snapshot(run.stateAfter(60))).toEqual(kept);
  });
});
