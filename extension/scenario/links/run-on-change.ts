import * as vscode from 'vscode';
import { parseScenario } from '../../../simulator/scenario/parser';
import { hasErrors } from '../../../simulator/scenario/diagnostics';
import { DocumentDebounce } from '../document-debounce';
import type { ScenarioSession } from '../scenario-session';
import type { ScenarioSessions } from '../scenario-sessions';

export const RUN_ON_CHANGE_SETTING = 'addressSpaceExplorer.scenario.runOnChange';

/** Pause in typing before a scenario that has been run is run again... */
const EDIT_DEBOUNCE_MS = 40;
/**
 * ...unless its last re-run took less than this: a keystroke's run resumes right before the statement
 * it changed and costs a few milliseconds (10–25 in a busy extension host), less than waiting would,
 * so it runs at once; a newer edit cancels it.
 */
const CHEAP_RUN_MS = 50;

/** Keeps a scenario's run in step with its text: once run, it runs again after edits that parse. */
export function runOnChange(sessions: ScenarioSessions): vscode.Disposable {
  const lastRunMs = new WeakMap<ScenarioSession, number>();
  const pause = (document: vscode.TextDocument) => {
    const session = sessions.get(document.uri);
    return session && (lastRunMs.get(session) ?? Infinity) < CHEAP_RUN_MS ? 0 : EDIT_DEBOUNCE_MS;
  };
  const rerun = new DocumentDebounce(pause, (document) => {
    const session = sessions.get(document.uri);
    if (!session || hasErrors(parseScenario(document.getText(), document.uri.path).diagnostics)) return;
    const start = Date.now();
    void session.runDocument(document).then((run) => {
      if (run) lastRunMs.set(session, Date.now() - start);
    });
  });
  return vscode.Disposable.from(
    rerun,
    vscode.workspace.onDidChangeTextDocument(({ document, contentChanges }) => {
      if (!sessions.get(document.uri)?.run || contentChanges.length === 0) return;
      if (vscode.workspace.getConfiguration().get<boolean>(RUN_ON_CHANGE_SETTING, true)) rerun.schedule(document);
    }),
  );
}
