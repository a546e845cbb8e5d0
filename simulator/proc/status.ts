import { rssPages, type Kernel, type Task } from '../mm/kernel';
import { VM_EXEC, VM_GROWSDOWN, VM_LOCKED, VM_SHARED, VM_WRITE } from '../mm/vm-flags';
import { emptyStats, gatherStats, showSmapFields } from './smaps';

const kb = (pages: number) => pages * 4;

/** mm->total_vm, data_vm, stack_vm, exec_vm and locked_vm in pages (vm_stat_account). */
export function vmCounters(task: Task): { total: number; data: number; stack: number; exec: number; locked: number } {
  const c = { total: 0, data: 0, stack: 0, exec: 0, locked: 0 };
  for (const v of task.mm.vmaList) {
    const pages = Number((v.end - v.start) >> 12n);
    c.total += pages;
    if ((v.flags & (VM_WRITE | VM_SHARED | VM_GROWSDOWN)) === VM_WRITE) c.data += pages;
    if (v.flags & VM_GROWSDOWN) c.stack += pages;
    if ((v.flags & (VM_EXEC | VM_WRITE | VM_GROWSDOWN)) === VM_EXEC) c.exec += pages;
    if (v.flags & VM_LOCKED) c.locked += pages;
  }
  return c;
}

/** The Vm and Rss lines of /proc/PID/status (task_mem). */
export function renderStatus(task: Task): string {
  const c = vmCounters(task);
  const rss = rssPages(task);
  const l = task.mm.layout;
  const textBytes = Number(((l.endCode + 0xfffn) & ~0xfffn) - (l.startCode & ~0xfffn));
  const text = Math.max(0, Math.min(textBytes, c.exec * 4096));
  const lib = c.exec * 4096 - text;
  const line = (label: string, value: number) => `${label}:\t${String(value).padStart(8)} kB\n`;
  return (
    line('VmPeak', kb(Math.max(c.total, task.hiwaterVm))) +
    line('VmSize', kb(c.total)) +
    line('VmLck', kb(c.locked)) +
    line('VmPin', 0) +
    line('VmHWM', kb(Math.max(rss, task.hiwaterRss))) +
    line('VmRSS', kb(rss)) +
    line('RssAnon', kb(task.rss.anon)) +
    line('RssFile', kb(task.rss.file)) +
    line('RssShmem', kb(task.rss.shmem)) +
    line('VmData', kb(c.data)) +
    line('VmStk', kb(c.stack)) +
    line('VmExe', text >> 10) +
    line('VmLib', lib >> 10) +
    line('VmPTE', task.pt.tableBytes >> 10) +
    line('VmSwap', kb(task.rss.swapEnts)) +
    line('HugetlbPages', 0)
  );
}

/** /proc/PID/smaps_rollup (show_smaps_rollup). */
export function renderRollup(k: Kernel, task: Task): string {
  const vmas = task.mm.vmaList;
  const mss = emptyStats();
  for (const v of vmas) gatherStats(k, task, v, mss);
  const first = vmas[0]?.start ?? 0n;
  const last = vmas.at(-1)?.end ?? 0n;
  const prefix = `${first.toString(16).padStart(8, '0')}-${last.toString(16).padStart(8, '0')} ---p 00000000 00:00 0 `;
  return `${prefix.padEnd(72)} [rollup]\n${showSmapFields(mss, true)}`;
}
