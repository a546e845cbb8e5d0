import type { Task } from '../mm/kernel';
import { gatherStats, type MemSizeStats } from '../proc/smaps';
import { statusFields } from '../proc/status';
import type { ExpectKilledStatement, ExpectStatement } from './ast';
import { formatSize } from './sizes';
import type { ScenarioState } from './state';
import { resolveTarget } from './targets';
import { taskNamed, threadNamed } from './threads';

/** An smaps field of one VMA, in bytes as the kernel prints it (kB, Pss truncated per VMA). */
function smapsField(mss: MemSizeStats, size: bigint, field: string): bigint {
  const kb = (bytes: number | bigint) => (BigInt(bytes) >> 10n) << 10n;
  const pss = (v: bigint) => ((v >> 12n) >> 10n) << 10n;
  switch (field) {
    case 'Size': return size;
    case 'KernelPageSize':
    case 'MMUPageSize': return 4096n;
    case 'Rss': return kb(mss.resident);
    case 'Pss': return pss(mss.pss);
    case 'Pss_Dirty': return pss(mss.pssDirty);
    case 'Shared_Clean': return kb(mss.sharedClean);
    case 'Shared_Dirty': return kb(mss.sharedDirty);
    case 'Private_Clean': return kb(mss.privateClean);
    case 'Private_Dirty': return kb(mss.privateDirty);
    case 'Referenced': return kb(mss.referenced);
    case 'Anonymous': return kb(mss.anonymous);
    case 'LazyFree': return kb(mss.lazyfree);
    case 'AnonHugePages': return kb(mss.anonymousThp);
    case 'FilePmdMapped': return kb(mss.filePmdMapped);
    case 'Swap': return kb(mss.swap);
    case 'SwapPss': return pss(mss.swapPss);
    case 'Locked': return pss(mss.pssLocked);
    default: return 0n;
  }
}

/** A /proc/PID/status field in bytes. */
function statusField(task: Task, field: string): bigint {
  const kb = statusFields(task).find(([label]) => label === field)?.[1] ?? 0;
  return BigInt(kb) * 1024n;
}

const show = (bytes: bigint) => (bytes === 0n ? '0' : formatSize(bytes));

/** The failures of an expect statement (empty when it holds). */
export function checkExpect(state: ScenarioState, s: ExpectStatement | ExpectKilledStatement): string[] {
  const task = taskNamed(state.kernel, s.process.name);
  if (s.kind === 'expectKilled') {
    if (!task) return [`line ${s.line}: expected ${s.process.name} killed by ${s.signal}, but there is no such process`];
    if (task.death?.signal === s.signal) return [];
    return [`line ${s.line}: expected ${s.process.name} killed by ${s.signal}, but it ${task.death ? `was killed by ${task.death.signal}` : 'is alive'}`];
  }
  if (!task || task.exited || task.death) return [`line ${s.line}: ${s.process.name} is not running`];
  const range = resolveTarget(state, task, s.target, threadNamed(state.kernel, s.process.name)?.thread.stack);
  if (typeof range === 'string') return [`line ${s.line}: ${range}`];
  const vmas = task.mm.vmasIn(range.start, range.end);
  const stats = vmas.map((v) => ({ size: v.end - v.start, mss: gatherStats(state.kernel, task, v) }));
  const failures: string[] = [];
  for (const f of s.fields) {
    const actual = f.source === 'status' ? statusField(task, f.field) : stats.reduce((sum, { size, mss }) => sum + smapsField(mss, size, f.field), 0n);
    if (actual !== f.value) failures.push(`line ${s.line}: expected ${f.field}=${show(f.value)} for ${s.process.name} ${range.label}, got ${show(actual)}`);
  }
  return failures;
}
