import type * as vscode from 'vscode';
import type { FileSystem, OpenedFile } from '../../simulator/loader/file-system';
import type { FileOpener, HostFile } from './file-opener';
import { placeholderInterpreter } from './placeholder-interpreter';

/**
 * The files one simulated execve sees: the document as the program, and PT_INTERP looked up in
 * the sysroot. An interpreter that cannot be found is replaced by a one-page placeholder so the
 * program's own layout can still be shown; `missingInterpreter` then says what was looked for.
 * Only execve's open gets the placeholder: ld.so's lookups go through `forLoader()`.
 */
export class ExecFileSystem implements FileSystem {
  private readonly opened: HostFile[] = [];
  missingInterpreter?: { path: string; reason: string };

  constructor(
    private readonly program: OpenedFile,
    private readonly sysroot: vscode.Uri,
    private readonly opener: FileOpener,
  ) {}

  openProgram(): Promise<OpenedFile> {
    return Promise.resolve(this.program);
  }

  async open(path: string): Promise<OpenedFile> {
    try {
      return await this.openInSysroot(path);
    } catch (error) {
      this.missingInterpreter = { path, reason: error instanceof Error ? error.message : String(error) };
      return placeholderInterpreter(path);
    }
  }

  /**
   * The same files for ld.so after execve: a missing file fails as open(2) would, so that the
   * library search goes on to its next directory. Files it opens are released by dispose().
   */
  forLoader(): FileSystem {
    return { openProgram: () => this.openProgram(), open: (path) => this.openInSysroot(path) };
  }

  private async openInSysroot(path: string): Promise<OpenedFile> {
    const file = await this.opener.openInSysroot(this.sysroot, path);
    this.opened.push(file);
    return file;
  }

  dispose(): void {
    for (const file of this.opened.splice(0)) file.dispose();
  }
}
