import * as vscode from 'vscode';
import { ASPACE_LANGUAGE } from '../identifiers';
import type { TwinSource } from './twin-source';

export const TWIN_REPORT_SCHEME = 'asx-twin';
/** Reports kept for their documents; older ones read as a hint to compare again. */
const KEEP_REPORTS = 16;

/**
 * The twins opened as untitled `.aspace` documents (the user's files are never written; Save As picks
 * where one goes), each with what it was made from, and the comparison reports (`asx-twin:` documents).
 */
export class TwinDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly twins = new Map<string, TwinSource>();
  private readonly reports = new Map<string, string>();
  private readonly closed: vscode.Disposable;
  private nextReport = 1;

  constructor() {
    this.closed = vscode.workspace.onDidCloseTextDocument((d) => this.twins.delete(d.uri.toString()));
  }

  /**
   * Opens the twin's text beside the active editor, the cursor at its end: where what-ifs are added,
   * and the step the panels show once it has run (the whole twin).
   */
  async open(source: TwinSource): Promise<vscode.TextDocument> {
    const document = await vscode.workspace.openTextDocument({ language: ASPACE_LANGUAGE, content: source.twin.text });
    this.twins.set(document.uri.toString(), source);
    const end = document.lineAt(document.lineCount - 1).range.end;
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: false, selection: new vscode.Range(end, end) });
    return document;
  }

  of(uri: vscode.Uri): TwinSource | undefined {
    return this.twins.get(uri.toString());
  }

  /** The open twin document of live process `pid` (the latest made), if any. */
  forPid(pid: number): vscode.TextDocument | undefined {
    const keys = [...this.twins].filter(([, s]) => s.pid === pid).map(([k]) => k).reverse();
    for (const key of keys) {
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
      if (document) return document;
    }
    return undefined;
  }

  /** A new read-only report document (Markdown) named `name`. */
  addReport(name: string, text: string): vscode.Uri {
    const safe = name.replace(/[^\w.\-() ]+/g, '_').slice(0, 80) || 'twin';
    const uri = vscode.Uri.from({ scheme: TWIN_REPORT_SCHEME, path: `/${this.nextReport++}/${safe}.md` });
    this.reports.set(uri.toString(), text);
    while (this.reports.size > KEEP_REPORTS) this.reports.delete(this.reports.keys().next().value as string);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.reports.get(uri.toString()) ?? '# This comparison is no longer available\n\nRun Compare with Real smaps again.\n';
  }

  dispose(): void {
    this.closed.dispose();
  }
}
