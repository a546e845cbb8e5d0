// The process list: every readable process's smaps_rollup, like smem (USS = Private_Clean + Private_Dirty).
import { asProcFileError } from './proc-reader';
import { parseKbFields } from './status';
import type { ProcessList, ProcessRow, ProcReader } from './types';

export type ProcessSort = 'rss' | 'pss' | 'uss' | 'swap' | 'pid';

/** The real uid from status text, without parsing the rest. */
function uidOf(status: string): number | undefined {
  const at = status.indexOf('\nUid:');
  if (at < 0) return undefined;
  const n = Number(/^\s*(\d+)/.exec(status.slice(at + 5, at + 40))?.[1]);
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * One process's row, from /proc/PID/smaps_rollup, status and cmdline (a timeline sample too);
 * undefined for a kernel thread (empty smaps_rollup). Throws ProcFileError.
 */
export function readProcessRow(reader: ProcReader, pid: number, users = new Map<number, string>()): ProcessRow | undefined {
  let path = `${pid}/smaps_rollup`;
  try {
    const rollup = reader.readText(path);
    if (rollup === '') return undefined;
    const f = parseKbFields(rollup);
    path = `${pid}/status`;
    const uid = uidOf(reader.readText(path));
    path = `${pid}/cmdline`;
    let command = reader.readText(path).replace(/\0+$/, '').replaceAll('\0', ' ');
    if (command === '') {
      path = `${pid}/comm`;
      command = `[${reader.readText(path).replace(/\n$/, '')}]`;
    }
    let user = uid === undefined ? '?' : users.get(uid);
    if (user === undefined && uid !== undefined) {
      user = reader.userName(uid) ?? String(uid);
      users.set(uid, user);
    }
    return {
      pid, user: user ?? '?', command,
      rssKb: f.Rss ?? 0, pssKb: f.Pss ?? 0, ussKb: (f.Private_Clean ?? 0) + (f.Private_Dirty ?? 0), swapKb: f.Swap ?? 0, swapPssKb: f.SwapPss ?? 0,
    };
  } catch (error) {
    throw asProcFileError(error, path);
  }
}

/** Every readable process. Kernel threads are skipped, and so are processes that exit while the list is read. */
export function listProcesses(reader: ProcReader): ProcessList {
  const rows: ProcessRow[] = [];
  const errors: string[] = [];
  const users = new Map<number, string>();
  for (const pid of reader.listPids()) {
    try {
      const row = readProcessRow(reader, pid, users);
      if (row) rows.push(row);
    } catch (error) {
      const e = asProcFileError(error, `${pid}/smaps_rollup`);
      if (e.code !== 'ENOENT' && e.code !== 'ESRCH') errors.push(e.message);
    }
  }
  return { rows, errors };
}

const KEYS: Readonly<Record<Exclude<ProcessSort, 'pid'>, keyof ProcessRow>> = { rss: 'rssKb', pss: 'pssKb', uss: 'ussKb', swap: 'swapKb' };

/** Sorts rows in place, largest first (pid: ascending), ties by pid. */
export function sortProcessRows(rows: ProcessRow[], by: ProcessSort): ProcessRow[] {
  if (by === 'pid') return rows.sort((a, b) => a.pid - b.pid);
  const key = KEYS[by];
  return rows.sort((a, b) => (b[key] as number) - (a[key] as number) || a.pid - b.pid);
}
