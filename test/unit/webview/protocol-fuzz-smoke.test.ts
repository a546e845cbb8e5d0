// A short run of the protocol fuzzer (npm run fuzz runs 100,000 cases).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatFailure, SMOKE_HANG_MS } from '../../fuzz/fuzz-cli';
import { runProtocolFuzz } from '../../fuzz/fuzz-protocol';

const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('protocol fuzz smoke test', () => {
  it('1000 damaged messages: a message of the declared types or a ProtocolError, never a TypeError, fast', async () => {
    const summary = await runProtocolFuzz({ iterations: 1000, seed: 0x5eed, timeoutMs: SMOKE_HANG_MS, root });
    expect(summary.iterations).toBe(1000);
    expect(summary.failures.map(formatFailure)).toEqual([]);
    expect(summary.accepted).toBeGreaterThan(0);
    expect(summary.refused).toBeGreaterThan(0);
  }, 60_000);
});
