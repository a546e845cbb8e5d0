import * as vscode from 'vscode';

/**
 * Shows a scenario's 1-based `line` in its editor and puts the cursor there: what clicking a
 * region, a page or a step in a panel does. Line 0 (made by exec before any statement) reveals
 * the top of the file.
 */
export async function revealLine(uri: vscode.Uri, line: number, preserveFocus = true): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(uri);
  const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
  const editor = await vscode.window.showTextDocument(document, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One, preserveFocus });
  const target = Math.max(0, Math.min(line - 1, document.lineCount - 1));
  const position = new vscode.Position(target, document.lineAt(target).firstNonWhitespaceCharacterIndex);
  editor.selection = new vscode.Selection(position, position);
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return editor;
}
