import * as vscode from 'vscode';
import type { FileAccess, FileIdentity } from '../../simulator/elf/file-access';
import { refusalOf, type FileKind, type OpenPurpose } from '../../simulator/loader/open-refusal';

/**
 * A FileAccess over any file system VS Code can read (file, vscode-remote, vscode-vfs, …).
 * workspace.fs has no range reads, so the first read fetches the file once.
 */
export class WorkspaceFileAccess implements FileAccess {
  private bytes?: Thenable<Uint8Array>;

  private constructor(
    private readonly uri: vscode.Uri,
    readonly size: number,
  ) {}

  get name(): string {
    return this.uri.scheme === 'file' ? this.uri.fsPath : this.uri.toString(true);
  }

  /**
   * Refuses what Linux refuses for `purpose` before any read (a FIFO's readFile would wait for a
   * writer): workspace.fs tells only files and directories apart, and FileType.Unknown is a FIFO,
   * socket or device. It has no execute bits: the x-bit check is the Node host's.
   */
  static async open(uri: vscode.Uri, purpose: OpenPurpose = 'read'): Promise<WorkspaceFileAccess> {
    const stat = await vscode.workspace.fs.stat(uri);
    const kind: FileKind = stat.type & vscode.FileType.Directory ? 'directory' : stat.type & vscode.FileType.File ? 'regular' : 'special file';
    const refusal = refusalOf(kind, purpose, uri.scheme === 'file' ? uri.fsPath : uri.toString(true));
    if (refusal) throw refusal;
    return new WorkspaceFileAccess(uri, stat.size);
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    this.bytes ??= vscode.workspace.fs.readFile(this.uri);
    return (await this.bytes).subarray(offset, offset + length);
  }

  identity(): Promise<FileIdentity | undefined> {
    return Promise.resolve(undefined);
  }
}
