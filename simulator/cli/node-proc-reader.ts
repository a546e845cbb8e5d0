// The Node-backed ProcReader: /proc through node:fs (the CLI and the desktop extension host).
// Reads only; the one thing it may send is SIGSTOP/SIGCONT, when "freeze while reading" asks.
import { closeSync, constants, fstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { asProcFileError } from '../live/proc-reader';
import type { ProcReader } from '../live/types';

/** O_NONBLOCK: a recorded /proc root may hold a FIFO or a device where a file was expected. */
const PROC_OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;
/** The most a /proc text is read to: smaps of 65,530 VMAs is about 100 MiB. */
const MAX_PROC_TEXT = 512 << 20;

export class NodeProcReader implements ProcReader {
  private readonly fds = new Map<string, number>();
  private passwd?: Map<number, string>;

  constructor(private readonly root = '/proc') {}

  /**
   * One 1 MiB buffer for every text read, decoded a chunk at a time and joined: /proc files report
   * size 0, and a buffer grown by doubling to hold 45 MB of smaps (64,000 VMAs) cost twice the
   * time in copies and first-touch page faults.
   */
  private readonly chunk = Buffer.allocUnsafe(1 << 20);

  readText(path: string): string {
    let fd: number | undefined;
    try {
      fd = openSync(`${this.root}/${path}`, PROC_OPEN_FLAGS);
      if (!fstatSync(fd).isFile()) throw Object.assign(new Error(`${path}: not a regular file`), { code: 'EINVAL' });
      const parts: string[] = [];
      let total = 0;
      for (;;) {
        let done = 0;
        while (done < this.chunk.length) {
          const n = readSync(fd, this.chunk, done, this.chunk.length - done, null);
          if (n === 0) break;
          done += n;
        }
        if (done > 0) parts.push(this.chunk.toString('latin1', 0, done));
        total += done;
        if (done < this.chunk.length) break;
        if (total >= MAX_PROC_TEXT) throw Object.assign(new Error(`${path}: over ${MAX_PROC_TEXT >> 20} MiB: not a /proc file`), { code: 'EFBIG' });
      }
      return parts.length === 1 ? parts[0]! : parts.join('');
    } catch (error) {
      throw asProcFileError(error, path);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  readAt(path: string, offset: number, into: Uint8Array): number {
    try {
      let fd = this.fds.get(path);
      if (fd === undefined) {
        fd = openSync(`${this.root}/${path}`, PROC_OPEN_FLAGS);
        this.fds.set(path, fd);
      }
      let done = 0;
      while (done < into.length) {
        const n = readSync(fd, into, done, into.length - done, offset + done);
        if (n === 0) break;
        done += n;
      }
      return done;
    } catch (error) {
      throw asProcFileError(error, path);
    }
  }

  listPids(): number[] {
    return readdirSync(this.root).filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b);
  }

  userName(uid: number): string | undefined {
    if (!this.passwd) {
      this.passwd = new Map();
      try {
        for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
          const [name, , id] = line.split(':');
          if (name && id && /^\d+$/.test(id) && !this.passwd.has(Number(id))) this.passwd.set(Number(id), name);
        }
      } catch {
        // No passwd database: uids stay numbers.
      }
    }
    return this.passwd.get(uid);
  }

  signal(pid: number, signal: 'SIGSTOP' | 'SIGCONT'): void {
    process.kill(pid, signal);
  }

  /** Closes the pagemap and kpage files it holds open. */
  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }
}
