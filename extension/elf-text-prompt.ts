import * as vscode from 'vscode';
import { OPEN_IN_EXPLORER } from './identifiers';

/** The language VS Code gives a binary file opened as text ("Open Anyway"): the extension activates on it. */
const BINARY_LANGUAGE = 'code-text-binary';
const REOPEN = 'Reopen in Address Space Explorer';

const hasExtension = (uri: vscode.Uri) => /\.[^./]+$/.test(uri.path);

/**
 * A file without an extension that turns out to be ELF, opened as text (VS Code's "Open Anyway"
 * on a binary file), gets an offer to reopen it in the explorer, once per file and session.
 */
export function offerToReopenElfText(): vscode.Disposable {
  const offered = new Set<string>();
  const check = async (editors: readonly vscode.TextEditor[]) => {
    for (const { document } of editors) {
      const key = document.uri.toString();
      if (document.languageId !== BINARY_LANGUAGE || document.isUntitled || hasExtension(document.uri) || offered.has(key)) continue;
      if (!document.lineAt(0).text.startsWith('\u007fELF')) continue;
      offered.add(key);
      const name = document.uri.path.split('/').pop();
      const choice = await vscode.window.showInformationMessage(vscode.l10n.t('{0} is an ELF file. Reopen it in Address Space Explorer?', name ?? ''), REOPEN);
      if (choice === REOPEN) await vscode.commands.executeCommand(OPEN_IN_EXPLORER, document.uri);
    }
  };
  void check(vscode.window.visibleTextEditors);
  return vscode.window.onDidChangeVisibleTextEditors(check);
}
