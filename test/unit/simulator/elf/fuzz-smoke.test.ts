// A short run of the ELF fuzzer (npm run fuzz runs 10,000 cases).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatFailure, SMOKE_HANG_MS } from '../../../fuzz/fuzz-cli';
import { runFuzz } from '../../../fuzz/fuzz-elf';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

describe('ELF fuzz smoke test', () => {
  it('500 mutated fixtures: only ElfError/ExecError, well-formed messages, fast, bounded memory', async () => {
    const summary = await runFuzz({ iterations: 500, seed: 0x5eed, timeoutMs: SMOKE_HANG_MS, root, writeCrashes: false });
    expect(summary.iterations).toBe(500);
    expect(summary.failures.map(formatFailure)).toEqual([]);
    // The mutator must leave some files loadable and make others fail.
    expect(summary.accepted).toBeGreaterThan(0);
    expect(Object.keys(summary.rejected).length).toBeGreaterThan(0);
  }, 30_000);
});
