import * as vscode from 'vscode';
import type { FileSystem, OpenedFile } from '../../simulator/loader/file-system';
import type { ScenarioFiles } from '../../simulator/scenario/prepare';
import type { FileOpener, HostFile } from '../files/file-opener';
import { sysrootUri } from '../settings';

/**
 * The files a scenario document sees: its PATHs relative to the document's folder (any URI
 * scheme, so it works in VS Code for the Web), and absolute in-machine paths (PT_INTERP,
 * libraries) inside the configured sysroot. Files stay open until dispose().
 */
export class ScenarioFileSystem implements FileSystem, ScenarioFiles, vscode.Disposable {
  readonly fs: FileSystem = this;
  private readonly opened: HostFile[] = [];
  private readonly folder: vscode.Uri;
  private readonly sysroot: vscode.Uri;

  /** `baseFolder` replaces the document's own folder, for documents that have none (untitled). */
  constructor(
    scenario: vscode.Uri,
    private readonly opener: FileOpener,
    baseFolder?: vscode.Uri,
  ) {
    this.folder = baseFolder ?? vscode.Uri.joinPath(scenario, '..');
    this.sysroot = sysrootUri(baseFolder ?? scenario);
  }

  /** A scenario PATH as the URI path of the file it names. */
  resolve(path: string): string {
    // Not Uri.joinPath, which simplifies `..` as text: the kernel walks `dslink/../dep` through the symlink.
    return path.startsWith('/') ? path : `${this.folder.path.replace(/\/+$/, '')}/${path}`;
  }

  openProgram(path: string, purpose: 'exec' | 'map' = 'exec'): Promise<OpenedFile> {
    return this.keep(this.opener.openProgram(this.folder.with({ path }), purpose));
  }

  open(path: string): Promise<OpenedFile> {
    return this.keep(this.opener.openInSysroot(this.sysroot, path));
  }

  dispose(): void {
    for (const file of this.opened.splice(0)) file.dispose();
  }

  private async keep(pending: Promise<HostFile>): Promise<OpenedFile> {
    const file = await pending;
    this.opened.push(file);
    return file;
  }
}
