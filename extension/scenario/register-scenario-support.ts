import type * as vscode from 'vscode';
import { followCursor } from './links/follow-cursor';
import { runOnChange } from './links/run-on-change';
import type { ScenarioSessions } from './scenario-sessions';

/** Language support, commands and selection links for `.aspace` scenarios. */
export function registerScenarioSupport(sessions: ScenarioSessions, log: vscode.LogOutputChannel): vscode.Disposable[] {
  void log;
  return [followCursor(sessions), runOnChange(sessions)];
}
