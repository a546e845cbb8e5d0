// One live process: maps/smaps, smaps_rollup, status, and on request the Pss explainer and pages.
import type { LiveProcess, ProcReader, ReadLiveOptions } from './types';

/** Reads process `pid`. Throws ProcFileError when nothing can be read; later failures become warnings. */
export function readLiveProcess(reader: ProcReader, pid: number, options: ReadLiveOptions = {}): LiveProcess {
  void reader; void pid; void options;
  throw new Error('not yet');
}
