import type { ExecResult } from '../loader/binfmt-elf';
import { exitTask } from '../mm/fork';
import { rssPages, type Kernel, type Task } from '../mm/kernel';
import { doMadvise, doMsync } from '../mm/madvise';
import { doMlock } from '../mm/mlock';
import { doMremap } from '../mm/mremap';
import { settleHugePmds } from '../mm/huge-memory';
import { forkMadvise, hugepageMadvise, readMadvise } from '../mm/madvise-flags';
import { doBrk, doMmap, doMprotect, doMunmap, SyscallError } from '../mm/syscalls';
import { addEvent, addSkipped, notRunningText, reasonOf, syscallFailed } from './events';
import { beginReclaimTrace, endReclaimTrace, reclaimPages } from '../mm/vmscan';
import { PROT_EXEC, PROT_READ, PROT_WRITE } from '../mm/vm-flags';
import { renderMaps } from '../proc/maps';
import { completeReads } from '../mm/page-cache';
import { renderMeminfo } from '../proc/meminfo';
import { applyLimitSetting } from './limit-settings';
import { renderWalk } from '../proc/pagetable';
import { renderSmaps } from '../proc/smaps';
import { renderRollup, renderStatus } from '../proc/status';
import type { Permissions, Statement } from './ast';
import { checkExpect } from './expect';
import { checkExpectFailed } from './expect-failed';
import { ScenarioError, type Prepared, type PreparedFile } from './prepare';
import { formatSize } from './sizes';
import type { ScenarioState } from './state';
import { addNote, faultsOf, NO_FAULTS, NO_STRINGS, type StepRecord, type StepUsage } from './step-record';
import { dlopenTask, execTask, fileInode } from './exec-task';
import { narrow, narrowByRange, resolveTarget, type Range } from './targets';
import { accessRange, MAX_ACCESS_PAGES } from './access-range';
import { withOom } from './oom';
import { createThread, exitedThreadNote, exitThread, forkFrom, taskNamed, threadNamed } from './threads';

export type { StepFault } from '../mm/fault-log';

const protOf = (p: Permissions) => (p.read ? PROT_READ : 0) | (p.write ? PROT_WRITE : 0) | (p.execute ? PROT_EXEC : 0);

/** The live processes' counters after a statement: the previous step's records while they are the same. */
function usageAfter(state: ScenarioState): StepUsage[] {
  const last = state.lastUsage;
  let i = 0;
  let same = last !== undefined;
  for (const t of state.kernel.tasks.values()) {
    if (t.exited || t.death) continue;
    const u = last?.[i++];
    same &&= u !== undefined && u.process === t.name && u.rss === rssPages(t) && u.swap === t.rss.swapEnts;
  }
  if (same && i === last!.length) return last!;
  state.lastUsage = state.kernel.liveTasks().map((t) => ({ process: t.name, rss: rssPages(t), swap: t.rss.swapEnts }));
  return state.lastUsage;
}

/** Runs one statement against the state (synchronously; file work was prepared). */
export function executeStatement(state: ScenarioState, s: Statement, prepared: Prepared): StepRecord {
  state.regions.asOf = s.line;
  // Every field from the start, so that none lands in a properties array of its own when set.
  const step: StepRecord = { line: s.line, output: undefined, faults: NO_FAULTS, notes: NO_STRINGS, failures: NO_STRINGS, reclaim: undefined, usage: undefined, events: undefined };
  const outer = beginReclaimTrace();
  try {
    runStatement(state, s, prepared, step);
    // The reads the statement's asynchronous readahead started are done by its end.
    completeReads(state.kernel);
  } finally {
    step.reclaim = endReclaimTrace(outer);
  }
  // PMD mappings that PTE-level changes broke are split, as the kernel splits them first.
  settleHugePmds(state.kernel);
  if (s.kind !== 'expect' && s.kind !== 'expectKilled' && s.kind !== 'expectFailed' && s.kind !== 'show') state.lastCall = { statement: s, step };
  step.usage = usageAfter(state);
  return step;
}

/** The task a statement names, or undefined with a note saying why it is skipped. */
function liveTask(k: Kernel, s: Statement, step: StepRecord, name: string): Task | undefined {
  const exitedThread = exitedThreadNote(k, name);
  if (exitedThread) {
    addSkipped(s, step, exitedThread);
    return undefined;
  }
  const task = taskNamed(k, name);
  if (!task) addSkipped(s, step, `no process named ${name}`);
  else if (task.death) addSkipped(s, step, `${name} was killed by ${task.death.signal} at line ${task.death.line}: statement skipped`);
  else if (task.exited) addSkipped(s, step, `${name} has exited: statement skipped`);
  else return task;
  return undefined;
}

/** The range a statement's target names in the task, or undefined with a note saying why not. */
function targetOf(state: ScenarioState, s: Statement, step: StepRecord, task: Task, t: Parameters<typeof resolveTarget>[2]): Range | undefined {
  const r = resolveTarget(state, task, t, 'process' in s ? threadNamed(state.kernel, s.process.name)?.thread.stack : undefined);
  if (typeof r === 'string') {
    addSkipped(s, step, r);
    return undefined;
  }
  return r;
}

