import * as vscode from 'vscode';

export const SYSROOT_SETTING = 'addressSpaceExplorer.sysroot';

/**
 * Where PT_INTERP paths are looked up: `addressSpaceExplorer.sysroot` as a path (relative ones
 * from the first workspace folder) or as a URI (e.g. vscode-remote://…). "/" is the host's root.
 */
export function sysrootUri(): vscode.Uri {
  const value = vscode.workspace.getConfiguration().get<string>(SYSROOT_SETTING, '/').trim() || '/';
  if (/^[a-z][\w+.-]*:\/\//i.test(value)) return vscode.Uri.parse(value);
  if (value.startsWith('/')) return vscode.Uri.file(value);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder ? vscode.Uri.joinPath(folder, value) : vscode.Uri.file('/' + value);
}
