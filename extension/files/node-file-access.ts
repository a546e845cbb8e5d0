import { open, type FileHandle } from 'node:fs/promises';
import { splitDeviceNumber, type FileAccess, type FileIdentity } from '../../simulator/elf/file-access';

/** A FileAccess with range reads through a node file handle, and the device and inode maps prints. */
export class NodeFileAccess implements FileAccess {
  private constructor(
    readonly name: string,
    private readonly handle: FileHandle,
    readonly size: number,
    private readonly ident: FileIdentity,
  ) {}

  static async open(path: string): Promise<NodeFileAccess> {
    const handle = await open(path, 'r');
    try {
      const st = await handle.stat({ bigint: true });
      if (!st.isFile()) throw new Error(`${path}: not a regular file (EACCES)`);
      return new NodeFileAccess(path, handle, Number(st.size), { ...splitDeviceNumber(st.dev), inode: Number(st.ino) });
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const buffer = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.handle.read(buffer, done, length - done, offset + done);
      if (bytesRead === 0) break;
      done += bytesRead;
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