function runStatement(state: ScenarioState, s: Statement, prepared: Prepared, step: StepRecord): void {
  const k = state.kernel;
  try {
    switch (s.kind) {
      case 'set':
        // /proc/PID/oom_score_adj: oom_badness's adjustment (a fork inherits it).
        if (s.setting === 'oom_score_adj') {
          const task = liveTask(k, s, step, s.process.name);
          if (task) task.oomScoreAdj = s.value;
          break;
        }
        applySetting(state, s, (note) => addSkipped(s, step, note));
        break;
      case 'exec':
        withOom(k, step, s, () => execTask(state, s, prepared.execs.get(s.line) as ExecResult, step, prepared.entries.get(s.line)));
        break;
      case 'fork': {
        const parent = liveTask(k, s, step, s.parent.name);
        if (parent) withOom(k, step, s, () => forkFrom(k, parent, s.parent.name, s.child.name, s.line));
        break;
      }
      case 'thread': {
        const task = liveTask(k, s, step, s.process.name);
        if (task) withOom(k, step, s, () => createThread(k, task, s, faultsOf(step), (note) => addNote(step, note)));
        break;
      }
      case 'exit': {
        if (exitThread(k, s.process.name, s.line, (note) => addNote(step, note), (note) => addSkipped(s, step, note))) break;
        const task = liveTask(k, s, step, s.process.name);
        if (task) {
          exitTask(k, task);
          task.exitedAt = s.line;
        }
        break;
      }
      case 'mmap': {
        const task = liveTask(k, s, step, s.process.name);
        if (!task) break;
        const mapped = s.backing.kind === 'file' ? (prepared.files.get(s.line) as PreparedFile) : undefined;
        const inode = mapped && !mapped.zero ? fileInode(k, mapped) : undefined;
        const offset = s.backing.kind === 'file' ? s.backing.offset : 0n;
        // mmap_zero: /dev/zero shared and writable is shmem (/dev/zero (deleted)), otherwise anonymous memory named /dev/zero
        const zero = mapped?.zero && !(s.sharing === 'shared' && s.perms.write) ? { path: mapped.path, identity: mapped.identity } : undefined;
        const { start, end } = doMmap(k, task, s.size, protOf(s.perms), s.sharing === 'shared', inode, offset, s.line, s.region.name, zero, s.address, { noreserve: s.noreserve !== undefined });
        state.regions.set(s.region.name, { name: s.region.name, start, end, line: s.line });
        addNote(step, `${s.region.name} = 0x${start.toString(16)}`);
        break;
      }
      case 'access': {
        const task = liveTask(k, s, step, s.process.name);
        if (!task) break;
        const range = targetOf(state, s, step, task, s.target);
        if (range) accessRange(state, task, narrow(range, s.offset, s.size), s, step);
        break;
      }
      case 'munmap':
      case 'mprotect':
      case 'madvise':
      case 'msync': {
        const task = liveTask(k, s, step, s.process.name);
        if (!task) break;
        const range = targetOf(state, s, step, task, s.target);
        if (!range) break;
        const r = narrowByRange(range, s.range);
        if (s.kind === 'munmap') doMunmap(k, task, r.start, r.end);
        else if (s.kind === 'mprotect') doMprotect(k, task, r.start, r.end, protOf(s.perms), s.line);
        else if (s.kind === 'msync') doMsync(k, task, r.start, r.end);
        else if (s.advice === 'hugepage' || s.advice === 'nohugepage') hugepageMadvise(k, task, r.start, r.end, s.advice, s.line);
        else if (s.advice === 'dontfork' || s.advice === 'dofork') forkMadvise(task, r.start, r.end, s.advice, s.line);
        else if (s.advice === 'random' || s.advice === 'sequential' || s.advice === 'normal') readMadvise(task, r.start, r.end, s.advice, s.line);
        else {
          const advice = s.advice;
          const report = withOom(k, step, s, () => doMadvise(k, task, r.start, r.end, advice));
          if (report) addNote(step, `pageout: ${report.swappedOut} swapped out, ${report.droppedFile} file pages dropped, ${report.freed} freed`);
        }
        break;
      }
      case 'mlock':
      case 'munlock':
      case 'mremap': {
        const task = liveTask(k, s, step, s.process.name);
        // mremap acts on what R named before this line: a replay finds this line's own renaming in the history.
        if (s.kind === 'mremap') state.regions.asOf = s.line - 1;
        const range = task && targetOf(state, s, step, task, s.target);
        state.regions.asOf = s.line;
        if (task && range) withOom(k, step, s, () => lockOrRemap(state, task, range, s, step));
        break;
      }
      case 'brk': {
        const task = liveTask(k, s, step, s.process.name);
        if (task) doBrk(k, task, s.delta, s.line);
        break;
      }
      case 'dlopen': {
        const task = liveTask(k, s, step, s.process.name);
        if (task) withOom(k, step, s, () => dlopenTask(state, task, prepared.dlopens.get(s.line), s, step));
        break;
      }
      case 'reclaim': {
        const report = reclaimPages(k, Number(s.size >> 12n));
        addNote(step, `reclaim freed ${report.freed} pages: ${report.swappedOut} swapped out, ${report.droppedFile} file pages dropped, ${report.activated} activated, ${report.rotated} rotated`);
        break;
      }
      case 'expectFailed': {
        const failures = checkExpectFailed(state, s);
        if (failures.length) step.failures = failures;
        break;
      }
      case 'expect':
      case 'expectKilled':
        {
          const failures = checkExpect(state, s);
          if (failures.length) step.failures = failures;
        }
        break;
      case 'show':
        step.output = show(state, s, step);
        break;
    }
  } catch (error) {
    if (!(error instanceof SyscallError)) throw error;
    addEvent(step, syscallFailed(s, error));
    // A failed mmap returns MAP_FAILED: its name stays undefined from here on.
    if (s.kind === 'mmap') state.regions.set(s.region.name, { name: s.region.name, start: 0n, end: 0n, line: s.line, failed: { errno: error.errno, reason: reasonOf(error) } });
  }
}

