// The pages grid and the one-page detail, from pagemap and kpagecount/kpageflags.
import type { LivePageDetail, LivePages, ProcReader } from './types';

/** The pages of [start, end) (page-aligned hex or bigint) of process `pid`. */
export function readVmaPages(reader: ProcReader, pid: number, start: bigint | string, end: bigint | string): LivePages {
  void reader; void pid; void start; void end;
  throw new Error('not yet');
}

/** One page of process `pid` in detail. */
export function readPageDetail(reader: ProcReader, pid: number, address: bigint | string): LivePageDetail {
  void reader; void pid; void address;
  throw new Error('not yet');
}
