import * as vscode from 'vscode';
import { ASPACE_LANGUAGE } from '../../identifiers';

/** Examples larger than this are not offered (they ship with the extension; this is a guard). */
const MAX_EXAMPLE_BYTES = 1 << 20;

interface ExampleItem extends vscode.QuickPickItem {
  readonly uri: vscode.Uri;
}

/** The folder of the examples that ship with the extension; untitled scenarios resolve their PATHs there. */
export const examplesFolder = (extensionUri: vscode.Uri): vscode.Uri => vscode.Uri.joinPath(extensionUri, 'examples');

/** The first comment line of an example, without its `#`: what it demonstrates. */
export function exampleTitle(text: string): string {
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '');
  return first?.trim().startsWith('#') ? first.trim().replace(/^#+\s*/, '') : '';
}

/**
 * New Scenario from Example…: a quick pick of the examples, opened as an untitled `aspace`
 * document (the user's files are never written; Save As picks where it goes).
 */
export async function newScenarioFromExample(extensionUri: vscode.Uri): Promise<vscode.TextEditor | undefined> {
  const folder = examplesFolder(extensionUri);
  let names: string[];
  try {
    names = (await vscode.workspace.fs.readDirectory(folder)).filter(([n, type]) => type === vscode.FileType.File && n.endsWith('.aspace')).map(([n]) => n).sort();
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('The examples folder could not be read: {0}', error instanceof Error ? error.message : String(error)));
    return undefined;
  }
  const items: ExampleItem[] = [];
  for (const name of names) {
    const uri = vscode.Uri.joinPath(folder, name);
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_EXAMPLE_BYTES) continue;
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      items.push({ label: name.replace(/\.aspace$/, ''), description: exampleTitle(text), uri });
    } catch {
      // A missing example is left out.
    }
  }
  if (items.length === 0) {
    void vscode.window.showWarningMessage(vscode.l10n.t('No example scenarios were found in the extension.'));
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Start a scenario from an example'), matchOnDescription: true });
  if (!pick) return undefined;
  const content = new TextDecoder().decode(await vscode.workspace.fs.readFile(pick.uri));
  const document = await vscode.workspace.openTextDocument({ language: ASPACE_LANGUAGE, content });
  return vscode.window.showTextDocument(document);
}
