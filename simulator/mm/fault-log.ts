import type { Access, FaultOutcome, FaultRecord } from './fault';

/** A fault with the process that took it. */
export interface StepFault extends FaultRecord {
  readonly process?: string;
}

const ACCESSES: readonly Access[] = ['read', 'write', 'exec'];
const NO_PROCESS = 0xffff;
/** Outcomes looked up by a linear search up to this many; a log with more keeps a map of them. */
const OUTCOMES_SEARCHED = 16;

/** The fields of a run, in order, in one array of doubles (every one of them fits a double exactly). */
const START = 0;
const FIRST = 1;
const COUNT = 2;
const OUTCOME = 3;
const CODE = 4;
const PROCESS = 5;
const STRIDE = 6;

/**
 * The faults of one statement, stored compactly: runs of faults on consecutive pages with the
 * same access, error code, process and outcome (kind, pages mapped, signal, explanation), each run
 * six numbers in one array of doubles (smaller than typed arrays for the few runs most statements
 * have). Outcomes are shared: the hot paths of handle_mm_fault return constant ones, so a gigabyte written page by page is one run and allocates no object per fault.
 * A statement with no fault has no log (its step shares an empty one), and one with a few faults one small array.
 * A StepFault object is built only when someone looks (at, iteration, the Faults tab).
 */
export class FaultLog {
  private n = 0;
  /**
   * Per run, STRIDE numbers: the first fault's address (user addresses are below 2^47) and index,
   * the count, the outcome's index, access index (2 bits) | errorCode << 2, and the process's index.
   */
  private data: number[] = [];
  private outcomes: FaultOutcome[] = [];
  private outcomeIds?: Map<FaultOutcome, number>;
  private processes: string[] = [];
  /** Addresses that a number cannot hold exactly (kernel and non-canonical ones), by run (of one fault). */
  private bigAddresses?: Map<number, bigint>;

  get length(): number {
    return this.n;
  }

  /** Records one fault; `outcome` is kept by reference (constant outcomes are stored once). */
  add(address: number | bigint, access: Access, errorCode: number, outcome: FaultOutcome, process: string | undefined): void {
    const id = this.outcomeIndex(outcome);
    const code = ACCESSES.indexOf(access) | (errorCode << 2);
    const p = this.processIndex(process);
    const big = typeof address === 'bigint' && address > BigInt(Number.MAX_SAFE_INTEGER);
    const at = typeof address === 'bigint' ? (big ? 0 : Number(address)) : address;
    const d = this.data;
    const r = d.length - STRIDE;
    this.n++;
    // The next page of the last run, with the same outcome: the run grows by one.
    if (r >= 0 && !big && !this.bigAddresses?.has(r / STRIDE) && at % 4096 === 0 && at === (Math.floor(d[r + START]! / 4096) + d[r + COUNT]!) * 4096 && d[r + OUTCOME] === id && d[r + CODE] === code && d[r + PROCESS] === p) {
      d[r + COUNT]!++;
      return;
    }
    // In field order: START, FIRST, COUNT, OUTCOME, CODE, PROCESS.
    if (r < 0) this.data = [at, this.n - 1, 1, id, code, p];
    else d.push(at, this.n - 1, 1, id, code, p);
    if (big) (this.bigAddresses ??= new Map()).set(this.data.length / STRIDE - 1, address as bigint);
  }

  /** Records `count` faults on the consecutive pages from vpn on, resolved alike: what as many add calls record. */
  addPages(vpn: number, count: number, access: Access, errorCode: number, outcome: FaultOutcome, process: string | undefined): void {
    this.add(vpn * 4096, access, errorCode, outcome, process);
    if (count <= 1) return;
    // The first joined or began the last run; the others continue it.
    this.data[this.data.length - STRIDE + COUNT]! += count - 1;
    this.n += count - 1;
  }

  /** Records a full record (rare paths: the loader's writes, signals). */
  push(fault: StepFault): void {
    this.add(fault.address, fault.access, fault.errorCode, { kind: fault.kind, mapped: fault.mapped, signal: fault.signal, explanation: fault.explanation }, fault.process);
  }

