import * as vscode from 'vscode';
import type { ScenarioRun } from '../../../simulator/scenario/run';
import type { ScenarioSession } from '../scenario-session';
import { isScenario, type ScenarioSessions } from '../scenario-sessions';
import { COMMANDS } from './command-ids';

/** The scenario document a command acts on: the URI it was given (a CodeLens), else the active or followed one. */
export async function scenarioDocument(sessions: ScenarioSessions, arg?: unknown): Promise<vscode.TextDocument | undefined> {
  if (arg instanceof vscode.Uri) {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === arg.toString());
    const document = open ?? (await vscode.workspace.openTextDocument(arg));
    return isScenario(document) ? document : undefined;
  }
  const editor = vscode.window.activeTextEditor;
  if (editor && isScenario(editor.document)) return editor.document;
  const active = sessions.active;
  return active ? sessions.documentOf(active) : undefined;
}

/** Opens the scenario panel if some part of the extension registered it; quietly nothing otherwise. */
export async function showPanel(): Promise<void> {
  try {
    await vscode.commands.executeCommand(COMMANDS.showPanel);
  } catch {
    // The panel is optional for the editor features.
  }
}

/**
 * Runs a scenario with a cancellable progress notification. Problems are shown as a message
 * (and as diagnostics by scenario-diagnostics.ts). Resolves with the run, or undefined.
 */
