// The desktop (Node) extension host: file: URIs are read with node:fs range reads.
import type * as vscode from 'vscode';
import type { AddressSpaceExplorerApi } from './api';
import { activateWith } from './activate';
import { nodeFileOpener } from './files/node-file-opener';
import { workspaceFileOpener } from './files/workspace-file-opener';

export function activate(context: vscode.ExtensionContext): AddressSpaceExplorerApi {
  return activateWith(context, nodeFileOpener(workspaceFileOpener));
}

export { deactivate } from './activate';
