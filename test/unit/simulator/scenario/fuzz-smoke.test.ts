// A short run of the scenario fuzzer (npm run fuzz runs 2,000 cases).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatFailure, SMOKE_HANG_MS } from '../../../fuzz/fuzz-cli';
import { runScenarioFuzz } from '../../../fuzz/fuzz-scenario';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

describe('scenario fuzz smoke test', () => {
  it('120 mutated scenarios: diagnostics inside the text, only ScenarioError, views that never throw, asx run exits 0/1/2, no hang, bounded memory', async () => {
    const summary = await runScenarioFuzz({ iterations: 120, seed: 0x5eed, timeoutMs: SMOKE_HANG_MS, root, writeCrashes: false });
    expect(summary.iterations).toBe(120);
    expect(summary.failures.map(formatFailure)).toEqual([]);
    // The mutator must leave some scenarios runnable and break others.
    expect(summary.outcomes.ran ?? 0).toBeGreaterThan(0);
    expect(summary.outcomes.diagnostics ?? 0).toBeGreaterThan(0);
  }, 120_000);
});