export async function runWithProgress(sessions: ScenarioSessions, document: vscode.TextDocument, log: vscode.LogOutputChannel): Promise<ScenarioRun | undefined> {
  const session = sessions.sessionOf(document);
  sessions.follow(session);
  const name = document.uri.path.split('/').pop() ?? 'scenario';
  let run: ScenarioRun | undefined;
  let cancelled = false;
  try {
    run = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Running {0}', name), cancellable: true },
      async (progress, token) => {
        const result = await session.runDocument(document, progress, token);
        cancelled = token.isCancellationRequested;
        return result;
      },
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.error(`running ${document.uri.toString()}: ${error instanceof Error ? (error.stack ?? message) : message}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('Address Space Explorer: {0} failed to run: {1}', name, message));
    return undefined;
  }
  if (run) return run;
  if (cancelled) {
    void vscode.window.showInformationMessage(vscode.l10n.t('{0}: run cancelled.', name));
    return undefined;
  }
  reportProblem(session, document, name);
  return undefined;
}

function reportProblem(session: ScenarioSession, document: vscode.TextDocument, name: string): void {
  const problem = session.problem;
  if (!problem) return;
  const goTo = 'Go to Line';
  const problems = 'Show Problems';
  let line: number;
  let text: string;
  if (problem.kind === 'cannot-run') {
    line = problem.line;
    text = `${name}:${problem.line}:${problem.column}: cannot run: ${problem.message}`;
  } else {
    const errors = problem.diagnostics.filter((d) => d.severity === 'error');
    const first = errors[0] ?? problem.diagnostics[0];
    line = first?.span.line ?? 1;
    text = `${name} has ${errors.length} error${errors.length === 1 ? '' : 's'}${first ? `; line ${first.span.line}: ${first.message}` : ''}`;
  }
  void vscode.window.showErrorMessage(text, goTo, problems).then(async (choice) => {
    if (choice === problems) await vscode.commands.executeCommand('workbench.actions.view.problems');
    if (choice === goTo) {
      const editor = await vscode.window.showTextDocument(document);
      const position = new vscode.Position(Math.max(0, line - 1), 0);
      editor.selection = new vscode.Selection(position, position);
      editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }
  });
}

/** The session of a document with a run of its current text: run first when needed. */
async function ensureRun(sessions: ScenarioSessions, document: vscode.TextDocument, log: vscode.LogOutputChannel): Promise<ScenarioSession | undefined> {
  const session = sessions.sessionOf(document);
  sessions.follow(session);
  if (session.isCurrent(document)) return session;
  return (await runWithProgress(sessions, document, log)) ? session : undefined;
}

export function registerRunCommands(sessions: ScenarioSessions, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const noScenario = () => void vscode.window.showWarningMessage(vscode.l10n.t('Open an .aspace scenario first (or use "New Scenario from Example…").'));
  const step = async (arg: unknown, delta: number) => {
    const document = await scenarioDocument(sessions, arg);
    if (!document) return noScenario();
    const session = await ensureRun(sessions, document, log);
    if (!session) return;
    session.setStep(session.stepIndex + delta, 'command');
  };
  return [
    vscode.commands.registerCommand(COMMANDS.run, async (arg?: unknown) => {
      const document = await scenarioDocument(sessions, arg);
      if (!document) return noScenario();
      const run = await runWithProgress(sessions, document, log);
      if (run) await showPanel();
      return run !== undefined;
    }),
    vscode.commands.registerCommand(COMMANDS.stepForward, (arg?: unknown) => step(arg, 1)),
    vscode.commands.registerCommand(COMMANDS.stepBack, (arg?: unknown) => step(arg, -1)),
    vscode.commands.registerCommand(COMMANDS.goToLineState, async (arg?: unknown, line?: unknown) => {
      const document = await scenarioDocument(sessions, arg);
      if (!document) return noScenario();
      const session = await ensureRun(sessions, document, log);
      const run = session?.run;
      if (!session || !run) return;
      // A line number as the argument (a CodeLens, another command): no picker.
      const given = typeof line === 'number' ? line : typeof arg === 'number' ? arg : undefined;
      if (given !== undefined) {
        if (!Number.isInteger(given) || given < 0) return;
        session.setStep(session.stepAtLine(given), 'command');
        return;
      }
      const index = await pickStep(session, document);
      if (index !== undefined) session.setStep(index, 'command');
    }),
  ];
}

interface StepItem extends vscode.QuickPickItem {
  readonly index: number;
}

/** A quick pick of the statements, on the current step (Enter keeps it: the cursor's state); a typed line number picks its statement. */
async function pickStep(session: ScenarioSession, document: vscode.TextDocument): Promise<number | undefined> {
  const run = session.run;
  if (!run) return undefined;
  const editor = vscode.window.visibleTextEditors.find((e) => e.document === document);
  const cursorIndex = editor ? session.stepAtLine(editor.selection.active.line + 1) : session.stepIndex;
  const items: StepItem[] = [
    { label: 'line 0', description: 'before the first statement', index: -1 },
    // A toy6 scenario's steps are its own statements (set machine toy6).
    ...(run.toy6 ? run.toy6.statements.map((s, i) => {
      const step = run.toy6?.steps[i];
      const flags = [step?.notes.length ? 'fault' : '', step?.failures.length ? 'expect failed' : '', step?.output ? 'output' : ''].filter(Boolean).join(', ');
      return { label: `line ${s.line}`, description: s.text, detail: flags || undefined, index: i } as StepItem;
    }) : []),
    ...run.statements.map((s, i) => {
      const step = run.steps[i];
      const faults = step?.faults.length ?? 0;
      const flags = [faults ? `${faults} fault${faults === 1 ? '' : 's'}` : '', step?.failures.length ? 'expect failed' : '', step?.output ? 'output' : ''].filter(Boolean).join(', ');
      return { label: `line ${s.line}`, description: s.text, detail: flags || undefined, index: i } as StepItem;
    }),
  ];
  const pick = vscode.window.createQuickPick<StepItem>();
  pick.items = items;
  pick.placeholder = 'The state after which line? (type a line number or part of a statement)';
  pick.matchOnDescription = true;
  const active = items[cursorIndex + 1];
  if (active) pick.activeItems = [active];
  return new Promise((resolve) => {
    let done = false;
    pick.onDidChangeValue((value) => {
      const n = /^\s*(\d{1,9})\s*$/.exec(value);
      if (!n) return;
      const target = items[session.stepAtLine(Number(n[1])) + 1];
      if (target) pick.activeItems = [target];
    });
    pick.onDidAccept(() => {
      done = true;
      resolve(pick.activeItems[0]?.index);
      pick.hide();
    });
    pick.onDidHide(() => {
      if (!done) resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}
