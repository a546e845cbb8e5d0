// The desktop (Node) extension host's entry: a small front that registers and returns at once.
// The core (node-core.ts, its own bundle dist/extension/node-core.js, external to this one) is required
// synchronously the first time something needs it.
import type * as vscode from 'vscode';
import type { AddressSpaceExplorerApi } from './api';
import { activateLazily } from './lazy-activation';
import type * as NodeCore from './node-core';

export function activate(context: vscode.ExtensionContext): AddressSpaceExplorerApi {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return activateLazily(context, () => (require('./node-core.js') as typeof NodeCore).activateCore(context));
}

export function deactivate(): void {
  // Everything is released through context.subscriptions.
}
