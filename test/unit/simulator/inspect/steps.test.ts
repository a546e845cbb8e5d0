// What the run records per statement: the timeline, faults, step deltas.
import { describe, expect, it } from 'vitest';
import { faultsOf, stepDelta, timeline } from '../../../../simulator/inspect';
import { timelineSamples } from '../../../../simulator/inspect/timeline';
import { renderRollup, renderStatus } from '../../../../simulator/proc/status';
import { runExample, stepOf } from './run-scenario';

const field = (text: string, label: string) => Number(new RegExp(`^${label}:\\s+(\\d+) kB$`, 'm').exec(text)?.[1]);

describe('timeline', () => {
  for (const example of ['02-fork-cow.aspace', '05-swap-fork.aspace', '06-reclaim-lru.aspace']) {
    it(`${example}: every value equals status (VmRSS, VmSwap) and smaps_rollup (Pss)`, async () => {
      const run = await runExample(example);
      const view = timeline(run);
      expect(view.lines).toEqual(run.steps.map((s) => s.line));
      for (const [i] of run.steps.entries()) {
        const state = run.stateAfter(i);
        for (const p of view.processes) {
          const task = state.kernel.tasks.get(p.name);
          const live = task && !task.exited && !task.death;
          const status = live ? renderStatus(task) : '';
          expect([p.rssKb[i], p.pssKb[i], p.swapKb[i]], `${p.name} line ${view.lines[i]}`).toEqual(live ? [field(status, 'VmRSS'), field(renderRollup(state.kernel, task), 'Pss'), field(status, 'VmSwap')] : [0, 0, 0]);
        }
      }
    });
  }

  it('samples long runs evenly, always ending with the last statement', () => {
    expect(timelineSamples(5, 1000)).toEqual([0, 1, 2, 3, 4]);
    const samples = timelineSamples(10_000, 1000);
    expect(samples).toHaveLength(1001);
    expect(samples.slice(0, 3)).toEqual([0, 10, 20]);
    expect(samples.at(-1)).toBe(9999);
  });
});

describe('faults', () => {
  it('lists every fault with its process, error code and explanation', async () => {
    const run = await runExample('01-demand-paging.aspace');
    const read = faultsOf(run, stepOf(run, 'read P A'));
    expect(read).toHaveLength(16);
    expect(read[0]).toMatchObject({ process: 'P', access: 'read', kind: 'zero-page', errorCode: '0x4 (USER)', pagesMapped: 1 });
    expect(read[0]!.siCode).toBeUndefined();
    const write = faultsOf(run, stepOf(run, 'write P A 0 16K'));
    expect(write.map((f) => [f.kind, f.errorCode])).toEqual(Array(4).fill(['cow', '0x7 (PROT|WRITE|USER)']));
    // exec's own writes (the stack, .data, .bss) are faults of P too.
    const exec = stepOf(run, 'P = exec');
    expect(faultsOf(run).length).toBe(faultsOf(run, exec).length + 16 + 4);
    expect(faultsOf(run, exec).every((f) => f.process === 'P' && f.line === run.steps[exec]!.line)).toBe(true);
  });

  it('gives the signal of a fatal fault', async () => {
    const run = await runExample('07-mprotect-faults.aspace');
    const fatal = faultsOf(run).filter((f) => f.siCode);
    expect(fatal.map((f) => [f.process, f.errorCode, f.siCode])).toEqual([
      ['P', '0x7 (PROT|WRITE|USER)', 'SEGV_ACCERR'],
      ['Q', '0x15 (PROT|USER|INSTR)', 'SEGV_ACCERR'],
      ['R', '0x5 (PROT|USER)', 'SEGV_MAPERR'],
      ['S', '0x4 (USER)', 'SEGV_ACCERR'],
    ]);
  });
});

describe('step delta', () => {
  it('summarizes one process', async () => {
    const run = await runExample('01-demand-paging.aspace');
    expect(stepDelta(run, stepOf(run, 'write P A 0 16K'))).toMatchObject({ summary: 'Rss +16 kB, Pss +16 kB, 4 faults, 0 from the zero page', faults: 4, zeroPageFaults: 0, processes: [{ name: 'P', rssKb: 16, pssKb: 16, swapKb: 0 }] });
    expect(stepDelta(run, stepOf(run, 'read P A')).summary).toBe('16 faults, 16 from the zero page');
    expect(stepDelta(run, stepOf(run, 'show smaps P A')).summary).toBe('no change');
  });

  it('summarizes several processes, swap and failures', async () => {
    const run = await runExample('05-swap-fork.aspace');
    expect(stepDelta(run, stepOf(run, 'madvise P A pageout')).summary).toBe('Rss −32 kB, Pss −32 kB, Swap +32 kB');
    const swapIn = stepDelta(run, stepOf(run, 'read Q A'));
    expect(swapIn.summary).toBe('Q: Rss +4 kB, Pss +4 kB, Swap −4 kB; 1 fault, 0 from the zero page');
    expect(swapIn.processes).toEqual([{ name: 'P', rssKb: 0, pssKb: 0, swapKb: 0 }, { name: 'Q', rssKb: 4, pssKb: 4, swapKb: -4 }]);
    const setSwap = stepOf(run, 'set swap');
    expect(stepDelta(run, setSwap).line).toBe(run.steps[setSwap]!.line);
  });
});
