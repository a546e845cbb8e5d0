import * as vscode from 'vscode';
import type { FileAccess, FileIdentity } from '../../simulator/elf/file-access';

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

  static async open(uri: vscode.Uri): Promise<WorkspaceFileAccess> {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type & vscode.FileType.Directory) throw new Error(`${uri.toString(true)}: is a directory (EISDIR)`);
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
