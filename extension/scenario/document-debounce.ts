import type * as vscode from 'vscode';

/**
 * Runs `work` for a document once edits to it pause for `ms` (a number, or what it says for the
 * document at the time of the edit); each document has its own timer.
 */
export class DocumentDebounce implements vscode.Disposable {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly ms: number | ((document: vscode.TextDocument) => number),
    private readonly work: (document: vscode.TextDocument) => void,
  ) {}

  schedule(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    this.cancel(document.uri);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (!document.isClosed) this.work(document);
      }, typeof this.ms === 'number' ? this.ms : this.ms(document)),
    );
  }

  cancel(uri: vscode.Uri): void {
    clearTimeout(this.timers.get(uri.toString()));
    this.timers.delete(uri.toString());
  }

  dispose(): void {
    this.timers.forEach((t) => clearTimeout(t));
    this.timers.clear();
  }
}
