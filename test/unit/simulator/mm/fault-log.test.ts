// The compact fault log gives back exactly the records it was given.
import { describe, expect, it } from 'vitest';
import type { FaultOutcome } from '../../../../simulator/mm/fault';
import { FaultLog, type StepFault } from '../../../../simulator/mm/fault-log';

const anon: FaultOutcome = { kind: 'anonymous', mapped: 1, explanation: 'a new page' };
const zero: FaultOutcome = { kind: 'zero-page', mapped: 1, explanation: 'the zero page' };
const segv: FaultOutcome = { kind: 'sigsegv', mapped: 0, signal: { signal: 'SIGSEGV', code: 'SEGV_MAPERR' }, explanation: 'no VMA' };

describe('FaultLog', () => {
  it('keeps runs of consecutive pages as one and rebuilds every record', () => {
    const log = new FaultLog();
    const given: StepFault[] = [];
    const add = (address: number | bigint, outcome: FaultOutcome, errorCode: number, process?: string) => {
      log.add(address, 'write', errorCode, outcome, process);
      given.push({ address: BigInt(address), access: 'write', kind: outcome.kind, errorCode, mapped: outcome.mapped, ...(outcome.signal ? { signal: outcome.signal } : {}), explanation: outcome.explanation, ...(process ? { process } : {}) });
    };
    add(0x7000_0123, anon, 6, 'P'); // an unaligned first address starts a run
    for (let page = 1; page < 5; page++) add(0x7000_0000 + page * 4096, anon, 6, 'P');
    add(0x7000_5000, zero, 4, 'P');
    add(0x7000_6000, zero, 4, 'Q');
    add(0xffff_ffff_ff60_0000n, segv, 5, 'Q');
    add(0x9000_0000, segv, 4);
    expect(log.length).toBe(given.length);
    expect(log.toArray()).toEqual(given);
    expect(log.at(given.length)).toBeUndefined();
    expect(log.countKind('anonymous')).toBe(5);
    expect(log.deadly()?.address).toBe(0xffff_ffff_ff60_0000n);
    expect(log.faultedPage('P', 0x70004)).toBe(true);
    expect(log.faultedPage('Q', 0x70004)).toBe(false);
  });

  it('keeps a kernel address that is the first fault of its log exactly', () => {
    const log = new FaultLog();
    log.add(0xffff_ffff_ff60_0000n, 'read', 5, segv, 'P');
    log.add(0x9000_0000, 'read', 4, segv, 'P');
    expect(log.toArray().map((f) => f.address)).toEqual([0xffff_ffff_ff60_0000n, 0x9000_0000n]);
  });
});
