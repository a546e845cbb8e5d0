// /proc/PID/status (proc_pid_status in fs/proc/array.c): the lines live/ uses.
import type { LiveStatus } from './types';

/** Parses /proc/PID/status text. Never throws; missing or damaged lines keep their defaults. */
export function parseStatus(text: string): LiveStatus {
  let name = '';
  let state = '';
  let ppid = 0;
  let uid = 0;
  let threads = 0;
  const kb: Record<string, number> = {};
  for (const line of text.slice(0, 1 << 16).split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon);
    const value = line.slice(colon + 1).trim();
    switch (key) {
      case 'Name': name = value; break;
      case 'State': state = value; break;
      case 'PPid': ppid = toInt(value); break;
      case 'Uid': uid = toInt(value.split(/\s+/)[0] ?? ''); break;
      case 'Threads': threads = toInt(value); break;
      default: {
        const m = /^(\d{1,20}) kB$/.exec(value);
        if (m) kb[key] = toInt(m[1]!);
      }
    }
  }
  return { name, state, ppid, uid, threads, kb };
}

const toInt = (text: string): number => {
  const n = Number(text);
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
};

/** The kB fields of an smaps_rollup or smaps block (`Rss:  12 kB`), fast: no regex per line. */
export function parseKbFields(text: string): Record<string, number> {
  const fields: Record<string, number> = {};
  let at = 0;
  while (at < text.length) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const colon = text.indexOf(':', at);
    if (colon > at && colon < end) {
      const value = Number(text.slice(colon + 1, end).replace(' kB', ''));
      if (Number.isSafeInteger(value)) fields[text.slice(at, colon)] = value;
    }
    at = end + 1;
  }
  return fields;
}
