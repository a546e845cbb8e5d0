// The only place in simulator/ that touches node:fs: the CLI's FileAccess.
import { closeSync, fstatSync, lstatSync, openSync, readFileSync, readlinkSync, readSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { splitDeviceNumber, type FileAccess, type FileIdentity } from '../elf/file-access';
import type { FileSystem, OpenedFile } from '../loader/file-system';
import { pathInRoot, resolveInRoot, type LinkLookup } from '../loader/resolve-in-root';

export class NodeFileAccess implements FileAccess {
  private constructor(
    readonly name: string,
    private readonly fd: number,
    readonly size: number,
    private readonly ident: FileIdentity,
  ) {}

  static open(path: string): NodeFileAccess {
    const fd = openSync(path, 'r');
    const st = fstatSync(fd, { bigint: true });
    if (!st.isFile()) {
      closeSync(fd);
      throw new Error(`${path}: not a regular file (EACCES)`);
    }
    return new NodeFileAccess(path, fd, Number(st.size), { ...splitDeviceNumber(st.dev), inode: Number(st.ino) });
  }

  read(offset: number, length: number): Promise<Uint8Array> {
    const buffer = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, buffer, done, length - done, offset + done);
      if (n === 0) break;
      done += n;
    }
    return Promise.resolve(done === length ? buffer : buffer.subarray(0, done));
  }

  identity(): Promise<FileIdentity | undefined> {
    return Promise.resolve(this.ident);
  }
}

/** The host's files, seen from inside a sysroot as a chrooted process would see them. */
export class NodeFileSystem implements FileSystem {
  private readonly root: string;

  constructor(root = '/') {
    this.root = realpathSync(root);
  }

  async openProgram(path: string): Promise<OpenedFile> {
    const absolute = resolve(path);
    // A program inside the sysroot follows the sysroot's own (absolute) symlinks.
    const inRoot = this.root !== '/' && absolute.startsWith(this.root + '/');
    const host = inRoot ? await resolveInRoot(this.root, absolute.slice(this.root.length), lookupLink) : realpathSync(absolute);
    return { access: NodeFileAccess.open(host), path: pathInRoot(this.root, host) };
  }

  async open(path: string): Promise<OpenedFile> {
    const host = path.startsWith('/') && this.root !== '/' ? await resolveInRoot(this.root, path, lookupLink) : realpathSync(resolve(path));
    return { access: NodeFileAccess.open(host), path: pathInRoot(this.root, host) };
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

/** A text file (a scenario), read whole. */
export function readTextFile(path: string): string {
  return readFileSync(path, 'utf8');
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
  return (path) => resolve(folder, path);
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
      const fd = openSync(host, 'r');
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
