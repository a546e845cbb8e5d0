import * as vscode from 'vscode';
import type { FileOpener } from '../files/file-opener';
import { ASPACE_LANGUAGE } from '../identifiers';
import { ScenarioSession } from './scenario-session';

export const isScenario = (document: vscode.TextDocument): boolean => document.languageId === ASPACE_LANGUAGE;

/**
 * The sessions of open scenario documents, and which one the panels follow: the scenario in
 * the active editor, or the last one that was active while another kind of editor has focus.
 */
export class ScenarioSessions implements vscode.Disposable {
  private readonly sessions = new Map<string, ScenarioSession>();
  private readonly activeEmitter = new vscode.EventEmitter<ScenarioSession | undefined>();
  private readonly runEmitter = new vscode.EventEmitter<ScenarioSession>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Fired when the followed session changes. */
  readonly onDidChangeActive = this.activeEmitter.event;
  /** Fired after every finished run of any session (its own onDidRun, for all of them). */
  readonly onDidRun = this.runEmitter.event;
  private current?: ScenarioSession;
  /** The folder relative PATHs of untitled scenarios resolve against (the extension's examples). */
  untitledFolder?: vscode.Uri;

  constructor(private readonly opener: FileOpener) {
    this.disposables.push(
      this.activeEmitter,
      this.runEmitter,
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor && isScenario(editor.document)) this.follow(this.sessionOf(editor.document));
      }),
      vscode.workspace.onDidCloseTextDocument((document) => this.close(document.uri)),
    );
    const editor = vscode.window.activeTextEditor;
    if (editor && isScenario(editor.document)) this.follow(this.sessionOf(editor.document));
  }

  /** The session of a scenario document, made on first use. */
  sessionOf(document: vscode.TextDocument): ScenarioSession {
    const key = document.uri.toString();
    let session = this.sessions.get(key);
    if (!session) {
      session = new ScenarioSession(document.uri, this.opener);
      if (document.isUntitled) session.baseFolder = this.untitledFolder;
      session.onDidRun((s) => this.runEmitter.fire(s));
      this.sessions.set(key, session);
    }
    return session;
  }

  get(uri: vscode.Uri): ScenarioSession | undefined {
    return this.sessions.get(uri.toString());
  }

  /** The session the panels show. */
  get active(): ScenarioSession | undefined {
    return this.current;
  }

  /** The open document of a session, if it is still open. */
  documentOf(session: ScenarioSession): vscode.TextDocument | undefined {
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === session.uri.toString());
  }

  follow(session: ScenarioSession | undefined): void {
    if (session === this.current) return;
    this.current = session;
    this.activeEmitter.fire(session);
  }

  private close(uri: vscode.Uri): void {
    const key = uri.toString();
    const session = this.sessions.get(key);
    if (!session) return;
    this.sessions.delete(key);
    if (this.current === session) this.follow(undefined);
    session.dispose();
  }

  dispose(): void {
    for (const session of this.sessions.values()) session.dispose();
    this.sessions.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
