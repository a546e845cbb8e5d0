// The OOM killer (mm/oom_kill.c): which process dies when an allocation finds no memory even
// after reclaim, and the line the kernel prints about it.
import { rssPages, type Kernel, type Task } from './kernel';

/** OOM_SCORE_ADJ_MIN and OOM_SCORE_ADJ_MAX (include/uapi/linux/oom.h). */
export const OOM_SCORE_ADJ_MIN = -1000;
export const OOM_SCORE_ADJ_MAX = 1000;

/** The process's signal->oom_score_adj (0 unless set; a fork inherits it). */
export const oomScoreAdjOf = (task: Task): number => task.oomScoreAdj ?? 0;

/** constrained_alloc, CONSTRAINT_NONE: totalram_pages() + total_swap_pages. */
export function oomTotalPages(k: Kernel): number {
  return k.phys.frames + k.swap.totalSlots;
}

/**
 * oom_badness: rss + swap entries + page-table pages, plus oom_score_adj in thousandths of
 * totalpages (`adj *= totalpages / 1000`, integer division). undefined is LONG_MIN: never chosen
 * (oom_score_adj -1000, OOM_SCORE_ADJ_MIN).
 */
export function oomBadness(task: Task, totalPages: number): number | undefined {
  const adj = oomScoreAdjOf(task);
  if (adj === OOM_SCORE_ADJ_MIN) return undefined;
  const points = rssPages(task) + task.rss.swapEnts + Math.floor(task.pt.tableBytes / 4096);
  return points + adj * Math.floor(totalPages / 1000);
}

/**
 * select_bad_process: for_each_process (creation order) through oom_evaluate_task, which skips a
 * task whose points are below the chosen one's: on a tie the later process is chosen.
 */
export function selectBadProcess(k: Kernel): { victim: Task; points: number } | undefined {
  const totalPages = oomTotalPages(k);
  let chosen: { victim: Task; points: number } | undefined;
  for (const task of k.liveTasks().sort((a, b) => a.pid - b.pid)) {
    const points = oomBadness(task, totalPages);
    if (points === undefined || (chosen && points < chosen.points)) continue;
    chosen = { victim: task, points };
  }
  return chosen;
}

/** task->comm after execve: the file name's last component, at most TASK_COMM_LEN - 1 = 15 bytes (__set_task_comm). */
export function commOf(task: Task): string {
  const base = task.program.slice(task.program.lastIndexOf('/') + 1);
  return base.slice(0, 15);
}

/** total_vm in pages: every VMA of the mm (the gate VMA is not one). */
const totalVm = (task: Task): number => task.mm.vmaList.reduce((sum, v) => sum + Number((v.end - v.start) >> 12n), 0);

/** __oom_kill_process's pr_err, printed before the victim's memory is freed. */
export function oomKillLine(task: Task, message = 'Out of memory'): string {
  const k = (pages: number) => pages * 4;
  return `${message}: Killed process ${task.pid} (${commOf(task)}) total-vm:${k(totalVm(task))}kB, anon-rss:${k(task.rss.anon)}kB, file-rss:${k(task.rss.file)}kB, shmem-rss:${k(task.rss.shmem)}kB, UID:0 pgtables:${task.pt.tableBytes >> 10}kB oom_score_adj:${oomScoreAdjOf(task)}`;
}
