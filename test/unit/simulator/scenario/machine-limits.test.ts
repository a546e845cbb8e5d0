// Scenarios that asked the simulator for unbounded work or memory (found by the scenario fuzzer).
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../../simulator/scenario/parser';
import { ScenarioError } from '../../../../simulator/scenario/prepare';
import { runScenario } from '../../../../simulator/scenario/run';
import { STATIC, files, run } from '../../../support/static-run';

const errors = (text: string) => parseScenario(text, 's.aspace').diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);


describe('machine sizes', () => {
  it('refuses ram and swap beyond 64G (typed arrays of 2^52 entries) and ram below 1M', () => {
    expect(errors('set swap 0xffffffffffffffff')).toEqual([`swap size 0xffffffffffffffff is larger than the simulator's limit of 64G (2^24 pages)`]);
    expect(errors('set ram 0x7ffffffff000')).toEqual([`ram size 0x7ffffffff000 is larger than the simulator's limit of 64G (2^24 pages)`]);
    expect(errors('set ram 4K')).toEqual([`ram size 4K is too small: the simulated machine needs at least 1M`]);
    expect(errors('set ram 64G\nset swap 64G\nset swap 0')).toEqual([]);
  });

  it('an exec that runs out of memory is the OOM killer\'s, not a crash', async () => {
    const r = await run(`set ram 1M\nset overcommit 1\nP = exec ${STATIC}\nA = mmap P 2M rw- private anon\nwrite P A\nQ = exec ${STATIC}\nshow maps Q`);
    expect(r.steps.flatMap((s) => s.notes).some((n) => n.startsWith('Out of memory: Killed process'))).toBe(true);
  });
});

describe('huge mappings', () => {
  it('mprotect and madvise of a 128 TiB mapping walk only its page tables', async () => {
    const r = await run(`set overcommit 1\nP = exec ${STATIC}\nA = mmap P 0x7ff000000000 rw- private anon\nwrite P A 0 8K\nmprotect P A r--\nmadvise P A cold\nmadvise P A pageout\nmadvise P A willneed\nexpect P A Rss=8K`);
    expect(r.failures).toEqual([]);
  }, 20_000);

  it('an access of more than 2^18 pages cannot run, with its line and column', async () => {
    const error = await runScenario(`set overcommit 1\nP = exec ${STATIC}\nA = mmap P 4G rw- private anon\n  read P A`, 's.aspace', files).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioError);
    expect(error).toMatchObject({ line: 4, column: 3, message: 'read of 1048576 pages (A): the simulator makes at most 262144 page accesses (1G) in one statement' });
  });
});
