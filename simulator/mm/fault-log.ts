import type { Access, FaultOutcome, FaultRecord } from './fault';

/** A fault with the process that took it. */
export interface StepFault extends FaultRecord {
  readonly process?: string;
}

const ACCESSES: readonly Access[] = ['read', 'write', 'exec'];
const NO_PROCESS = 0xffff;

/**
 * The faults of one statement, stored compactly: per fault an address (a number: user
 * addresses are below 2^47), the access, the error code, the process and an outcome id.
 * Outcomes (kind, pages mapped, signal, explanation) are shared: the hot paths of
 * handle_mm_fault return constant ones, so a gigabyte of faults allocates no object per
 * fault. A StepFault object is built only when someone looks (at, iteration, the Faults tab).
 */
export class FaultLog {
  private n = 0;
  private address = new Float64Array(4);
  private outcome = new Uint32Array(4);
  /** access index (2 bits) | errorCode << 2. */
  private code = new Uint16Array(4);
  private process = new Uint16Array(4);
  private readonly outcomes: FaultOutcome[] = [];
  private readonly outcomeIds = new Map<FaultOutcome, number>();
  private readonly processes: string[] = [];
  /** Addresses that a number cannot hold exactly (kernel and non-canonical ones), by fault index. */
  private bigAddresses?: Map<number, bigint>;

  get length(): number {
    return this.n;
  }

  /** Records one fault; `outcome` is kept by reference (constant outcomes are stored once). */
  add(address: number | bigint, access: Access, errorCode: number, outcome: FaultOutcome, process: string | undefined): void {
    if (this.n === this.address.length) this.grow();
    const i = this.n++;
    if (typeof address === 'bigint') {
      if (address <= BigInt(Number.MAX_SAFE_INTEGER)) this.address[i] = Number(address);
      else (this.bigAddresses ??= new Map()).set(i, address);
    } else this.address[i] = address;
    let id = this.outcomeIds.get(outcome);
    if (id === undefined) {
      id = this.outcomes.push(outcome) - 1;
      this.outcomeIds.set(outcome, id);
    }
    this.outcome[i] = id;
    this.code[i] = ACCESSES.indexOf(access) | (errorCode << 2);
    this.process[i] = this.processIndex(process);
  }

  /** Records a full record (rare paths: the loader's writes, signals). */
  push(fault: StepFault): void {
    this.add(fault.address, fault.access, fault.errorCode, { kind: fault.kind, mapped: fault.mapped, signal: fault.signal, explanation: fault.explanation }, fault.process);
  }

  at(i: number): StepFault | undefined {
    if (i < 0 || i >= this.n) return undefined;
    const o = this.outcomes[this.outcome[i]!]!;
    const code = this.code[i]!;
    const p = this.process[i]!;
    return {
      address: this.bigAddresses?.get(i) ?? BigInt(this.address[i]!),
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
    for (let i = 0; i < this.n; i++) if (this.outcomes[this.outcome[i]!]!.kind === kind) count++;
    return count;
  }

  /** The first fault that delivered a signal, if any. */
  deadly(): StepFault | undefined {
    for (let i = 0; i < this.n; i++) if (this.outcomes[this.outcome[i]!]!.signal) return this.at(i);
    return undefined;
  }

  /** Whether `process` took a fault (not a hit) on the page `vpn`. */
  faultedPage(process: string, vpn: number): boolean {
    const p = this.processes.indexOf(process);
    if (p < 0) return false;
    for (let i = 0; i < this.n; i++) {
      if (this.process[i] !== p || this.outcomes[this.outcome[i]!]!.kind === 'hit') continue;
      const big = this.bigAddresses?.get(i);
      if ((big === undefined ? Math.floor(this.address[i]! / 4096) : Number(big >> 12n)) === vpn) return true;
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
    const size = this.address.length * 2;
    const grown = <A extends Float64Array | Uint32Array | Uint16Array>(a: A): A => {
      const copy = new (a.constructor as new (n: number) => A)(size);
      copy.set(a);
      return copy;
    };
    this.address = grown(this.address);
    this.outcome = grown(this.outcome);
    this.code = grown(this.code);
    this.process = grown(this.process);
  }
}
