import * as vscode from 'vscode';
import type { ScenarioSessions } from '../scenario/scenario-sessions';
import { followAddressSelection } from './address-selection';
import { SCENARIO_PANEL_VIEW_TYPE, ScenarioPanel } from './scenario-panel';

export const SHOW_SCENARIO_PANEL = 'addressSpaceExplorer.showScenarioPanel';

const panels = new WeakMap<ScenarioSessions, ScenarioPanel>();

/** The scenario panel of these sessions (for the extension's API, which tests and the benchmark use). */
export function scenarioPanelOf(sessions: ScenarioSessions): ScenarioPanel | undefined {
  return panels.get(sessions);
}

/** The scenario panel: processes, smaps, pages, page-table walk, physical memory, LRU, timeline and faults. */
export function registerScenarioPanel(context: vscode.ExtensionContext, sessions: ScenarioSessions, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const panel = new ScenarioPanel(context.extensionUri, sessions, log);
  panels.set(sessions, panel);
  return [
    panel,
    vscode.commands.registerCommand(SHOW_SCENARIO_PANEL, () => panel.show()),
    vscode.window.registerWebviewPanelSerializer(SCENARIO_PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: async (webviewPanel) => panel.attach(webviewPanel),
    }),
    followAddressSelection(panel),
  ];
}
