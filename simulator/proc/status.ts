import { rssPages, type Kernel, type Task } from '../mm/kernel';
import { VM_EXEC, VM_GROWSDOWN, VM_LOCKED, VM_SHARED, VM_WRITE } from '../mm/vm-flags';
import { threadCount } from '../mm/thread';
import { vmaHeaderPrefix, withName } from './maps';
import { emptyStats, gatherStats, showSmapFields } from './smaps';

const kb = (pages: number) => pages * 4;

/** mm->total_vm, data_vm, stack_vm, exec_vm and locked_vm in pages (vm_stat_account). */
export function vmCounters(task: Task): { total: number; data: number; stack: number; exec: number; locked: number } {
  const c = { total: 0, data: 0, stack: 0, exec: 0, locked: 0 };
  for (const v of task.mm.eachVma) {
    const pages = Number((v.end - v.start) >> 12n);
    c.total += pages;
    if ((v.flags & (VM_WRITE | VM_SHARED | VM_GROWSDOWN)) === VM_WRITE) c.data += pages;
    if (v.flags & VM_GROWSDOWN) c.stack += pages;
    if ((v.flags & (VM_EXEC | VM_WRITE | VM_GROWSDOWN)) === VM_EXEC) c.exec += pages;
    if (v.flags & VM_LOCKED) c.locked += pages;
  }
  return c;
}

/** The Vm and Rss fields of /proc/PID/status (task_mem), in kB, in the kernel's order. */
export function statusFields(task: Task): [string, number][] {
  const c = vmCounters(task);
  const rss = rssPages(task);
  const l = task.mm.layout;
  const textBytes = Number(((l.endCode + 0xfffn) & ~0xfffn) - (l.startCode & ~0xfffn));
  const text = Math.max(0, Math.min(textBytes, c.exec * 4096));
  const lib = c.exec * 4096 - text;
  return [
    ['VmPeak', kb(Math.max(c.total, task.hiwaterVm))],
    ['VmSize', kb(c.total)],
    ['VmLck', kb(c.locked)],
    ['VmPin', 0],
    ['VmHWM', kb(Math.max(rss, task.hiwaterRss))],
    ['VmRSS', kb(rss)],
    ['RssAnon', kb(task.rss.anon)],
    ['RssFile', kb(task.rss.file)],
    ['RssShmem', kb(task.rss.shmem)],
    ['VmData', kb(c.data)],
    ['VmStk', kb(c.stack)],
    ['VmExe', text >> 10],
    ['VmLib', lib >> 10],
    ['VmPTE', task.pt.tableBytes >> 10],
    ['VmSwap', kb(task.rss.swapEnts)],
    ['HugetlbPages', 0],
  ];
}

/** The Vm and Rss lines of /proc/PID/status: "Label:\t%8lu kB". */
export function renderStatus(task: Task): string {
  const sizes = statusFields(task).map(([label, value]) => `${label}:\t${String(value).padStart(8)} kB\n`).join('');
  // proc_pid_status → task_state: `Threads:` (get_nr_threads), shown once the process has made threads.
  return task.threads ? `${sizes}Threads:\t${threadCount(task)}\n` : sizes;
}

/** /proc/PID/smaps_rollup (show_smaps_rollup). */
export function renderRollup(k: Kernel, task: Task): string {
  const mss = emptyStats();
  for (const v of task.mm.eachVma) gatherStats(k, task, v, mss);
  const first = task.mm.firstVma?.start ?? 0n;
  const last = task.mm.lastVma?.end ?? 0n;
  // The header has no flags (---p), offset, device or inode.
  return `${withName(vmaHeaderPrefix(first, last, 0, 0n, 0, 0, 0), '[rollup]')}\n${showSmapFields(mss, true)}`;
}
