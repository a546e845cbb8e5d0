import * as vscode from 'vscode';
import { OPEN_IN_EXPLORER } from './commands/open-in-explorer';

/** package.json's language for text whose first line starts with the ELF magic. */
export const ELF_LANGUAGE = 'elf';
const REOPEN = 'Reopen in Address Space Explorer';

const hasExtension = (uri: vscode.Uri) => /\.[^./]+$/.test(uri.path);

/**
 * A file without an extension that turns out to be ELF, opened as text, gets an offer to reopen
 * it in the explorer, once per file and session.
 */
export function offerToReopenElfText(): vscode.Disposable {
  const offered = new Set<string>();
  const check = async (editors: readonly vscode.TextEditor[]) => {
    for (const { document } of editors) {
      const key = document.uri.toString();
      if (document.languageId !== ELF_LANGUAGE || document.isUntitled || hasExtension(document.uri) || offered.has(key)) continue;
      if (!document.lineAt(0).text.startsWith('\u007fELF')) continue;
      offered.add(key);
      const name = document.uri.path.split('/').pop();
      const choice = await vscode.window.showInformationMessage(`${name} is an ELF file. Reopen it in Address Space Explorer?`, REOPEN);
      if (choice === REOPEN) await vscode.commands.executeCommand(OPEN_IN_EXPLORER, document.uri);
    }
  };
  void check(vscode.window.visibleTextEditors);
  return vscode.window.onDidChangeVisibleTextEditors(check);
}
