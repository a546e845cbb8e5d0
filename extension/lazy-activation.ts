import * as vscode from 'vscode';
import type { ExtensionCore } from './activate';
import type { AddressSpaceExplorerApi } from './api';
import { offerToReopenElfText } from './elf-text-prompt';
import { ASPACE_LANGUAGE, SCENARIO_PANEL_VIEW_TYPE } from './identifiers';

interface Contributes {
  commands?: { command: string }[];
  customEditors?: { viewType: string }[];
}

/**
 * The activation front. VS Code activates the extension for an ELF editor, a scenario, the restored
 * panel, a binary file opened as text, or a command; the front registers what VS Code needs at once
 * and returns, and the core (the simulator and every provider) is loaded the first time something
 * uses it: a custom editor, the panel, a command, an open scenario, or the API.
 *
 * - Each contributed command gets a shim. The first call disposes the shims, loads the core (which
 *   registers the real commands) and runs the real command with the same arguments.
 * - The custom editors and the panel serializer forward to the core's objects.
 * - A scenario document open now or later loads the core on the next tick: its diagnostics are wanted.
 */
export function activateLazily(context: vscode.ExtensionContext, loadCore: () => ExtensionCore): AddressSpaceExplorerApi {
  const contributes = (context.extension.packageJSON as { contributes?: Contributes }).contributes ?? {};
  let loaded: ExtensionCore | undefined;
  const shims: vscode.Disposable[] = [];
  const core = (): ExtensionCore => {
    if (!loaded) {
      for (const shim of shims.splice(0)) shim.dispose();
      loaded = loadCore();
    }
    return loaded;
  };
  for (const { command } of contributes.commands ?? []) {
    shims.push(vscode.commands.registerCommand(command, (...args: unknown[]) => {
      core();
      return vscode.commands.executeCommand(command, ...args);
    }));
  }
  const elfEditor: vscode.CustomReadonlyEditorProvider = {
    openCustomDocument: (uri, openContext, token) => core().elfEditor.openCustomDocument(uri, openContext, token),
    resolveCustomEditor: (document, panel, token) => core().elfEditor.resolveCustomEditor(document, panel, token),
  };
  const isScenario = (document: vscode.TextDocument) => document.languageId === ASPACE_LANGUAGE;
  const loadSoon = () => setTimeout(core, 0);
  if (vscode.workspace.textDocuments.some(isScenario)) loadSoon();
  const scenarioOpened = vscode.workspace.onDidOpenTextDocument((document) => {
    if (!isScenario(document)) return;
    scenarioOpened.dispose();
    loadSoon();
  });
  context.subscriptions.push(
    { dispose: () => { for (const shim of shims.splice(0)) shim.dispose(); } },
    scenarioOpened,
    ...(contributes.customEditors ?? []).map(({ viewType }) =>
      vscode.window.registerCustomEditorProvider(viewType, elfEditor, { supportsMultipleEditorsPerDocument: true })),
    vscode.window.registerWebviewPanelSerializer(SCENARIO_PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => core().attachScenarioPanel(panel),
    }),
    offerToReopenElfText(),
    // Every debug session's debuggee (extension/debug/): the core is loaded when a session starts.
    vscode.debug.registerDebugAdapterTrackerFactory('*', {
      createDebugAdapterTracker: (session) => core().debugTrackers?.createDebugAdapterTracker(session),
    }),
  );
  return lazyApi(() => core().api);
}

/** The API, loading the core on first use (tests and the benchmark). */
function lazyApi(api: () => AddressSpaceExplorerApi): AddressSpaceExplorerApi {
  return {
    views: () => api().views(),
    onDidRender: (listener, thisArgs, disposables) => api().onDidRender(listener, thisArgs, disposables),
    deliver: (uri, message) => api().deliver(uri, message),
    get scenarios() { return api().scenarios; },
    get scenarioPanel() { return api().scenarioPanel; },
    get live() { return api().live; },
  };
}
