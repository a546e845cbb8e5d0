import * as vscode from 'vscode';
import { splitLines } from '../../../simulator/scenario/lexer';
import type { ScenarioSessions } from '../scenario-sessions';
import { completeAt, type CompletionEntry, type EntryKind } from './complete';

/** Entries of a folder listed for a path completion. */
const MAX_PATH_ENTRIES = 500;

const KINDS: Record<EntryKind, vscode.CompletionItemKind> = {
  keyword: vscode.CompletionItemKind.Keyword,
  snippet: vscode.CompletionItemKind.Snippet,
  process: vscode.CompletionItemKind.Variable,
  region: vscode.CompletionItemKind.Field,
  target: vscode.CompletionItemKind.Constant,
  value: vscode.CompletionItemKind.EnumMember,
  field: vscode.CompletionItemKind.Property,
  perms: vscode.CompletionItemKind.EnumMember,
};

function itemOf(entry: CompletionEntry, range: vscode.Range, order: number): vscode.CompletionItem {
  const item = new vscode.CompletionItem(entry.label, KINDS[entry.kind]);
  item.insertText = entry.snippet ? new vscode.SnippetString(entry.insertText ?? entry.label) : (entry.insertText ?? entry.label);
  if (entry.detail) item.detail = entry.detail;
  if (entry.documentation) item.documentation = new vscode.MarkdownString(entry.documentation);
  item.range = range;
  item.sortText = String(order).padStart(4, '0');
  if (entry.label.includes(' ')) item.filterText = entry.label.split(' ')[0];
  return item;
}

/** Completion in `.aspace` documents (see complete.ts), with file paths listed from the scenario's folder. */
export function completionProvider(sessions: ScenarioSessions): vscode.CompletionItemProvider {
  return {
    async provideCompletionItems(document, position, token) {
      const lines = splitLines(document.getText(new vscode.Range(0, 0, position.line + 1, 0)));
      const result = completeAt(lines, position.line, position.character);
      const range = new vscode.Range(position.line, result.wordStart, position.line, position.character);
      const items = result.entries.map((e, i) => itemOf(e, range, i));
      if (result.path !== undefined) items.push(...(await pathItems(document, sessions, result.path, position, token)));
      return items;
    },
  };
}

/** The entries of the folder a partial PATH names, relative to the scenario (or its base folder). */
async function pathItems(document: vscode.TextDocument, sessions: ScenarioSessions, typed: string, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.CompletionItem[]> {
  if (typed.startsWith('/') || typed.includes('..')) return [];
  const base = document.isUntitled ? sessions.sessionOf(document).baseFolder : vscode.Uri.joinPath(document.uri, '..');
  if (!base) return [];
  const slash = typed.lastIndexOf('/');
  const folderPart = typed.slice(0, slash + 1);
  let entries: [string, vscode.FileType][];
  try {
    entries = await vscode.workspace.fs.readDirectory(folderPart ? vscode.Uri.joinPath(base, folderPart) : base);
  } catch {
    return [];
  }
  if (token.isCancellationRequested) return [];
  const range = new vscode.Range(position.line, position.character - (typed.length - slash - 1), position.line, position.character);
  return entries
    .filter(([name]) => !name.startsWith('.') && !name.endsWith('.aspace'))
    .slice(0, MAX_PATH_ENTRIES)
    .map(([name, type], i) => {
      const folder = (type & vscode.FileType.Directory) !== 0;
      const item = new vscode.CompletionItem(folder ? `${name}/` : name, folder ? vscode.CompletionItemKind.Folder : vscode.CompletionItemKind.File);
      item.range = range;
      item.sortText = `${folder ? 0 : 1}${String(i).padStart(4, '0')}`;
      if (folder) item.command = { command: 'editor.action.triggerSuggest', title: 'more' };
      return item;
    });
}
