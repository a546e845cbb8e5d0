// What one statement of a scenario did (its step record), and the shared empty parts most records keep.
import { FaultLog } from '../mm/fault-log';
import type { ReclaimEvent } from '../mm/vmscan';
import type { StepEvent } from './events';

/** A process's counters after a statement (mm->rss_stat), in pages: cheap enough to keep for every step. */
export interface StepUsage {
  readonly process: string;
  readonly rss: number;
  readonly swap: number;
}

/** What one statement did: its printed output, faults, notes and failed expectations. */
export interface StepRecord {
  readonly line: number;
  output?: string;
  /** The faults, compact; records are built when someone looks (FaultLog.at, iteration). */
  faults: FaultLog;
  notes: string[];
  failures: string[];
  /** What reclaim (kswapd, `reclaim`, MADV_PAGEOUT) did during the statement, at most RECLAIM_TRACE_CAP events. */
  reclaim?: ReclaimEvent[];
  /** RSS and swap of every live process after the statement, for the timeline. */
  usage?: StepUsage[];
  /** Failed calls and deaths, said out loud (their messages are among the notes too). */
  events?: StepEvent[];
}

// Most statements fault nothing and note nothing: their records share these until written.
export const NO_FAULTS = new FaultLog();
export const NO_STRINGS = Object.freeze([]) as unknown as string[];
export const faultsOf = (step: StepRecord): FaultLog => (step.faults === NO_FAULTS ? (step.faults = new FaultLog()) : step.faults);
/** Adds a note; a step's first note gets an array of its own, sized for it. */
export const addNote = (step: StepRecord, note: string): void => {
  if (step.notes === NO_STRINGS) step.notes = [note];
  else step.notes.push(note);
};
