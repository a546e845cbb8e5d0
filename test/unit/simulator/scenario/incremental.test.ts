// An edited scenario run from the earlier run's checkpoints gives what a run from the start gives.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioFilesOnDisk } from '../../../../simulator/cli/node-file-access';
import { renderSmaps } from '../../../../simulator/proc/smaps';
import { runScenario, ScenarioCancelled, type ScenarioRun } from '../../../../simulator/scenario/run';
import type { ScenarioState } from '../../../../simulator/scenario/state';
import { EXAMPLES } from '../inspect/run-scenario';

const path = resolve(EXAMPLES, 'inline.aspace');
async function run(text: string, previous?: ScenarioRun): Promise<ScenarioRun> {
  const outcome = await runScenario(text, path, scenarioFilesOnDisk(path), { previous });
  if (!outcome.ok) throw new Error(outcome.diagnostics.map((d) => d.message).join('\n'));
  return outcome.run;
}

const snapshot = (state: ScenarioState) => ({
  free: state.kernel.phys.freePages,
  smaps: [...state.kernel.tasks].map(([name, task]) => `${name}\n${renderSmaps(state.kernel, task)}`),
});

function lines(count: number, edit?: (lines: string[]) => void): string {
  const out = ['set swap 16M', 'P = exec hello/hello'];
  for (let i = 0; out.length < count; i++) {
    out.push(`R${i % 7} = mmap P ${4 + (i % 5)}K rw- private anon`, `write P R${i % 7}`);
    if (i % 9 === 8) out.push(`Q${i} = fork P`, `write Q${i} R${i % 7}`, `exit Q${i}`);
  }
  edit?.(out);
  return `${out.join('\n')}\n`;
}

/** The records and some states of two runs, as they look from outside. */
function outside(r: ScenarioRun) {
  const steps = r.steps.map((s) => ({ line: s.line, notes: s.notes, failures: s.failures, output: s.output, faults: s.faults.toArray() }));
  const states = [-1, 0, 50, 151, 152, r.statements.length - 1].map((i) => snapshot(r.stateAfter(i)));
  return { steps, states };
}

describe('incremental re-runs', () => {
  it('a changed line runs again from the checkpoint before it, with the same result as a whole run', async () => {
    const before = await run(lines(300));
    const edit = (l: string[]) => {
      l[152] = 'munmap P R3';
      l.splice(200, 1, 'R9 = mmap P 12K rw- private anon', 'write P R9');
    };
    const resumed = await run(lines(300, edit), before);
    const whole = await run(lines(300, edit));
    expect(resumed.steps.slice(0, 152)).toEqual(before.steps.slice(0, 152));
    expect(resumed.steps[0]).toBe(before.steps[0]);
    expect(outside(resumed)).toEqual(outside(whole));
    // The earlier run is untouched: still what it was.
    expect(outside(before)).toEqual(outside(await run(lines(300))));
  });

  it('comments and blanks re-run nothing', async () => {
    const before = await run(lines(120));
    const after = await run(lines(120, (l) => (l[60] = `  ${l[60]!.replace(' ', '   ')}   # a comment`)), before);
    expect(after.steps).toBe(before.steps);
    expect(after.statements[60]!.column).toBe(before.statements[60]!.column + 2);
  });

  it('an edit to a statement that reads no file reads no file again; one that maps a file does', async () => {
    const before = await run(lines(120));
    const after = await run(lines(120, (l) => (l[60] = 'write P R2')), before);
    expect(after.preparation).toBe(before.preparation);
    const mapped = await run(lines(120, (l) => (l[60] = 'F = mmap P 4K r-- private file hello/hello')), before);
    expect(mapped.preparation).not.toBe(before.preparation);
    expect(outside(mapped)).toEqual(outside(await run(lines(120, (l) => (l[60] = 'F = mmap P 4K r-- private file hello/hello')))));
  });

  it('keystrokes in one statement, then new statements at the end: each run as a whole run, and the earlier runs stay valid', async () => {
    const versions = [
      lines(200, (l) => (l[120] = 'write P R3 0 4K')),
      lines(200, (l) => (l[120] = 'write P R3 0 4')),
      lines(200, (l) => (l[120] = 'write P R3 0 8K')),
      lines(200, (l) => (l[120] = 'read P R3 0 8K')),
      lines(200, (l) => l.splice(120, 1, 'read P R3 0 8K') && l.push('write P R2 4K')),
      lines(200, (l) => l.splice(120, 1, 'read P R3 0 8K') && l.push('write P R2 4K', 'munmap P R2')),
      lines(200, (l) => l.splice(120, 1, 'read P R3 0 8K') && l.push('write P R2 4K', 'munmap P R1')),
    ];
    const runs: ScenarioRun[] = [];
    for (const text of versions) {
      const resumed = await run(text, runs[runs.length - 1]);
      const whole = await run(text);
      // The state after the last statement first (the panel's, the run's own machine), then the others.
      expect(resumed.withStateAfter(resumed.statements.length - 1, snapshot)).toEqual(snapshot(whole.stateAfter(whole.statements.length - 1)));
      expect(outside(resumed)).toEqual(outside(whole));
      runs.push(resumed);
    }
    // Keystrokes in statement 120 resume right before it: from the state kept there, or from a checkpoint
    // there (checkpoints follow the time statements take, so a loaded machine may place one at 119).
    expect(runs.slice(1, 4).map((r) => r.edited?.at ?? [...r.checkpointsBefore(120).keys()].pop())).toEqual([119, 119, 119]);
    for (const [i, r] of runs.entries()) expect(outside(r)).toEqual(outside(await run(versions[i]!)));
  });

  it('a run cancelled by a newer edit leaves the earlier run as it was, to continue from', async () => {
    const before = await run(lines(300));
    // The earlier run's own machine is at its end; the edit after it hands it over to the cancelled run.
    before.withStateAfter(before.statements.length - 1, snapshot);
    const edited = lines(300, (l) => l.push('write P R4 0 4K', 'munmap P R4'));
    const fs = scenarioFilesOnDisk(path);
    await expect(runScenario(edited, path, fs, { previous: before, sliceMs: 0, isCancelled: () => true })).rejects.toBeInstanceOf(ScenarioCancelled);
    const newer = lines(300, (l) => l.push('write P R4 0 8K'));
    expect(outside(await run(newer, before))).toEqual(outside(await run(newer)));
    expect(outside(before)).toEqual(outside(await run(lines(300))));
  });
});
