import * as vscode from 'vscode';
import type { OpenPurpose } from '../../simulator/loader/open-refusal';
import type { FileOpener, HostFile } from './file-opener';
import { WorkspaceFileAccess } from './workspace-file-access';

async function open(uri: vscode.Uri, path: string, purpose: OpenPurpose = 'read'): Promise<HostFile> {
  return { access: await WorkspaceFileAccess.open(uri, purpose), path, dispose: () => undefined };
}

/** Files through workspace.fs: symlinks are followed by the file system, so paths print as given. */
export const workspaceFileOpener: FileOpener = {
  openProgram: (uri, purpose) => open(uri, uri.scheme === 'file' ? uri.fsPath : uri.path, purpose),
  openInSysroot: (sysroot, path) => open(vscode.Uri.joinPath(sysroot, path), path),
  // A web host cannot see its machine's CPU: the simulated one is the reference machine.
  cpuinfo: () => Promise.resolve(undefined),
};
