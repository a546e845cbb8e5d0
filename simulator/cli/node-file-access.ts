// The only place in simulator/ that touches node:fs: the CLI's FileAccess.
import { accessSync, closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, readlinkSync, readSync, realpathSync, statfsSync, statSync, writeFileSync, type BigIntStats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { splitDeviceNumber, type FileAccess, type FileIdentity } from '../elf/file-access';
import type { FileSystem, OpenedFile } from '../loader/file-system';
import type { ScenarioFiles } from '../scenario/prepare';
import { describeOpenError, noExecPermission, OpenRefusal, PSEUDO_FILESYSTEMS, refusalOf, type FileKind, type OpenPurpose } from '../loader/open-refusal';
import { pathInRoot, resolveInRoot, type LinkLookup } from '../loader/resolve-in-root';

/** O_NONBLOCK: opening a FIFO (or a device) must never wait for a writer. */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY; // libuv adds O_CLOEXEC

/** The file type of an fstat, with /dev/zero (1:5) and /proc or /sys files told apart. */
export function fileKindOf(st: BigIntStats, path: string): FileKind {
  if (st.isFile()) return isPseudoFile(path) ? 'proc' : 'regular';
  if (st.isDirectory()) return 'directory';
  if (st.isFIFO()) return 'fifo';
  if (st.isSocket()) return 'socket';
  if (st.isBlockDevice()) return 'block device';
  if (st.isCharacterDevice()) return st.rdev === 0x105n ? 'dev/zero' : 'character device';
  return 'symbolic link';
}

function isPseudoFile(path: string): boolean {
  try {
    return PSEUDO_FILESYSTEMS.includes(Number(statfsSync(path).type));
  } catch {
    return false;
  }
}

function mayExecute(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export class NodeFileAccess implements FileAccess {
  private constructor(
    readonly name: string,
    private readonly fd: number,
    readonly size: number,
    private readonly ident: FileIdentity,
    readonly kind: FileKind,
  ) {}

  /** Opens without blocking, fstats the descriptor and refuses what Linux refuses for `purpose`. */
  static open(path: string, purpose: OpenPurpose = 'read'): NodeFileAccess {
    let fd: number;
    try {
      // may_open: with MAY_EXEC a FIFO or socket is refused before it is opened (a socket would give ENXIO)
      if (purpose === 'exec') {
        const st = statSync(path, { bigint: true });
        const refusal = refusalOf(fileKindOf(st, path), purpose, path);
        if (refusal) throw refusal;
        // inode_permission(MAY_EXEC) and path_noexec, as access(X_OK) checks them for this user.
        if (!mayExecute(path)) throw noExecPermission(path, Number(st.mode));
      }
      fd = openSync(path, OPEN_FLAGS);
    } catch (error) {
      throw describeOpenError(path, error);
    }
    try {
      const st = fstatSync(fd, { bigint: true });
      const kind = fileKindOf(st, path);
      const refusal = refusalOf(kind, purpose, path);
      if (refusal) throw refusal;
      return new NodeFileAccess(path, fd, kind === 'dev/zero' ? 0 : Number(st.size), { ...splitDeviceNumber(st.dev), inode: Number(st.ino) }, kind);
    } catch (error) {
      closeSync(fd);
      throw describeOpenError(path, error);
    }
  }

  read(offset: number, length: number): Promise<Uint8Array> {
    const buffer = new Uint8Array(length);
    let done = 0;
    try {
      while (done < length) {
        const n = readSync(this.fd, buffer, done, length - done, offset + done);
        if (n === 0) break;
        done += n;
      }
    } catch (error) {
      return Promise.reject(describeOpenError(this.name, error));
    }
    return Promise.resolve(done === length ? buffer : buffer.subarray(0, done));
  }

  identity(): Promise<FileIdentity | undefined> {
    return Promise.resolve(this.ident);
  }

  /** The whole file as UTF-8, read synchronously (the caller bounded its size). */
  textSync(): string {
    const buffer = Buffer.alloc(this.size);
    let done = 0;
    while (done < this.size) {
      const n = readSync(this.fd, buffer, done, this.size - done, done);
      if (n === 0) break;
      done += n;
    }
    return buffer.toString('utf8', 0, done);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** The host's files, seen from inside a sysroot as a chrooted process would see them. */
export class NodeFileSystem implements FileSystem {
  private readonly root: string;

  constructor(root = '/') {
    this.root = realpathSync(root);
  }

  async openProgram(path: string, purpose: 'exec' | 'map' = 'exec'): Promise<OpenedFile> {
    const absolute = absolutePath(path);
    // A program inside the sysroot follows the sysroot's own (absolute) symlinks.
    const inRoot = this.root !== '/' && absolute.startsWith(this.root + '/');
    const host = inRoot ? await resolveInRoot(this.root, absolute.slice(this.root.length), lookupLink) : canonical(absolute);
    const access = NodeFileAccess.open(host, purpose);
    return { access, path: pathInRoot(this.root, host), kind: access.kind };
  }

  async open(path: string): Promise<OpenedFile> {
    const host = path.startsWith('/') && this.root !== '/' ? await resolveInRoot(this.root, path, lookupLink) : canonical(absolutePath(path));
    return { access: NodeFileAccess.open(host), path: pathInRoot(this.root, host) };
  }
}

/**
 * A path made absolute without touching its `..` components: the kernel's path walk (link_path_walk)
 * follows a symlink before the `..` after it, so `dslink/../dep` is the parent of dslink's target,
 * not `./dep` as path.resolve would make it.
 */
function absolutePath(path: string): string {
  return path.startsWith('/') ? path : `${process.cwd()}/${path}`;
}

/** realpath(3) (libc's, which walks like the kernel; Node's own realpathSync simplifies `..` first), its errors (ELOOP, ENOENT, ENOTDIR) in strerror's words. */
function canonical(path: string): string {
  try {
    return realpathSync.native(path);
  } catch (error) {
    throw describeOpenError(path, error);
  }
}

const lookupLink: LinkLookup = (hostPath) => {
  try {
    const st = lstatSync(hostPath);
    return Promise.resolve(st.isSymbolicLink() ? { link: readlinkSync(hostPath) } : 'other');
  } catch {
    return Promise.resolve('missing');
  }
};

/** The most a scenario file may hold: a text read whole must have a bound. */
export const MAX_TEXT_FILE = 64 << 20;

/** A text file (a scenario), read whole: a regular file only, opened without blocking, at most MAX_TEXT_FILE bytes. */
export function readTextFile(path: string): string {
  const file = NodeFileAccess.open(path, 'read');
  try {
    if (file.kind !== 'regular') throw new OpenRefusal('EINVAL', path, 'not an ordinary file');
    if (file.size > MAX_TEXT_FILE) throw new OpenRefusal('EFBIG', path, `File too large: ${file.size} bytes, a scenario may hold ${MAX_TEXT_FILE}`);
    return file.textSync();
  } finally {
    file.close();
  }
}

/** Writes a text file the user named on the command line (asx twin -o FILE). */
export function writeTextFile(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    // A failed write (ENOSPC, EIO) names no path, unlike a failed open: the message should.
    const errno = error as NodeJS.ErrnoException;
    if (errno.code && !errno.path) errno.path = path;
    throw error;
  }
}

/** The target of a symbolic link (/proc/PID/exe), or undefined when it cannot be read. */
export function readLink(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

/** A file of this machine's such as /proc/cpuinfo or /proc/cmdline, or undefined where there is none (not Linux). */
export function readHostFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Resolves a scenario's PATHs against the scenario file's folder. */
export function scenarioPathResolver(scenarioFile: string): (path: string) => string {
  const folder = dirname(resolve(scenarioFile));
  // Not path.resolve: a `..` after a symlink is the kernel's to walk (see absolutePath).
  return (path) => (path.startsWith('/') ? path : `${folder}/${path}`);
}

/** The files a scenario on this machine reads: the host's, its PATHs relative to the scenario file (asx run, asx twin, the benches). */
export function scenarioFilesOnDisk(scenarioFile: string): ScenarioFiles {
  return { fs: new NodeFileSystem('/'), resolve: scenarioPathResolver(scenarioFile) };
}

/**
 * A mapped file named by a core, read for its program headers: only a regular file (a FIFO or a
 * device named by a hostile core must not block or be read), opened for each read and closed again
 * so that a core naming thousands of files holds no descriptors.
 */
function openMappedRegularFile(host: string): FileAccess | undefined {
  const st = statSync(host, { throwIfNoEntry: false, bigint: true });
  if (!st?.isFile()) return undefined;
  return {
    name: host,
    size: Number(st.size),
    identity: () => Promise.resolve({ ...splitDeviceNumber(st.dev), inode: Number(st.ino) }),
    read(offset: number, length: number): Promise<Uint8Array> {
      const fd = openSync(host, OPEN_FLAGS);
      try {
        const buffer = new Uint8Array(length);
        const n = readSync(fd, buffer, 0, length, offset);
        return Promise.resolve(buffer.subarray(0, n));
      } finally {
        closeSync(fd);
      }
    },
  };
}

/** Opens the files a core names (by absolute path, under `sysroot`), or resolves undefined. */
export function mappedFileOpener(sysroot = '/'): (path: string) => Promise<FileAccess | undefined> {
  const root = realpathSync(sysroot);
  return (mapped) => {
    if (!mapped.startsWith('/')) return Promise.resolve(undefined);
    try {
      return Promise.resolve(openMappedRegularFile(root === '/' ? mapped : join(root, mapped)));
    } catch {
      return Promise.resolve(undefined);
    }
  };
}
