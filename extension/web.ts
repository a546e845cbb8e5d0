// The web extension host's entry (VS Code for the Web): every file through workspace.fs.
// One bundle: a web worker cannot require a second file, so the core is linked in and only its start is deferred.
import type * as vscode from 'vscode';
import { activateWith } from './activate';
import type { AddressSpaceExplorerApi } from './api';
import { workspaceFileOpener } from './files/workspace-file-opener';
import { activateLazily } from './lazy-activation';

export function activate(context: vscode.ExtensionContext): AddressSpaceExplorerApi {
  return activateLazily(context, () => activateWith(context, workspaceFileOpener));
}

export function deactivate(): void {
  // Everything is released through context.subscriptions.
}
