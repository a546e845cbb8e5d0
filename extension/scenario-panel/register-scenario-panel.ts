import * as vscode from 'vscode';
import type { ScenarioSessions } from '../scenario/scenario-sessions';
import { followAddressSelection } from './address-selection';
import { ScenarioPanel } from './scenario-panel';

export const SHOW_SCENARIO_PANEL = 'addressSpaceExplorer.showScenarioPanel';

const panels = new WeakMap<ScenarioSessions, ScenarioPanel>();

/** The scenario panel of these sessions (for the extension's API, which tests and the benchmark use). */
export function scenarioPanelOf(sessions: ScenarioSessions): ScenarioPanel | undefined {
  return panels.get(sessions);
}

/**
 * The scenario panel: processes, smaps, pages, page-table walk, physical memory, LRU, timeline and faults.
 * (Its serializer is registered by the activation front, which hands restored panels to `attach`.)
 */
export function registerScenarioPanel(context: vscode.ExtensionContext, sessions: ScenarioSessions, log: vscode.LogOutputChannel): { panel: ScenarioPanel; disposables: vscode.Disposable[] } {
  const panel = new ScenarioPanel(context.extensionUri, sessions, log);
  panels.set(sessions, panel);
  return { panel, disposables: [panel, vscode.commands.registerCommand(SHOW_SCENARIO_PANEL, () => panel.show()), followAddressSelection(panel)] };
}
