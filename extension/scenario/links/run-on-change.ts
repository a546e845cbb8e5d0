import * as vscode from 'vscode';
import { parseScenario } from '../../../simulator/scenario/parser';
import { hasErrors } from '../../../simulator/scenario/diagnostics';
import { DocumentDebounce } from '../document-debounce';
import type { ScenarioSessions } from '../scenario-sessions';

export const RUN_ON_CHANGE_SETTING = 'addressSpaceExplorer.scenario.runOnChange';

/** Pause in typing before a scenario that has been run is run again. */
const EDIT_DEBOUNCE_MS = 40;

/** Keeps a scenario's run in step with its text: once run, it runs again after edits that parse. */
export function runOnChange(sessions: ScenarioSessions): vscode.Disposable {
  const rerun = new DocumentDebounce(EDIT_DEBOUNCE_MS, (document) => {
    const session = sessions.get(document.uri);
    if (!session || hasErrors(parseScenario(document.getText(), document.uri.path).diagnostics)) return;
    void session.runDocument(document);
  });
  return vscode.Disposable.from(
    rerun,
    vscode.workspace.onDidChangeTextDocument(({ document, contentChanges }) => {
      if (!sessions.get(document.uri)?.run || contentChanges.length === 0) return;
      if (vscode.workspace.getConfiguration().get<boolean>(RUN_ON_CHANGE_SETTING, true)) rerun.schedule(document);
    }),
  );
}
