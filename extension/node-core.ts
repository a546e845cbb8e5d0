// The core bundle of the desktop (Node) extension host, loaded by node.ts when something first needs it:
// file: URIs are read with node:fs range reads, and live processes through /proc.
import type * as vscode from 'vscode';
import { readLink } from '../simulator/cli/node-file-access';
import { NodeProcReader } from '../simulator/cli/node-proc-reader';
import { activateWith, type ExtensionCore } from './activate';
import { NodeFileAccess } from './files/node-file-access';
import { nodeFileOpener } from './files/node-file-opener';
import { workspaceFileOpener } from './files/workspace-file-opener';

export function activateCore(context: vscode.ExtensionContext): ExtensionCore {
  return activateWith(context, nodeFileOpener(workspaceFileOpener), {
    reader: () => new NodeProcReader(),
    openFile: (path) => NodeFileAccess.open(path),
    executable: (pid) => readLink(`/proc/${pid}/exe`),
  });
}
