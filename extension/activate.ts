import type * as vscode from 'vscode';

/** Shared activation for the Node and web hosts. The custom editor and panels arrive with the extension issues. */
export function activate(_context: vscode.ExtensionContext): void {
  // Nothing to register yet.
}

export function deactivate(): void {
  // Nothing to release yet.
}
