import * as vscode from 'vscode';
import { makeApi, type AddressSpaceExplorerApi } from './api';
import { registerLayoutCommands } from './commands/layout-commands';
import { openInExplorer } from './commands/open-in-explorer';
import { ElfEditorProvider } from './elf-editor/elf-editor-provider';
import { ViewRegistry } from './elf-editor/view-registry';
import type { FileOpener } from './files/file-opener';
import { OPEN_IN_EXPLORER } from './identifiers';
import { registerDebugSupport } from './debug/register-debug';
import { registerLiveCommands, type LiveHost } from './live/live-commands';
import { registerScenarioPanel } from './scenario-panel/register-scenario-panel';
import { registerScenarioSupport } from './scenario/register-scenario-support';
import { registerTwin } from './twin/register-twin';
import { ScenarioSessions } from './scenario/scenario-sessions';
import { LD_LIBRARY_PATH_SETTING, SYSROOT_SETTING } from './settings';

/** What the core hands the activation front: the API, and the objects behind the front's registrations. */
export interface ExtensionCore {
  readonly api: AddressSpaceExplorerApi;
  /** The ELF editor, for both of the custom editor view types. */
  readonly elfEditor: vscode.CustomReadonlyEditorProvider;
  /** Takes over a scenario panel that VS Code restored after a reload. */
  attachScenarioPanel(panel: vscode.WebviewPanel): void;
  /** The trackers of debug sessions (extension/debug/), where live processes can be read. */
  readonly debugTrackers?: vscode.DebugAdapterTrackerFactory;
}

/**
 * The core of the extension, shared by the Node and web hosts, which differ in how they open files and in
 * `live`: only the desktop's Node host reads live processes through /proc.
 * It is loaded by the activation front (lazy-activation.ts) when something first needs it, and registers
 * everything except the custom editors, the panel serializer and the first command shims, which the front owns.
 */
export function activateWith(context: vscode.ExtensionContext, opener: FileOpener, live?: LiveHost): ExtensionCore {
  const log = vscode.window.createOutputChannel('Address Space Explorer', { log: true });
  const views = new ViewRegistry();
  const sessions = new ScenarioSessions(opener);
  const scenarioPanel = registerScenarioPanel(context, sessions, log);
  const liveViews = registerLiveCommands(context, log, live);
  const debug = live && liveViews.panels ? registerDebugSupport(liveViews.panels, live, log) : undefined;
  const twin = registerTwin(sessions, { views, opener, log, ...(live ? { live } : {}), ...(liveViews.panels ? { panels: liveViews.panels } : {}) });
  context.subscriptions.push(
    log,
    views,
    sessions,
    ...registerScenarioSupport(sessions, log, context.extensionUri, twin.compare),
    ...twin.disposables,
    ...scenarioPanel.disposables,
    ...liveViews.disposables,
    ...(debug?.disposables ?? []),
    vscode.commands.registerCommand(OPEN_IN_EXPLORER, openInExplorer),
    ...registerLayoutCommands(views),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SYSROOT_SETTING) && !e.affectsConfiguration(LD_LIBRARY_PATH_SETTING)) return;
      for (const view of views.all()) void view.channel.post({ kind: 'event', event: 'relayout', params: {} });
    }),
  );
  return {
    api: makeApi(views, sessions, liveViews.panels),
    elfEditor: new ElfEditorProvider(context.extensionUri, opener, views, log),
    attachScenarioPanel: (panel) => scenarioPanel.panel.attach(panel),
    ...(debug ? { debugTrackers: debug.trackers } : {}),
  };
}
