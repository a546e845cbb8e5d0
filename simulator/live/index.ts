/**
 * live/: real address spaces, read through /proc.
 *
 * Everything here goes through a {@link ProcReader} (paths relative to /proc), so it runs on
 * recorded files in tests and snapshots; the Node-backed reader is `NodeProcReader` in
 * simulator/cli/node-proc-reader.ts (the only file that touches node:fs for /proc). Nothing
 * is ever written to /proc, and a process is stopped only when `freeze: true` is asked for.
 *
 * For the extension:
 * - `listProcesses(reader)` → rows for the process picker (pid, user, command, Rss, Pss, USS,
 *   Swap from smaps_rollup), and one-line errors for the processes that could not be read.
 * - `readLiveProcess(reader, pid, { explain: true, pages: true })` → the VMAs with their smaps
 *   fields, each VMA's Pss explainer (groups by kind and mapcount, summing to the kernel's Pss)
 *   and its pages as PageState bytes plus a flags byte (soft-dirty, exclusive, …), smaps_rollup,
 *   status and warnings. Throws ProcFileError only when nothing at all can be read (the process
 *   is gone, or access is denied); a later file failing becomes a warning and a partial result.
 * - `readVmaPages(reader, pid, start, end)` → the pages grid of one range (a VMA too large for
 *   `pages: true`, or a part of one); `readPageDetail(reader, pid, address)` → one page: pagemap
 *   entry, PFN, mapcount, kpageflags names.
 * - `explainLines(vma)` → the `# Pss:` lines `asx smaps --explain` prints.
 * - `recordProcess(reader, pid)` → a JSON snapshot (text files, pagemap and kpage entries of the
 *   resident pages); `recordedReader(snapshot)` reads it back, so a snapshot can be explained,
 *   shown and diffed like the live process.
 * - `liveProcessSummary`, `liveRegionRows`, `liveRegionSmaps`, `liveRegionPages` → the shapes of
 *   inspect/view-models.ts, so the scenario panel's tabs render a live process; `diffLiveProcesses`
 *   compares a snapshot with now. For a timeline, `readLiveProcess(reader, pid, { smaps: false })`
 *   reads maps only, and `readProcessRow(reader, pid)` one smaps_rollup (Rss, Pss, USS, Swap).
 * Every result is structured-clone safe (hex strings, typed arrays), ready for postMessage.
 */
export type {
  Hex,
  KpageAccess,
  LivePageDetail,
  LivePages,
  LiveProcess,
  LivePssGroup,
  LiveStatus,
  LiveVma,
  ProcErrorCode,
  ProcessList,
  ProcessRow,
  ProcReader,
  ReadLiveOptions,
  VmaExplain,
} from './types';
export { LivePageFlag } from './types';
export { ProcFileError, RecordedProcReader, type RecordedFile, type SparseU64File } from './proc-reader';
export { listProcesses, readProcessRow, sortProcessRows, type ProcessSort } from './processes';
export { readLiveProcess } from './process';
export { readPageDetail, readVmaPages } from './pages';
export { explainLines } from './explain-text';
export { parseStatus } from './status';
export { recordProcess, recordedReader, type RecordedProcess } from './record';
export { diffLiveProcesses, liveProcessSummary, liveRegionPages, liveRegionRows, liveRegionSmaps, type LiveDiff } from './view-models';
