import * as vscode from 'vscode';
import type { ScenarioRun } from '../../../simulator/scenario/run';
import type { ScenarioSession } from '../scenario-session';
import { isScenario, type ScenarioSessions } from '../scenario-sessions';

/** Lines marked per editor; a longer scenario marks only the first ones (the Problems view has all). */
const MAX_MARKED_LINES = 5_000;
/** Lines above and below the visible ones whose fault counts are marked. */
const FAULT_MARGIN = 100;
/**
 * How long the marks of an edited scenario stay (moving with the text) while its re-run comes: a
 * keystroke's re-run then changes only the marks that differ, instead of all of them going and
 * coming back. Without a re-run (the text does not parse), they go after this.
 */
const STALE_MARKS_MS = 400;

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
  /** What each editor shows of each kind of mark (where and what), so that a re-run sends only the kinds that changed. */
  const shown = new WeakMap<vscode.TextEditor, Map<vscode.TextEditorDecorationType, string>>();
  const show = (editor: vscode.TextEditor, type: vscode.TextEditorDecorationType, marks: vscode.DecorationOptions[]) => {
    const key = marks.map((m) => `${m.range.start.line}:${m.range.start.character}:${m.renderOptions?.after?.contentText ?? ''}`).join('\n');
    let kinds = shown.get(editor);
    if (!kinds) shown.set(editor, (kinds = new Map()));
    if (kinds.get(type) === key) return;
    kinds.set(type, key);
    editor.setDecorations(type, marks);
  };
  /** Where each editor's fault counts are painted: the lines seen and a margin around them (1-based, inclusive). */
  const painted = new WeakMap<vscode.TextEditor, { run: ScenarioRun; from: number; to: number }>();
  const clear = (editor: vscode.TextEditor) => {
    painted.delete(editor);
    shown.delete(editor);
    for (const d of all) editor.setDecorations(d, []);
  };
  /** The current run of an editor's scenario, if its marks can be painted. */
  const runOf = (editor: vscode.TextEditor) => {
    if (!isScenario(editor.document)) return undefined;
    const session = sessions.get(editor.document.uri);
    return session?.run && session.isCurrent(editor.document) ? { session, run: session.run } : undefined;
  };
  const mark = (editor: vscode.TextEditor, line: number, text: string, hover?: string): vscode.DecorationOptions => {
    const end = editor.document.lineAt(Math.min(line, editor.document.lineCount) - 1).range.end;
    return { range: new vscode.Range(end, end), renderOptions: { after: { contentText: text } }, ...(hover ? { hoverMessage: hover } : {}) };
  };
  /**
   * The fault counts, muted and in no ruler, of the lines in view and around them only: a long
   * scenario faults on most lines, and every mark is sent to the editor on every run.
   */
  const paintFaults = (editor: vscode.TextEditor, run: ScenarioRun) => {
    const seen = editor.visibleRanges;
    const from = Math.max(1, (seen[0]?.start.line ?? 0) + 1 - FAULT_MARGIN);
    const to = (seen[seen.length - 1]?.end.line ?? 0) + 1 + FAULT_MARGIN;
    painted.set(editor, { run, from, to });
    const f: vscode.DecorationOptions[] = [];
    for (let i = Math.max(0, run.indexAtLine(from - 1) + 1); i < run.steps.length; i++) {
      const step = run.steps[i]!;
      if (step.line > to) break;
      if (step.line < 1 || !step.faults.length || step.faults.deadly()) continue;
      if (step.events?.some((e) => e.kind === 'oom-kill' || e.kind === 'oom-no-victim')) continue;
      const zero = step.faults.countKind('zero-page');
      f.push(mark(editor, step.line, `${step.faults.length} fault${step.faults.length === 1 ? '' : 's'}${zero ? `, ${zero} zero page` : ''}`));
    }
    show(editor, faulted, f);
  };
  const paint = (editor: vscode.TextEditor) => {
    if (!isScenario(editor.document)) return;
    const current = runOf(editor);
    if (!current) return clear(editor);
    const { session, run } = current;
    const k: vscode.DecorationOptions[] = [];
    const x: vscode.DecorationOptions[] = [];
    for (const step of run.steps) {
      if (k.length + x.length >= MAX_MARKED_LINES) break;
      if (step.line < 1) continue;
      if (step.failures.length) x.push(mark(editor, step.line, `✗ expect failed`));
      const deadly = step.faults.deadly();
      const oom = step.events?.find((e) => e.kind === 'oom-kill' || e.kind === 'oom-no-victim');
      const failedCall = step.events?.find((e) => e.kind === 'syscall-failed');
      if (oom) k.push(mark(editor, step.line, oom.process ? `⚡ out of memory: the OOM killer killed ${oom.process}` : '⚡ out of memory, nothing to kill'));
      else if (deadly?.signal) k.push(mark(editor, step.line, `⚡ ${deadly.signal.signal} (${deadly.signal.code}): ${deadly.process ?? 'process'} killed`));
      else if (failedCall && !step.faults.length) x.push(mark(editor, step.line, `✗ ${failedCall.call} failed: ${failedCall.errno}`));
    }
    show(editor, killed, k);
    show(editor, failed, x);
    paintFaults(editor, run);
    paintCurrent(editor, session);
  };
  /** A scroll past the painted fault counts paints those of the new lines. */
  const scrolled = (editor: vscode.TextEditor, seen: readonly vscode.Range[]) => {
    const current = runOf(editor);
    const was = painted.get(editor);
    if (!current || !was || was.run !== current.run) return;
    const first = (seen[0]?.start.line ?? 0) + 1;
    const last = (seen[seen.length - 1]?.end.line ?? 0) + 1;
    if (first < was.from || last > was.to) paintFaults(editor, current.run);
  };
  const editorsOf = (session: ScenarioSession) => vscode.window.visibleTextEditors.filter((e) => e.document.uri.toString() === session.uri.toString());
  const paintSession = (session: ScenarioSession) => {
    for (const editor of editorsOf(session)) paint(editor);
  };
  const watched = new WeakSet<ScenarioSession>();
  let staleTimer: ReturnType<typeof setTimeout> | undefined;
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
    vscode.window.onDidChangeTextEditorVisibleRanges(({ textEditor, visibleRanges }) => scrolled(textEditor, visibleRanges)),
    vscode.workspace.onDidChangeTextDocument(({ document }) => {
      if (!isScenario(document)) return;
      // Stale marks go unless the re-run paints them first.
      clearTimeout(staleTimer);
      staleTimer = setTimeout(() => {
        for (const e of vscode.window.visibleTextEditors) if (shown.has(e) && isScenario(e.document) && !runOf(e)) clear(e);
      }, STALE_MARKS_MS);
    }),
    { dispose: () => clearTimeout(staleTimer) },
  );
}
