import type { Access, FaultOutcome, FaultRecord } from './fault';

/** A fault with the process that took it. */
export interface StepFault extends FaultRecord {
  readonly process?: string;
}

const ACCESSES: readonly Access[] = ['read', 'write', 'exec'];
const NO_PROCESS = 0xffff;
const NO_RUNS_F64 = new Float64Array(0);
const NO_RUNS_U32 = new Uint32Array(0);
const NO_RUNS_U16 = new Uint16Array(0);

/**
 * The faults of one statement, stored compactly: runs of faults on consecutive pages with the
 * same access, error code, process and outcome (kind, pages mapped, signal, explanation), each run
 * a few numbers in typed arrays. Outcomes are shared: the hot paths of handle_mm_fault return
 * constant ones, so a gigabyte written page by page is one run and allocates no object per fault.
 * A StepFault object is built only when someone looks (at, iteration, the Faults tab).
 */
export class FaultLog {
  private n = 0;
  private runs = 0;
  /** Per run: the first fault's address (a number: user addresses are below 2^47) and index. */
  private start = NO_RUNS_F64;
  private first = NO_RUNS_F64;
  private count = NO_RUNS_U32;
  private outcome = NO_RUNS_U32;
  /** access index (2 bits) | errorCode << 2. */
  private code = NO_RUNS_U16;
  private process = NO_RUNS_U16;
  // Most statements fault nothing: the arrays and maps are made at the first fault.
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
    this.outcomeIds ??= new Map();
    let id = this.outcomeIds.get(outcome);
    if (id === undefined) {
      id = this.outcomes.push(outcome) - 1;
      this.outcomeIds.set(outcome, id);
    }
    const code = ACCESSES.indexOf(access) | (errorCode << 2);
    const p = this.processIndex(process);
    const big = typeof address === 'bigint' && address > BigInt(Number.MAX_SAFE_INTEGER);
    const at = typeof address === 'bigint' ? (big ? 0 : Number(address)) : address;
    const r = this.runs - 1;
    this.n++;
    // The next page of the last run, with the same outcome: the run grows by one.
    if (r >= 0 && !big && !this.bigAddresses?.has(r) && at % 4096 === 0 && at === (Math.floor(this.start[r]! / 4096) + this.count[r]!) * 4096 && this.outcome[r] === id && this.code[r] === code && this.process[r] === p) {
      this.count[r]!++;
      return;
    }
    if (this.runs === this.start.length) this.grow();
    const i = this.runs++;
    this.start[i] = at;
    this.first[i] = this.n - 1;
    this.count[i] = 1;
    this.outcome[i] = id;
    this.code[i] = code;
    this.process[i] = p;
    if (big) (this.bigAddresses ??= new Map()).set(i, address as bigint);
  }

  /** Records a full record (rare paths: the loader's writes, signals). */
  push(fault: StepFault): void {
    this.add(fault.address, fault.access, fault.errorCode, { kind: fault.kind, mapped: fault.mapped, signal: fault.signal, explanation: fault.explanation }, fault.process);
  }

  at(i: number): StepFault | undefined {
    if (!Number.isInteger(i) || i < 0 || i >= this.n) return undefined;
    // The run holding fault i: the last whose first index is at or below i.
    let lo = 0;
    let hi = this.runs - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.first[mid]! <= i) lo = mid;
      else hi = mid - 1;
    }
    const j = i - this.first[lo]!;
    const o = this.outcomes[this.outcome[lo]!]!;
    const code = this.code[lo]!;
    const p = this.process[lo]!;
    const start = this.start[lo]!;
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
    for (let r = 0; r < this.runs; r++) if (this.outcomes[this.outcome[r]!]!.kind === kind) count += this.count[r]!;
    return count;
  }

  /** The first fault that delivered a signal, if any. */
  deadly(): StepFault | undefined {
    for (let r = 0; r < this.runs; r++) if (this.outcomes[this.outcome[r]!]!.signal) return this.at(this.first[r]!);
    return undefined;
  }

  /** Whether `process` took a fault (not a hit) on the page `vpn`. */
  faultedPage(process: string, vpn: number): boolean {
    const p = this.processes.indexOf(process);
    if (p < 0) return false;
    for (let r = 0; r < this.runs; r++) {
      if (this.process[r] !== p || this.outcomes[this.outcome[r]!]!.kind === 'hit') continue;
      const big = this.bigAddresses?.get(r);
      const firstVpn = big === undefined ? Math.floor(this.start[r]! / 4096) : Number(big >> 12n);
      if (vpn >= firstVpn && vpn < firstVpn + this.count[r]!) return true;
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

  private processIndex(process: string | undefined): number {
    if (process === undefined) return NO_PROCESS;
    const last = this.processes.length - 1;
    if (last >= 0 && this.processes[last] === process) return last;
    const i = this.processes.indexOf(process);
    if (i >= 0) return i;
    return this.processes.push(process) - 1;
  }

  private grow(): void {
    const size = Math.max(2, this.start.length * 2);
    const grown = <A extends Float64Array | Uint32Array | Uint16Array>(a: A): A => {
      const copy = new (a.constructor as new (n: number) => A)(size);
      copy.set(a);
      return copy;
    };
    this.start = grown(this.start);
    this.first = grown(this.first);
    this.count = grown(this.count);
    this.outcome = grown(this.outcome);
    this.code = grown(this.code);
    this.process = grown(this.process);
  }
}
