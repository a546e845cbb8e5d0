import * as vscode from 'vscode';
import type { TwinComparison } from '../../simulator/live/twin-compare';
import { SIMULATE_PROCESS } from '../identifiers';
import { isScenario, type ScenarioSessions } from '../scenario/scenario-sessions';
import { compareLiveProcess, compareTwinDocument } from './compare-twin';
import { simulateProcess, type TwinContext } from './simulate-process';
import { TWIN_REPORT_SCHEME, TwinDocuments } from './twin-documents';

/** Compare with Real smaps for a twin: returns undefined when the command is not about one (the usual compare then runs). */
export type TwinCompare = (arg: unknown) => Promise<TwinComparison | undefined> | undefined;

/**
 * The twin of a real process: Simulate This Process, the twin documents and their comparison reports.
 * `compare` takes over Compare with Real smaps when its argument is a live view's pid ({ pid }), when a live
 * view is active, or when the scenario it acts on is the twin of a live process.
 */
export function registerTwin(sessions: ScenarioSessions, ctx: Omit<TwinContext, 'twins'>): { compare: TwinCompare; disposables: vscode.Disposable[] } {
  const twins = new TwinDocuments();
  const context: TwinContext = { ...ctx, twins };
  const simulate = (arg: unknown) => simulateProcess(arg, context);
  const compare: TwinCompare = (arg) => {
    // A live view's button ({ pid }), or its title bar's action (no argument, the view active).
    const pid = typeof arg === 'object' && arg !== null ? (arg as { pid?: unknown }).pid : arg === undefined ? ctx.panels?.active()?.session.pid : undefined;
    if (typeof pid === 'number' && Number.isSafeInteger(pid) && pid > 0) return compareLiveProcess(pid, sessions, twins, simulate);
    const document = arg instanceof vscode.Uri ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === arg.toString()) : activeScenario(sessions);
    if (!document || twins.of(document.uri)?.pid === undefined) return undefined;
    return compareTwinDocument(document, sessions, twins);
  };
  return {
    compare,
    disposables: [
      twins,
      vscode.workspace.registerTextDocumentContentProvider(TWIN_REPORT_SCHEME, twins),
      vscode.commands.registerCommand(SIMULATE_PROCESS, simulate),
    ],
  };
}

/** The scenario the compare acts on: the active editor's, else the one the panels follow. */
function activeScenario(sessions: ScenarioSessions): vscode.TextDocument | undefined {
  const editor = vscode.window.activeTextEditor;
  if (editor && isScenario(editor.document)) return editor.document;
  const session = sessions.active;
  return session ? sessions.documentOf(session) : undefined;
}
