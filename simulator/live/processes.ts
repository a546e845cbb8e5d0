// The process list: every readable process's smaps_rollup, like smem.
import type { ProcessList, ProcessRow, ProcReader } from './types';

export type ProcessSort = 'rss' | 'pss' | 'uss' | 'swap' | 'pid';

/** Every readable process, from /proc/PID/smaps_rollup, status and cmdline. */
export function listProcesses(reader: ProcReader): ProcessList {
  void reader;
  throw new Error('not yet');
}

/** Sorts rows in place, largest first (pid: ascending). */
export function sortProcessRows(rows: ProcessRow[], by: ProcessSort): ProcessRow[] {
  void by;
  return rows;
}
