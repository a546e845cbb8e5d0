// The web extension host (VS Code for the Web): every file through workspace.fs.
import type * as vscode from 'vscode';
import type { AddressSpaceExplorerApi } from './api';
import { activateWith } from './activate';
import { workspaceFileOpener } from './files/workspace-file-opener';

export function activate(context: vscode.ExtensionContext): AddressSpaceExplorerApi {
  return activateWith(context, workspaceFileOpener);
}

export { deactivate } from './activate';
