import * as vscode from 'vscode';
import { revealLine } from '../reveal-line';
import type { ScenarioSession } from '../scenario-session';
import { isScenario, type ScenarioSessions } from '../scenario-sessions';

/**
 * A cursor move is followed at once; moves that come closer together than this (holding an arrow
 * key) are followed at most once per interval, and the last one always.
 */
const CURSOR_INTERVAL_MS = 30;

/**
 * The editor ↔ step link: the cursor's line picks the step every panel shows, and a step
 * chosen elsewhere (a panel, Step Forward/Back) moves the cursor to its statement.
 */
export function followCursor(sessions: ScenarioSessions): vscode.Disposable {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let followed = 0;
  const fromCursor = (editor: vscode.TextEditor) => {
    followed = Date.now();
    const session = sessions.get(editor.document.uri);
    if (!session?.run) return;
    session.setStep(session.stepAtLine(editor.selection.active.line + 1), 'cursor');
  };
  const toCursor = async (session: ScenarioSession) => {
    const line = session.lineOfStep(session.stepIndex);
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === session.uri.toString());
    if (editor && session.stepAtLine(editor.selection.active.line + 1) === session.stepIndex) return;
    if (line > 0) await revealLine(session.uri, line);
  };
  const watched = new WeakSet<ScenarioSession>();
  const watch = (session: ScenarioSession | undefined) => {
    if (!session || watched.has(session)) return;
    watched.add(session);
    session.onDidChangeStep(({ source }) => {
      if (source === 'panel' || source === 'command') void toCursor(session);
    });
    session.onDidRun(() => {
      const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === session.uri.toString());
      if (editor && session.run) session.setStep(session.stepAtLine(editor.selection.active.line + 1), 'run');
    });
  };
  watch(sessions.active);
  return vscode.Disposable.from(
    sessions.onDidChangeActive(watch),
    vscode.window.onDidChangeTextEditorSelection(({ textEditor }) => {
      if (!isScenario(textEditor.document)) return;
      watch(sessions.sessionOf(textEditor.document));
      clearTimeout(timer);
      const wait = followed + CURSOR_INTERVAL_MS - Date.now();
      if (wait <= 0) fromCursor(textEditor);
      else timer = setTimeout(() => fromCursor(textEditor), wait);
    }),
    { dispose: () => clearTimeout(timer) },
  );
}
