import * as vscode from 'vscode';
import type { ScenarioSession } from '../scenario-session';
import { isScenario, type ScenarioSessions } from '../scenario-sessions';

/** Lines marked per editor; a longer scenario marks only the first ones (the Problems view has all). */
const MAX_MARKED_LINES = 5_000;

/**
 * Made on the first run (nothing to mark before). After a run: the lines whose faults killed a process (red, in the gutter's overview ruler and
 * after the text), lines with faults (their count, muted), failed expectations, and the line of
 * the step the views show (highlighted).
 */
export function scenarioDecorations(sessions: ScenarioSessions): vscode.Disposable {
  const killed = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('editorError.foreground') },
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.errorForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Right,
  });
  const faulted = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'italic' },
  });
  const failed = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('editorWarning.foreground') },
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.warningForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Right,
  });
  const current = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
    borderColor: new vscode.ThemeColor('editor.rangeHighlightBorder'),
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.rangeHighlightForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Center,
  });
  const all = [killed, faulted, failed, current];

  /** The line of the step the views show: all a cursor move changes, so it is painted alone. */
  const paintCurrent = (editor: vscode.TextEditor, session: ScenarioSession) => {
    const line = session.lineOfStep(session.stepIndex);
    const lines = editor.document.lineCount;
    editor.setDecorations(current, line > 0 && line <= lines ? [new vscode.Range(line - 1, 0, line - 1, 0)] : []);
  };
  const paint = (editor: vscode.TextEditor) => {
    if (!isScenario(editor.document)) return;
    const session = sessions.get(editor.document.uri);
    const run = session?.run;
    if (!session || !run || !session.isCurrent(editor.document)) {
      for (const d of all) editor.setDecorations(d, []);
      return;
    }
    const lines = editor.document.lineCount;
    const at = (line: number, text: string, hover?: string): vscode.DecorationOptions => {
      const index = Math.min(line - 1, lines - 1);
      const end = editor.document.lineAt(index).range.end;
      return { range: new vscode.Range(end, end), renderOptions: { after: { contentText: text } }, ...(hover ? { hoverMessage: hover } : {}) };
    };
    const k: vscode.DecorationOptions[] = [];
    const f: vscode.DecorationOptions[] = [];
    const x: vscode.DecorationOptions[] = [];
    for (const step of run.steps) {
      if (k.length + f.length + x.length >= MAX_MARKED_LINES) break;
      if (step.line < 1) continue;
      if (step.failures.length) x.push(at(step.line, `✗ expect failed`));
      const deadly = step.faults.deadly();
      const oom = step.events?.find((e) => e.kind === 'oom-kill' || e.kind === 'oom-no-victim');
      const failedCall = step.events?.find((e) => e.kind === 'syscall-failed');
      if (oom) k.push(at(step.line, oom.process ? `⚡ out of memory: the OOM killer killed ${oom.process}` : '⚡ out of memory, nothing to kill'));
      else if (deadly?.signal) k.push(at(step.line, `⚡ ${deadly.signal.signal} (${deadly.signal.code}): ${deadly.process ?? 'process'} killed`));
      else if (step.faults.length) {
        const zero = step.faults.countKind('zero-page');
        f.push(at(step.line, `${step.faults.length} fault${step.faults.length === 1 ? '' : 's'}${zero ? `, ${zero} zero page` : ''}`));
      } else if (failedCall) x.push(at(step.line, `✗ ${failedCall.call} failed: ${failedCall.errno}`));
    }
    editor.setDecorations(killed, k);
    editor.setDecorations(faulted, f);
    editor.setDecorations(failed, x);
    paintCurrent(editor, session);
  };
  const editorsOf = (session: ScenarioSession) => vscode.window.visibleTextEditors.filter((e) => e.document.uri.toString() === session.uri.toString());
  const paintSession = (session: ScenarioSession) => {
    for (const editor of editorsOf(session)) paint(editor);
  };
  const watched = new WeakSet<ScenarioSession>();
  const watch = (session: ScenarioSession | undefined) => {
    if (!session || watched.has(session)) return;
    watched.add(session);
    session.onDidChangeStep(({ session: s }) => {
      for (const editor of editorsOf(s)) if (s.run && s.isCurrent(editor.document)) paintCurrent(editor, s);
    });
  };
  for (const editor of vscode.window.visibleTextEditors) {
    if (!isScenario(editor.document)) continue;
    watch(sessions.get(editor.document.uri));
    paint(editor);
  }
  return vscode.Disposable.from(
    ...all,
    sessions.onDidRun((session) => {
      watch(session);
      paintSession(session);
    }),
    vscode.window.onDidChangeVisibleTextEditors((editors) => {
      for (const e of editors) {
        if (!isScenario(e.document)) continue;
        watch(sessions.get(e.document.uri));
        paint(e);
      }
    }),
    vscode.workspace.onDidChangeTextDocument(({ document }) => {
      if (!isScenario(document)) return;
      // Stale marks go at once; the next run paints them again.
      for (const e of vscode.window.visibleTextEditors) if (e.document === document) paint(e);
    }),
  );
}
