// `expect R failed ERRNO` and `expect failed ERRNO` (version 1 additions): a call the kernel refused.
import type { ExpectFailedStatement } from './ast';
import { callOf } from './events';
import type { LastCall, ScenarioState } from './state';

/** What `expect failed` checks of the last call: which call, and if it failed its errno, or why it did not run. */
function describeCall({ statement: s, step }: LastCall): { line: number; call: string; errno?: string; reason?: string; skipped?: string } {
  const failed = step.events?.find((e) => e.kind === 'syscall-failed');
  if (failed) return { line: s.line, call: failed.call ?? callOf(s), errno: failed.errno, reason: failed.message.slice(`${failed.call} failed with ${failed.errno}: `.length) };
  const skipped = step.events?.find((e) => e.kind === 'skipped')?.message;
  return { line: s.line, call: callOf(s), skipped };
}

/** The failures of an `expect … failed` statement (empty when it holds), in `expect`'s style. */
export function checkExpectFailed(state: ScenarioState, s: ExpectFailedStatement): string[] {
  const want = `to fail with ${s.errno}`;
  if (s.region) {
    const name = s.region.name;
    const region = state.regions.get(name);
    if (!region) return [`line ${s.line}: expected the mmap of ${name} ${want}, but no mmap named ${name} has run`];
    if (!region.failed) return [`line ${s.line}: expected the mmap of ${name} (line ${region.line}) ${want}, but it succeeded at 0x${region.start.toString(16)}`];
    if (region.failed.errno !== s.errno) return [`line ${s.line}: expected the mmap of ${name} (line ${region.line}) ${want}, but it failed with ${region.failed.errno}: ${region.failed.reason}`];
    return [];
  }
  const call = state.lastCall && describeCall(state.lastCall);
  if (!call) return [`line ${s.line}: expected the statement before ${want}, but no statement before it made a call`];
  const what = `the ${call.call} at line ${call.line}`;
  if (call.skipped) return [`line ${s.line}: expected ${what} ${want}, but it did not run (${call.skipped})`];
  if (!call.errno) return [`line ${s.line}: expected ${what} ${want}, but it succeeded`];
  if (call.errno !== s.errno) return [`line ${s.line}: expected ${what} ${want}, but it failed with ${call.errno} (${call.reason ?? ''})`];
  return [];
}
