import * as vscode from 'vscode';
import { COMMANDS } from '../commands/command-ids';
import type { ScenarioSession } from '../scenario-session';
import type { ScenarioSessions } from '../scenario-sessions';

/**
 * The lenses at the top of a scenario: "▶ Run · Step", and after a run where the views are
 * ("line L · step k/N", which opens Go to Line State) and failed expectations. Short, so
 * that it stays clear of the text (the panel has its button in the editor's title bar).
 */
export class ScenarioCodeLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly watched = new WeakSet<ScenarioSession>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly sessions: ScenarioSessions) {
    this.subscriptions.push(this.changed, sessions.onDidChangeActive((s) => this.watch(s)), sessions.onDidRun((s) => this.watch(s)));
    this.watch(sessions.active);
  }

  private watch(session: ScenarioSession | undefined): void {
    if (!session || this.watched.has(session)) return;
    this.watched.add(session);
    session.onDidRun(() => this.changed.fire());
    session.onDidChangeStep(() => this.changed.fire());
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const session = this.sessions.sessionOf(document);
    this.watch(session);
    const top = new vscode.Range(0, 0, 0, 0);
    const args = [document.uri];
    const lenses = [
      new vscode.CodeLens(top, { title: vscode.l10n.t('$(play) Run ▸'), command: COMMANDS.run, arguments: args, tooltip: vscode.l10n.t('Run the scenario (Ctrl+Shift+Enter)') }),
      new vscode.CodeLens(top, { title: vscode.l10n.t('$(debug-step-over) Step'), command: COMMANDS.stepForward, arguments: args, tooltip: vscode.l10n.t('Show the state after the next statement (F10)') }),
    ];
    const run = session.run;
    if (run && session.isCurrent(document)) {
      const total = (run.toy6 ?? run).statements.length;
      const where = session.stepIndex < 0 ? `step 0/${total}` : `line ${session.lineOfStep(session.stepIndex)} · step ${session.stepIndex + 1}/${total}`;
      lenses.push(new vscode.CodeLens(top, { title: where, command: COMMANDS.goToLineState, arguments: args, tooltip: vscode.l10n.t('The views show the state after this line. Click: Go to Line State') }));
      const failed = run.failures.length;
      if (failed) lenses.push(new vscode.CodeLens(top, { title: vscode.l10n.t('$(error) {0} expect{1} failed', failed, failed === 1 ? '' : 's'), command: 'workbench.actions.view.problems', tooltip: vscode.l10n.t('Show the Problems view') }));
    } else if (session.problem) {
      lenses.push(new vscode.CodeLens(top, { title: session.problem.kind === 'cannot-run' ? `$(error) cannot run: line ${session.problem.line}` : `$(error) ${session.problem.diagnostics.length} problem(s)`, command: 'workbench.actions.view.problems' }));
    }
    return lenses;
  }

  dispose(): void {
    for (const d of this.subscriptions.splice(0)) d.dispose();
  }
}
