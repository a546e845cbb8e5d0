// What the kernel (and the tools) refuse when a file that is not a regular file is opened:
// pure rules shared by the CLI's node:fs door and the extension host's.

/** Why a file is opened: `exec` (execve), `map` (mmap … file) or `read` (readelf, ld.so, a core). */
export type OpenPurpose = 'exec' | 'map' | 'read';

/** The file type fstat reports (S_IFMT), with /dev/zero told apart (mmap_zero maps it). */
export type FileKind = 'regular' | 'directory' | 'fifo' | 'socket' | 'character device' | 'block device' | 'symbolic link' | 'dev/zero' | 'proc' | 'special file';

/** strerror(3)'s words for the errnos a file open can end with. */
export const STRERROR: Readonly<Record<string, string>> = {
  EACCES: 'Permission denied',
  ENODEV: 'No such device',
  ENXIO: 'No such device or address',
  EISDIR: 'Is a directory',
  ENOENT: 'No such file or directory',
  ELOOP: 'Too many levels of symbolic links',
  ENOTDIR: 'Not a directory',
  EPERM: 'Operation not permitted',
  ENAMETOOLONG: 'File name too long',
  EMFILE: 'Too many open files',
  EAGAIN: 'Resource temporarily unavailable',
  EINVAL: 'Invalid argument',
  EIO: 'Input/output error',
  ESPIPE: 'Illegal seek',
  EFBIG: 'File too large',
  ENOEXEC: 'Exec format error',
};

/** A refused open: the errno and a reason in strerror's words. */
export class OpenRefusal extends Error {
  constructor(
    readonly errno: string,
    readonly path: string,
    readonly reason: string,
    /** The file type that was refused, when it was opened and fstat'd. */
    readonly kind?: FileKind,
  ) {
    super(`${path}: ${reason} (${errno})`);
  }
}

/**
 * The refusal for a file of `kind` opened for `purpose`, or undefined when it may be opened:
 * do_open_execat refuses anything but a regular file with EACCES; mmap of a file whose
 * file_operations has no ->mmap (FIFO, directory, most devices, /proc files) fails with ENODEV,
 * /dev/zero has mmap_zero; readelf and ld.so read only ordinary files.
 */
export function refusalOf(kind: FileKind, purpose: OpenPurpose, path: string): OpenRefusal | undefined {
  if (purpose === 'exec') return kind === 'regular' ? undefined : new OpenRefusal('EACCES', path, `Permission denied: a ${describeKind(kind)} cannot be executed`, kind);
  if (purpose === 'map') {
    if (kind === 'regular' || kind === 'dev/zero' || kind === 'block device') return undefined;
    return new OpenRefusal('ENODEV', path, `No such device: a ${describeKind(kind)} cannot be mapped`, kind);
  }
  if (kind === 'regular' || kind === 'proc') return undefined;
  if (kind === 'directory') return new OpenRefusal('EISDIR', path, 'Is a directory', kind);
  return new OpenRefusal('EINVAL', path, `not an ordinary file: a ${describeKind(kind)}`, kind);
}

/**
 * execve of a regular file the caller may not execute: may_open → inode_permission(MAY_EXEC)
 * (root too needs one of the x bits, generic_permission), or a noexec mount (path_noexec): EACCES.
 */
export function noExecPermission(path: string, mode?: number): OpenRefusal {
  const bits = mode === undefined ? '' : ` (mode ${(mode & 0o7777).toString(8).padStart(4, '0')})`;
  return new OpenRefusal('EACCES', path, `Permission denied: the file may not be executed${bits}`, 'regular');
}

function describeKind(kind: FileKind): string {
  if (kind === 'dev/zero') return 'character device';
  if (kind === 'proc') return '/proc or /sys file';
  return kind;
}

/** A node:fs error ("ELOOP: too many symbolic links…, open 'x'") as one line in strerror's words. */
export function describeOpenError(path: string, error: unknown): Error {
  if (error instanceof OpenRefusal) return error;
  const code = (error as { code?: unknown } | undefined)?.code;
  const words = typeof code === 'string' ? STRERROR[code] : undefined;
  if (words) return new OpenRefusal(code as string, path, words);
  const message = error instanceof Error ? error.message : String(error);
  return new Error(`${path}: ${message.split('\n')[0]}`);
}

/** PROC_SUPER_MAGIC and SYSFS_MAGIC (include/uapi/linux/magic.h): files whose size is not their contents. */
export const PSEUDO_FILESYSTEMS: readonly number[] = [0x9fa0, 0x62656572];

/**
 * What ld.so's open_verify says of a refused file (it opens without O_NONBLOCK and reads 832 bytes):
 * a directory's read fails with EISDIR, /dev/zero reads zeros, a FIFO or /dev/null reads nothing
 * (a FIFO with no writer would block ld.so; opened here without blocking it reads as empty);
 * an open that fails is "cannot open shared object file". Undefined: not found, search on.
 */
export function rtldWordsFor(error: unknown): string | undefined {
  if (!(error instanceof OpenRefusal) || error.errno === 'ENOENT' || error.errno === 'ENOTDIR') return undefined;
  if (error.kind === 'directory') return 'cannot read file data: Is a directory';
  if (error.kind === 'fifo') return 'file too short';
  if (error.kind === 'dev/zero' || error.kind === 'character device') return 'invalid ELF header';
  return `cannot open shared object file: ${STRERROR[error.errno] ?? error.errno}`;
}
