// The reader's errors, and a reader over recorded files for tests and snapshots.
import type { ProcErrorCode, ProcReader } from './types';

const DESCRIPTIONS: Readonly<Record<ProcErrorCode, string>> = {
  ENOENT: 'no such process (it exited, or the file does not exist)',
  ESRCH: 'no such process (it exited while it was read)',
  EACCES: 'permission denied (ptrace access mode, or hidepid)',
  EPERM: 'operation not permitted (ptrace access mode)',
  EMPTY: 'empty (the process exited, or has no address space: a kernel thread or a zombie)',
  EIO: 'input/output error',
  EINVAL: 'invalid argument',
  EOTHER: 'cannot be read',
};

/** A /proc file that could not be read. The message is one line naming the pid and the file. */
export class ProcFileError extends Error {
  override readonly name = 'ProcFileError';
  constructor(
    /** The file, "/proc/1234/smaps". */
    readonly file: string,
    readonly code: ProcErrorCode,
    /** The process, when the file belongs to one. */
    readonly pid?: number,
    detail?: string,
  ) {
    const system = pid === undefined && (code === 'EACCES' || code === 'EPERM') ? 'permission denied (reading it needs root: CAP_SYS_ADMIN)' : undefined;
    super(`${pid !== undefined ? `pid ${pid} (${file})` : file}: ${detail ?? system ?? DESCRIPTIONS[code]}${code === 'EOTHER' || code === 'EMPTY' ? '' : ` (${code})`}`);
  }
}

/** The pid a /proc path belongs to ("1234/smaps" → 1234). */
export function pidOfPath(path: string): number | undefined {
  const m = /^(\d+)\//.exec(path);
  return m ? Number(m[1]) : undefined;
}

/** Maps an errno code (Node's error.code) to a ProcErrorCode. */
export function procErrorCode(code: string | undefined): ProcErrorCode {
  switch (code) {
    case 'ENOENT': case 'ESRCH': case 'EACCES': case 'EPERM': case 'EIO': case 'EINVAL':
      return code;
    default:
      return 'EOTHER';
  }
}

/** Wraps whatever a reader threw into a ProcFileError for `path`. */
export function asProcFileError(error: unknown, path: string): ProcFileError {
  if (error instanceof ProcFileError) return error;
  const code = (error as { code?: string } | undefined)?.code;
  const kind = procErrorCode(code);
  return new ProcFileError(`/proc/${path}`, kind, pidOfPath(path), kind === 'EOTHER' ? String((error as Error | undefined)?.message ?? error).split('\n')[0] : undefined);
}

/**
 * A recorded binary /proc file: an array of 64-bit entries (pagemap, kpagecount, kpageflags),
 * sparse — indexes that are not listed read as 0, as pagemap reads unmapped pages.
 */
export interface SparseU64File {
  readonly kind: 'u64';
  /** Entry index → value. */
  readonly entries: ReadonlyMap<number, bigint>;
  /** Entries in the file (reads past it return 0 bytes). */
  readonly length: number;
}

/** What a recorded path holds: text, a binary sparse array, or the error reading it gave. */
export type RecordedFile = string | SparseU64File | { readonly error: ProcErrorCode };

/** A ProcReader over recorded files, for tests and for snapshots taken with recordProcess. */
export class RecordedProcReader implements ProcReader {
  private readonly files: Map<string, RecordedFile>;
  /** Sorted indexes of each sparse file's entries, so that a read costs its entries, not its length. */
  private readonly keys = new WeakMap<SparseU64File, Float64Array>();
  /** Signals sent, in order, for tests of "freeze while reading". */
  readonly signals: string[] = [];
  /** Called before each read, so a test can make a process vanish mid-read. */
  beforeRead?: (path: string) => void;

  constructor(files: Iterable<[string, RecordedFile]> | Record<string, RecordedFile>, private readonly users: Readonly<Record<number, string>> = {}) {
    this.files = new Map(Symbol.iterator in files ? (files as Iterable<[string, RecordedFile]>) : Object.entries(files));
  }

  /** Replaces (or removes, with undefined) one recorded file. */
  set(path: string, file: RecordedFile | undefined): void {
    if (file === undefined) this.files.delete(path);
    else this.files.set(path, file);
  }

  private get(path: string): string | SparseU64File {
    this.beforeRead?.(path);
    const file = this.files.get(path);
    if (file === undefined) throw new ProcFileError(`/proc/${path}`, 'ENOENT', pidOfPath(path));
    if (typeof file === 'object' && 'error' in file) throw new ProcFileError(`/proc/${path}`, file.error, pidOfPath(path));
    return file as string | SparseU64File;
  }

  readText(path: string): string {
    const file = this.get(path);
    if (typeof file !== 'string') throw new ProcFileError(`/proc/${path}`, 'EINVAL', pidOfPath(path), 'a binary file, not text');
    return file;
  }

  readAt(path: string, offset: number, into: Uint8Array): number {
    const file = this.get(path);
    if (typeof file === 'string') throw new ProcFileError(`/proc/${path}`, 'EINVAL', pidOfPath(path), 'a text file, not an array of 64-bit entries');
    if (offset % 8 !== 0 || into.length % 8 !== 0) throw new ProcFileError(`/proc/${path}`, 'EINVAL', pidOfPath(path));
    const first = offset / 8;
    const count = Math.max(0, Math.min(into.length / 8, file.length - first));
    into.fill(0, 0, count * 8);
    let keys = this.keys.get(file);
    if (!keys) {
      keys = Float64Array.from(file.entries.keys()).sort();
      this.keys.set(file, keys);
    }
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid]! < first) lo = mid + 1;
      else hi = mid;
    }
    const view = new DataView(into.buffer, into.byteOffset, count * 8);
    for (let k = lo; k < keys.length && keys[k]! < first + count; k++) view.setBigUint64((keys[k]! - first) * 8, file.entries.get(keys[k]!)!, true);
    return count * 8;
  }

  listPids(): number[] {
    const pids = new Set<number>();
    for (const path of this.files.keys()) {
      const pid = pidOfPath(path);
      if (pid !== undefined) pids.add(pid);
    }
    return [...pids].sort((a, b) => a - b);
  }

  userName(uid: number): string | undefined {
    return this.users[uid];
  }

  signal(pid: number, signal: 'SIGSTOP' | 'SIGCONT'): void {
    this.signals.push(`${signal} ${pid}`);
  }
}
