// A snapshot of a live process as recorded files: what RecordedProcReader reads back.
// Tests keep small ones in test/fixtures/live/; the extension can keep one to diff with later.
import { PagemapReader, pfnOf, PM_PRESENT_HI, PM_SWAP_HI } from './pagemap';
import { asProcFileError, RecordedProcReader, type RecordedFile, type SparseU64File } from './proc-reader';
import type { ProcErrorCode, ProcReader } from './types';
import { parseLiveVmas } from './vmas';

/** JSON form: text files as strings, 64-bit arrays as [index, "0x…"] pairs, errors as {error}. */
export interface RecordedProcess {
  readonly pid: number;
  readonly files: Record<string, string | { readonly length: number; readonly u64: [number, string][] } | { readonly error: ProcErrorCode }>;
  readonly users?: Record<number, string>;
}

const TEXT_FILES = ['comm', 'cmdline', 'status', 'maps', 'smaps', 'smaps_rollup'];
/** pagemap's length in entries: the user address space (47 bits) in pages. */
const PAGEMAP_ENTRIES = 2 ** 35;

/** Records process `pid`: its text files, the pagemap entries of its resident VMAs, and kpagecount/kpageflags of their PFNs. */
export function recordProcess(reader: ProcReader, pid: number): RecordedProcess {
  const files: RecordedProcess['files'] = {};
  for (const name of TEXT_FILES) {
    const path = `${pid}/${name}`;
    try {
      files[path] = reader.readText(path);
    } catch (error) {
      files[path] = { error: asProcFileError(error, path).code };
    }
  }
  const smaps = files[`${pid}/smaps`];
  const pagemap: [number, string][] = [];
  const pfns = new Set<number>();
  if (typeof smaps === 'string') {
    const scan = new PagemapReader(reader, pid);
    for (const v of parseLiveVmas(smaps, 'smaps').vmas) {
      if (!v.fields.Rss && !v.fields.Swap) continue;
      scan.scan(Number(BigInt(v.start) >> 12n), Number(BigInt(v.end) >> 12n), (words, count, first) => {
        for (let i = 0; i < count; i++) {
          const hi = words[2 * i + 1]!;
          if (!(hi & (PM_PRESENT_HI | PM_SWAP_HI))) continue;
          const lo = words[2 * i]!;
          pagemap.push([first + i, `0x${((BigInt(hi) << 32n) | BigInt(lo)).toString(16)}`]);
          if (hi & PM_PRESENT_HI && pfnOf(lo, hi)) pfns.add(pfnOf(lo, hi));
        }
      });
    }
  }
  files[`${pid}/pagemap`] = { length: PAGEMAP_ENTRIES, u64: pagemap };
  for (const name of ['kpagecount', 'kpageflags']) {
    const u64: [number, string][] = [];
    const bytes = new Uint8Array(8);
    const view = new DataView(bytes.buffer);
    try {
      for (const pfn of [...pfns].sort((a, b) => a - b)) {
        if (reader.readAt(name, pfn * 8, bytes) === 8) u64.push([pfn, `0x${view.getBigUint64(0, true).toString(16)}`]);
      }
      files[name] = { length: 2 ** 40, u64 };
    } catch (error) {
      files[name] = { error: asProcFileError(error, name).code };
    }
  }
  return { pid, files };
}

/** A reader over a recorded process (JSON.parse of a recordProcess result). */
export function recordedReader(recorded: RecordedProcess): RecordedProcReader {
  const files: [string, RecordedFile][] = Object.entries(recorded.files).map(([path, f]) => {
    if (typeof f === 'string' || 'error' in f) return [path, f];
    const sparse: SparseU64File = { kind: 'u64', length: f.length, entries: new Map(f.u64.map(([i, v]) => [i, BigInt(v)])) };
    return [path, sparse];
  });
  return new RecordedProcReader(files, recorded.users ?? {});
}