/** mlock/munlock of a range, or mremap of a whole region, which then names the result. */
function lockOrRemap(state: ScenarioState, task: Task, range: Range, s: Extract<Statement, { kind: 'mlock' | 'munlock' | 'mremap' }>, step: StepRecord): void {
  if (s.kind !== 'mremap') {
    const r = narrowByRange(range, s.range);
    // mlock faults every page in, one access each: the same bound as an access statement.
    const pages = ((r.end + 0xfffn) >> 12n) - (r.start >> 12n);
    if (s.kind === 'mlock' && pages > MAX_ACCESS_PAGES) throw new ScenarioError(s.line, s.column, `mlock of ${pages} pages (${range.label}): the simulator faults in at most ${MAX_ACCESS_PAGES} pages (${formatSize(MAX_ACCESS_PAGES << 12n)}) in one statement`);
    doMlock(state.kernel, task, r.start, r.end - r.start, s.kind === 'mlock', s.line);
    return;
  }
  const start = doMremap(state.kernel, task, range.start, range.end - range.start, s.newSize, s.mayMove, s.line);
  const region = state.regions.get(s.target.name);
  // The name follows the mapping from this line on (RegionNames keeps the earlier range for earlier lines).
  if (region) state.regions.set(s.target.name, { ...region, start, end: start + ((s.newSize + 0xfffn) & ~0xfffn), line: s.line });
  addNote(step, `${s.target.name} = 0x${start.toString(16)}`);
}

/** A `set` statement; `skip` says why it did nothing (a process that is not running). */
function applySetting(state: ScenarioState, s: Extract<Statement, { kind: 'set' }>, skip: (text: string) => void): void {
  if (applyLimitSetting(state, s, skip)) return;
  if (s.setting === 'thp') {
    state.kernel.thp = s.value;
    return;
  }
  // `set exec` decides how prepare runs each exec, and `set pkeys` is the CPU's, set before the run.
  if (s.setting === 'exec' || s.setting === 'pkeys' || s.setting === 'layout') return;
  // fault_around_bytes_set: rounded down to a power of two, in pages, at least one.
  if (s.setting === 'fault_around') {
    state.kernel.faultAroundPages = 2 ** Math.floor(Math.log2(Number(s.value >> 12n)));
    return;
  }
  if (s.setting === 'aslr') state.settings.aslr = s.value;
  else if (s.setting === 'seed') state.settings.seed = s.value;
  else if (s.setting === 'ram') state.settings.ramBytes = s.value;
  else if (s.setting === 'swap') {
    state.settings.swapBytes = s.value;
    state.kernel.swap = state.kernel.swap.resized(Number(s.value >> 12n));
  }
}

function show(state: ScenarioState, s: Extract<Statement, { kind: 'show' }>, step: StepRecord): string {
  const k = state.kernel;
  if (s.what === 'meminfo') return renderMeminfo(k);
  const task = taskNamed(k, s.process.name);
  const thread = threadNamed(k, s.process.name)?.thread.stack;
  if (!task) {
    addSkipped(s, step, `no process named ${s.process.name}`);
    return '';
  }
  if (task.exited || task.death) {
    // Not an empty section: how and where it ended.
    const text = notRunningText(task);
    addNote(step, text);
    return `${text}\n`;
  }
  switch (s.what) {
    case 'maps':
      return renderMaps(task.mm);
    case 'rollup':
      return renderRollup(k, task);
    case 'status':
      return renderStatus(task);
    case 'smaps': {
      if (!s.target) return renderSmaps(k, task) + (task.mm.gateVma ? renderSmaps(k, task, [task.mm.gateVma]) : '');
      const range = resolveTarget(state, task, s.target, thread);
      if (typeof range === 'string') {
        addSkipped(s, step, range);
        return '';
      }
      return renderSmaps(k, task, task.mm.vmasIn(range.start, range.end));
    }
    case 'pagetable': {
      const range = resolveTarget(state, task, s.target, thread);
      if (typeof range === 'string') {
        addSkipped(s, step, range);
        return '';
      }
      return renderWalk(k, task, range.start + (s.offset ?? 0n));
    }
  }
}
