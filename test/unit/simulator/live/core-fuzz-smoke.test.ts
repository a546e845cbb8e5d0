// A short run of the core fuzzer (npm run fuzz runs 3,000 cases).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatFailure, SMOKE_HANG_MS } from '../../../fuzz/fuzz-cli';
import { runCoreFuzz } from '../../../fuzz/fuzz-core';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

describe('core fuzz smoke test', () => {
  it('300 mutated fixture cores: only ElfErrors and one-line warnings, sorted regions, bounded time and memory', async () => {
    const summary = await runCoreFuzz({ iterations: 300, seed: 0xc0de, timeoutMs: SMOKE_HANG_MS, root, writeCrashes: false });
    expect(summary.iterations).toBe(300);
    expect(summary.failures.map(formatFailure)).toEqual([]);
    expect(summary.read).toBeGreaterThan(0);
    expect(summary.read).toBeLessThan(300);
  }, 30_000);
});
