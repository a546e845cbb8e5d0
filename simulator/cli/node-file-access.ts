// The only place in simulator/ that touches node:fs: the CLI's FileAccess.
import { closeSync, fstatSync, lstatSync, openSync, readFileSync, readlinkSync, readSync, realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { splitDeviceNumber, type FileAccess, type FileIdentity } from '../elf/file-access';
import type { FileSystem, OpenedFile } from '../loader/file-system';

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

  openProgram(path: string): Promise<OpenedFile> {
    const absolute = resolve(path);
    // A program inside the sysroot follows the sysroot's own (absolute) symlinks.
    const inRoot = this.root !== '/' && absolute.startsWith(this.root + '/');
    const host = inRoot ? resolveInsideRoot(this.root, absolute.slice(this.root.length)) : realpathSync(absolute);
    return Promise.resolve({ access: NodeFileAccess.open(host), path: this.pathInRoot(host) });
  }

  open(path: string): Promise<OpenedFile> {
    const host = path.startsWith('/') && this.root !== '/' ? resolveInsideRoot(this.root, path) : realpathSync(resolve(path));
    return Promise.resolve({ access: NodeFileAccess.open(host), path: this.pathInRoot(host) });
  }

  private pathInRoot(host: string): string {
    if (this.root === '/') return host;
    return host.startsWith(this.root + '/') ? host.slice(this.root.length) : host;
  }
}

/** Resolves an absolute path inside `root`, following symlinks as if `root` were `/`. */
function resolveInsideRoot(root: string, path: string): string {
  const parts = path.split('/').filter(Boolean);
  const done: string[] = [];
  let hops = 0;
  while (parts.length) {
    const part = parts.shift() as string;
    if (part === '.') continue;
    if (part === '..') {
      done.pop();
      continue;
    }
    const candidate = resolve(root, ...done, part);
    let isLink: boolean;
    try {
      isLink = lstatSync(candidate).isSymbolicLink();
    } catch {
      throw new Error(`${path}: no such file or directory in sysroot ${root} (ENOENT)`);
    }
    if (!isLink) {
      done.push(part);
      continue;
    }
    if (++hops > 40) throw new Error(`${path}: too many levels of symbolic links (ELOOP)`);
    const target = readlinkSync(candidate);
    if (target.startsWith('/')) done.length = 0;
    parts.unshift(...target.split('/').filter(Boolean));
  }
  return resolve(root, ...done);
}

/** A text file (a scenario), read whole. */
export function readTextFile(path: string): string {
  return readFileSync(path, 'utf8');
}

/** Resolves a scenario's PATHs against the scenario file's folder. */
export function scenarioPathResolver(scenarioFile: string): (path: string) => string {
  const folder = dirname(resolve(scenarioFile));
  return (path) => resolve(folder, path);
}
