import * as vscode from 'vscode';
import { makeApi, type AddressSpaceExplorerApi } from './api';
import { registerLayoutCommands } from './commands/layout-commands';
import { OPEN_IN_EXPLORER, openInExplorer } from './commands/open-in-explorer';
import { ElfEditorProvider } from './elf-editor/elf-editor-provider';
import { ViewRegistry } from './elf-editor/view-registry';
import { offerToReopenElfText } from './elf-text-prompt';
import type { FileOpener } from './files/file-opener';
import { registerScenarioPanel } from './scenario-panel/register-scenario-panel';
import { registerScenarioSupport } from './scenario/register-scenario-support';
import { ScenarioSessions } from './scenario/scenario-sessions';
import { LD_LIBRARY_PATH_SETTING, SYSROOT_SETTING } from './settings';

/**
 * Shared activation for the Node and web hosts, which differ only in how they open files.
 * Activation is on demand (the custom editors, a binary file opened as text, the commands) and registers only.
 */
export function activateWith(context: vscode.ExtensionContext, opener: FileOpener): AddressSpaceExplorerApi {
  const log = vscode.window.createOutputChannel('Address Space Explorer', { log: true });
  const views = new ViewRegistry();
  const sessions = new ScenarioSessions(opener);
  ElfEditorProvider.register(context, new ElfEditorProvider(context.extensionUri, opener, views, log));
  context.subscriptions.push(
    log,
    views,
    sessions,
    ...registerScenarioSupport(sessions, log, context.extensionUri),
    ...registerScenarioPanel(context, sessions, log),
    vscode.commands.registerCommand(OPEN_IN_EXPLORER, openInExplorer),
    ...registerLayoutCommands(views),
    offerToReopenElfText(),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SYSROOT_SETTING) && !e.affectsConfiguration(LD_LIBRARY_PATH_SETTING)) return;
      for (const view of views.all()) void view.channel.post({ kind: 'event', event: 'relayout', params: {} });
    }),
  );
  return makeApi(views, sessions);
}

export function deactivate(): void {
  // Everything is released through context.subscriptions.
}
