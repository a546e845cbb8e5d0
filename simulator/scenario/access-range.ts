// read, write and exec statements: one access per page of a range, in address order (mm/fault-run.ts
// takes runs of pages; userAccess the pages outside its common cases), until a fault kills the process.
import { accessInVma, userAccess, type Access, type FaultOutcome, type FaultRecord } from '../mm/fault';
import { accessRun, type FaultSink } from '../mm/fault-run';
import { exitTask } from '../mm/fork';
import { OutOfMemory, type Kernel, type Task } from '../mm/kernel';
import type { Vma } from '../mm/vma';
import type { Statement } from './ast';
import { addEvent, killedByFault } from './events';
import { runOomKiller } from './oom';
import { ScenarioError } from './prepare';
import { formatSize } from './sizes';
import type { ScenarioState } from './state';
import { faultsOf, type StepRecord } from './step-record';
import type { Range } from './targets';

/** Page accesses one statement may make: a gigabyte of pages, each a fault record, takes seconds. */
export const MAX_ACCESS_PAGES = 1n << 18n;

/** Addresses a number holds exactly and userAccess's fast path covers: below TASK_SIZE_MAX. */
const USER_LIMIT = (1n << 47n) - 0x1000n;

/** Scratch outputs of accessInVma and accessRun (an access statement runs to its end before the next one). */
const ACCESS_OUT = new Int32Array(2);
const RUN_DONE = new Int32Array(1);

/** One access per page of the range, in address order, until a fault kills the process. */
export function accessRange(state: ScenarioState, task: Task, range: Range, s: Extract<Statement, { kind: 'access' }>, step: StepRecord): void {
  const k = state.kernel;
  const { op, line } = s;
  const pages = ((range.end + 0xfffn) >> 12n) - (range.start >> 12n);
  if (pages > MAX_ACCESS_PAGES) {
    throw new ScenarioError(line, s.column, `${op} of ${pages} pages (${range.label}): the simulator makes at most ${MAX_ACCESS_PAGES} page accesses (${formatSize(MAX_ACCESS_PAGES << 12n)}) in one statement`);
  }
  if (range.end > USER_LIMIT) {
    accessRangeSlowly(k, task, range, op, step, s);
    return;
  }
  // Numbers, not bigints: the VMA found for one page serves the next ones while the mm is unchanged.
  const out = ACCESS_OUT;
  const done = RUN_DONE;
  const sink = new StepFaults(step, op, task.name);
  const end = Number(range.end);
  let address = Number(range.start);
  let vma: Vma | undefined;
  let vmaStart = 0;
  let vmaEnd = 0;
  let generation = -1;
  while (address < end) {
    const vpn = Math.floor(address / 4096);
    done[0] = 0;
    try {
      if (generation !== task.mm.generation || address < vmaStart || address >= vmaEnd) {
        vma = task.mm.findVma(BigInt(address));
        generation = task.mm.generation;
        vmaStart = vma ? Number(vma.start) : 0;
        vmaEnd = vma ? Number(vma.end) : 0;
      }
      // Whole pages of one leaf table within the VMA and the range, a run at a time.
      if (vma && address >= vmaStart && address % 4096 === 0) {
        const runEnd = Math.min(Math.ceil(end / 4096), vmaEnd / 4096, vpn - (vpn % 512) + 512);
        const taken = accessRun(k, task, vma, vpn, runEnd, op, sink, done);
        if (taken) {
          address += taken * 4096;
          continue;
        }
      }
      const outcome = vma && address >= vmaStart ? accessInVma(k, task, vma, vpn, op, out) : undefined;
      if (outcome) {
        if (outcome.kind !== 'hit') faultsOf(step).add(address, op, out[0]!, outcome, task.name);
        if (outcome.signal && kill(k, task, BigInt(address), out[0]!, outcome, s, step)) return;
      } else if (!vma || address < vmaStart || out[1]) {
        const fault = userAccess(k, task, BigInt(address), op);
        if (fault.kind !== 'hit') faultsOf(step).push({ ...fault, process: task.name });
        if (fault.signal && kill(k, task, fault.address, fault.errorCode, fault, s, step)) return;
      }
    } catch (error) {
      if (!(error instanceof OutOfMemory)) throw error;
      // The pages a run took before the failing one stay taken; the failing one is tried again.
      address = done[0] ? (vpn + done[0]) * 4096 : address;
      const victim = runOomKiller(k, step, s);
      if (!victim || victim === task) return;
      continue;
    }
    address = vpn * 4096 + 4096;
  }
}

/** The same, with bigint addresses, for ranges that reach kernel or non-canonical addresses. */
function accessRangeSlowly(k: Kernel, task: Task, range: Range, op: FaultRecord['access'], step: StepRecord, s: Statement): void {
  let address = range.start;
  while (address < range.end) {
    let fault: FaultRecord;
    try {
      fault = userAccess(k, task, address, op);
    } catch (error) {
      if (!(error instanceof OutOfMemory)) throw error;
      const victim = runOomKiller(k, step, s);
      if (!victim || victim === task) return;
      continue;
    }
    if (fault.kind !== 'hit') faultsOf(step).push({ ...fault, process: task.name });
    if (fault.signal && kill(k, task, fault.address, fault.errorCode, fault, s, step)) return;
    address = (address & ~0xfffn) + 0x1000n;
  }
}

/** A run's faults, into the statement's fault log. */
class StepFaults implements FaultSink {
  constructor(
    private readonly step: StepRecord,
    private readonly access: Access,
    private readonly process: string,
  ) {}

  record(vpn: number, count: number, errorCode: number, outcome: FaultOutcome): void {
    faultsOf(this.step).addPages(vpn, count, this.access, errorCode, outcome, this.process);
  }
}

/** A fault delivered a signal: the process dies of it, and the step says so. */
function kill(k: Kernel, task: Task, address: bigint, errorCode: number, fault: FaultOutcome, s: Statement, step: StepRecord): boolean {
  if (!fault.signal) return false;
  task.death = { signal: fault.signal.signal, code: fault.signal.code, address, errorCode, explanation: fault.explanation, line: s.line };
  exitTask(k, task);
  addEvent(step, killedByFault(s, task, task.death));
  return true;
}
