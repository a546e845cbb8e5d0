import * as vscode from 'vscode';
import { ANY_FILE_VIEW_TYPE, ELF_VIEW_TYPE } from '../identifiers';

/** The file names the ELF editor opens by default (package.json's customEditors selector). */
const DEFAULT_NAMES = /\.(elf|so|ko|o)$|\.so\./;

function activeTabUri(): { uri: vscode.Uri; tab: vscode.Tab } | undefined {
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
  const input = tab?.input;
  if (input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom) return { uri: input.uri, tab: tab as vscode.Tab };
  return undefined;
}

/**
 * Opens a file in the ELF editor: the one given (explorer context menu, the ELF prompt), else the
 * active editor's file, else one the user picks. A text tab of the same file is replaced.
 */
export async function openInExplorer(uri?: vscode.Uri): Promise<void> {
  const active = activeTabUri();
  const target = uri ?? active?.uri ?? (await vscode.window.showOpenDialog({ canSelectMany: false, title: vscode.l10n.t('Open an ELF file in Address Space Explorer') }))?.[0];
  if (!target) return;
  const viewType = DEFAULT_NAMES.test(target.path) ? ELF_VIEW_TYPE : ANY_FILE_VIEW_TYPE;
  const textTab = active && active.tab.input instanceof vscode.TabInputText && active.uri.toString() === target.toString() && !active.tab.isDirty ? active.tab : undefined;
  await vscode.commands.executeCommand('vscode.openWith', target, viewType, textTab?.group.viewColumn);
  if (textTab) await vscode.window.tabGroups.close(textTab);
}
