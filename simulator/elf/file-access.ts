/** Identity of a file as the kernel would print it in /proc/PID/maps. */
export interface FileIdentity {
  /** Device major number (as `MAJOR(s_dev)`). */
  readonly major: number;
  /** Device minor number (as `MINOR(s_dev)`). */
  readonly minor: number;
  readonly inode: number;
}

/**
 * The one door through which the simulator reads files. The CLI backs it with
 * `node:fs`, the extension with `workspace.fs`, tests with bytes in memory.
 */
export interface FileAccess {
  /** A name for messages (a path or URI). */
  readonly name: string;
  readonly size: number;
  /** Reads `length` bytes at `offset`; never past the end (the caller checks). */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Device and inode, or undefined where the backing store has none. */
  identity(): Promise<FileIdentity | undefined>;
}

/** A FileAccess over bytes already in memory. */
export class MemoryFileAccess implements FileAccess {
  readonly size: number;
  constructor(
    readonly name: string,
    private readonly bytes: Uint8Array,
    private readonly fileIdentity?: FileIdentity,
  ) {
    this.size = bytes.length;
  }

  read(offset: number, length: number): Promise<Uint8Array> {
    return Promise.resolve(this.bytes.subarray(offset, offset + length));
  }

  identity(): Promise<FileIdentity | undefined> {
    return Promise.resolve(this.fileIdentity);
  }
}

/** Splits a Linux `dev_t` as glibc's `gnu_dev_major`/`gnu_dev_minor` do. */
export function splitDeviceNumber(dev: bigint): { major: number; minor: number } {
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  return { major: Number(major & 0xffffffffn), minor: Number(minor & 0xffffffffn) };
}
