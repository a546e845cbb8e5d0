import { constants } from 'node:fs';
import { access, open, stat, statfs, type FileHandle } from 'node:fs/promises';
import type { BigIntStats } from 'node:fs';
import { splitDeviceNumber, type FileAccess, type FileIdentity } from '../../simulator/elf/file-access';
import { describeOpenError, noExecPermission, PSEUDO_FILESYSTEMS, refusalOf, type FileKind, type OpenPurpose } from '../../simulator/loader/open-refusal';

/** O_NONBLOCK: opening a FIFO (or a device) never waits for a writer; every read is async (the event loop never blocks). */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;

/** The file type of an fstat, with /dev/zero (1:5) and /proc or /sys files told apart. */
async function fileKindOf(st: BigIntStats, path: string): Promise<FileKind> {
  if (st.isFile()) return PSEUDO_FILESYSTEMS.includes(Number((await statfs(path).catch(() => ({ type: 0 }))).type)) ? 'proc' : 'regular';
  if (st.isDirectory()) return 'directory';
  if (st.isFIFO()) return 'fifo';
  if (st.isSocket()) return 'socket';
  if (st.isBlockDevice()) return 'block device';
  if (st.isCharacterDevice()) return st.rdev === 0x105n ? 'dev/zero' : 'character device';
  return 'symbolic link';
}

/** A FileAccess with range reads through a node file handle, and the device and inode maps prints. */
export class NodeFileAccess implements FileAccess {
  private constructor(
    readonly name: string,
    private readonly handle: FileHandle,
    readonly size: number,
    private readonly ident: FileIdentity,
    readonly kind: FileKind,
  ) {}

  /** Opens without blocking, fstats the descriptor and refuses what Linux refuses for `purpose`. */
  static async open(path: string, purpose: OpenPurpose = 'read'): Promise<NodeFileAccess> {
    let handle: FileHandle;
    try {
      // may_open: with MAY_EXEC a FIFO or socket is refused before it is opened
      if (purpose === 'exec') {
        const st = await stat(path, { bigint: true });
        const refusal = refusalOf(await fileKindOf(st, path), purpose, path);
        if (refusal) throw refusal;
        // inode_permission(MAY_EXEC) and path_noexec, as access(X_OK) checks them for this user.
        if (!(await access(path, constants.X_OK).then(() => true, () => false))) throw noExecPermission(path, Number(st.mode));
      }
      handle = await open(path, OPEN_FLAGS);
    } catch (error) {
      throw describeOpenError(path, error);
    }
    try {
      const st = await handle.stat({ bigint: true });
      const kind = await fileKindOf(st, path);
      const refusal = refusalOf(kind, purpose, path);
      if (refusal) throw refusal;
      return new NodeFileAccess(path, handle, kind === 'dev/zero' ? 0 : Number(st.size), { ...splitDeviceNumber(st.dev), inode: Number(st.ino) }, kind);
    } catch (error) {
      await handle.close();
      throw describeOpenError(path, error);
    }
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const buffer = new Uint8Array(length);
    let done = 0;
    try {
      while (done < length) {
        const { bytesRead } = await this.handle.read(buffer, done, length - done, offset + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
    } catch (error) {
      throw describeOpenError(this.name, error);
    }
    return done === length ? buffer : buffer.subarray(0, done);
  }

  identity(): Promise<FileIdentity | undefined> {
    return Promise.resolve(this.ident);
  }

  close(): void {
    void this.handle.close().catch(() => undefined);
  }
}