  at(i: number): StepFault | undefined {
    if (!Number.isInteger(i) || i < 0 || i >= this.n) return undefined;
    // The run holding fault i: the last whose first index is at or below i.
    const d = this.data;
    let lo = 0;
    let hi = d.length / STRIDE - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (d[mid * STRIDE + FIRST]! <= i) lo = mid;
      else hi = mid - 1;
    }
    const r = lo * STRIDE;
    const j = i - d[r + FIRST]!;
    const o = this.outcomes[d[r + OUTCOME]!]!;
    const code = d[r + CODE]!;
    const p = d[r + PROCESS]!;
    const start = d[r + START]!;
    return {
      address: this.bigAddresses?.get(lo) ?? BigInt(j === 0 ? start : (Math.floor(start / 4096) + j) * 4096),
      access: ACCESSES[code & 3]!,
      kind: o.kind,
      errorCode: code >> 2,
      mapped: o.mapped,
      ...(o.signal ? { signal: o.signal } : {}),
      explanation: o.explanation,
      ...(p === NO_PROCESS ? {} : { process: this.processes[p] }),
    };
  }

  /** How many faults were of this kind (no record is built). */
  countKind(kind: FaultRecord['kind']): number {
    let count = 0;
    for (let r = 0; r < this.data.length; r += STRIDE) if (this.outcomes[this.data[r + OUTCOME]!]!.kind === kind) count += this.data[r + COUNT]!;
    return count;
  }

  /** The first fault that delivered a signal, if any. */
  deadly(): StepFault | undefined {
    for (let r = 0; r < this.data.length; r += STRIDE) if (this.outcomes[this.data[r + OUTCOME]!]!.signal) return this.at(this.data[r + FIRST]!);
    return undefined;
  }

  /** Whether `process` took a fault (not a hit) on the page `vpn`. */
  faultedPage(process: string, vpn: number): boolean {
    const p = this.processes.indexOf(process);
    if (p < 0) return false;
    const d = this.data;
    for (let o = 0; o < d.length; o += STRIDE) {
      if (d[o + PROCESS] !== p || this.outcomes[d[o + OUTCOME]!]!.kind === 'hit') continue;
      const big = this.bigAddresses?.get(o / STRIDE);
      const firstVpn = big === undefined ? Math.floor(d[o + START]! / 4096) : Number(big >> 12n);
      if (vpn >= firstVpn && vpn < firstVpn + d[o + COUNT]!) return true;
    }
    return false;
  }

  *[Symbol.iterator](): Generator<StepFault> {
    for (let i = 0; i < this.n; i++) yield this.at(i) as StepFault;
  }

  toArray(): StepFault[] {
    return [...this];
  }

  filter(keep: (f: StepFault) => unknown): StepFault[] {
    return this.toArray().filter(keep);
  }

  find(match: (f: StepFault) => unknown): StepFault | undefined {
    for (const f of this) if (match(f)) return f;
    return undefined;
  }

  some(match: (f: StepFault) => unknown): boolean {
    return this.find(match) !== undefined;
  }

  every(match: (f: StepFault) => unknown): boolean {
    return !this.some((f) => !match(f));
  }

  map<T>(to: (f: StepFault) => T): T[] {
    return this.toArray().map(to);
  }

  /** The outcome's index, stored the first time it is seen. */
  private outcomeIndex(outcome: FaultOutcome): number {
    let id = this.outcomeIds ? this.outcomeIds.get(outcome) : this.outcomes.indexOf(outcome);
    if (id === undefined || id < 0) {
      this.outcomes = appended(this.outcomes, outcome);
      id = this.outcomes.length - 1;
      this.outcomeIds?.set(outcome, id);
      if (!this.outcomeIds && this.outcomes.length > OUTCOMES_SEARCHED) this.outcomeIds = new Map(this.outcomes.map((o, i) => [o, i]));
    }
    return id;
  }

  private processIndex(process: string | undefined): number {
    if (process === undefined) return NO_PROCESS;
    const last = this.processes.length - 1;
    if (last >= 0 && this.processes[last] === process) return last;
    const i = this.processes.indexOf(process);
    if (i >= 0) return i;
    this.processes = appended(this.processes, process);
    return this.processes.length - 1;
  }
}

/**
 * `list` with `item` at its end. A first item gets an array of its own size: an empty array's first
 * push makes room for 17 (152 bytes), and most statements' logs keep one run, one outcome and one process.
 */
function appended<T>(list: T[], item: T): T[] {
  if (list.length === 0) return [item];
  list.push(item);
  return list;
}
