import * as vscode from 'vscode';

export const COMPARE_SCHEME = 'asx-compare';
/** Comparisons kept for their documents; older ones read as empty. */
const KEEP = 16;

/** Read-only virtual documents (`asx-compare:`) holding the two sides of each comparison. */
export class CompareDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private next = 1;

  /** Two new documents, `real` and `simulated`, named after what they hold. */
  add(real: { name: string; text: string }, simulated: { name: string; text: string }): { left: vscode.Uri; right: vscode.Uri } {
    const id = this.next++;
    const safe = (name: string) => name.replace(/[^\w.\-[\] ]+/g, '_').slice(0, 80) || 'smaps';
    const left = vscode.Uri.from({ scheme: COMPARE_SCHEME, path: `/${id}/real/${safe(real.name)}` });
    const right = vscode.Uri.from({ scheme: COMPARE_SCHEME, path: `/${id}/simulated/${safe(simulated.name)}` });
    this.texts.set(left.toString(), real.text);
    this.texts.set(right.toString(), simulated.text);
    while (this.texts.size > 2 * KEEP) {
      const oldest = this.texts.keys().next().value;
      if (oldest === undefined) break;
      this.texts.delete(oldest);
    }
    return { left, right };
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '# this comparison is no longer available: run Compare with Real smaps again\n';
  }
}
