// The web extension host's entry (VS Code for the Web): every file through workspace.fs.
// One bundle: a web worker cannot require a second file, so the core is linked in and only its start is deferred.
import * as vscode from 'vscode';
import { activateWith } from './activate';
import type { AddressSpaceExplorerApi } from './api';
import { workspaceFileOpener } from './files/workspace-file-opener';
import { WEB_HOST_CONTEXT } from './identifiers';
import { activateLazily } from './lazy-activation';

export function activate(context: vscode.ExtensionContext): AddressSpaceExplorerApi {
  // isWeb is true in any browser workbench, also one whose extensions run on a server with a /proc.
  void vscode.commands.executeCommand('setContext', WEB_HOST_CONTEXT, true);
  return activateLazily(context, () => activateWith(context, workspaceFileOpener));
}

export function deactivate(): void {
  // Everything is released through context.subscriptions.
}
