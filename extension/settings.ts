import * as vscode from 'vscode';

export const SYSROOT_SETTING = 'addressSpaceExplorer.sysroot';

/**
 * Where PT_INTERP paths are looked up for `program`: `addressSpaceExplorer.sysroot` as a URI
 * (e.g. vscode-remote://…), or as a path on the program's own file system (so "/" is the root
 * of the machine the file is on, locally or remote); relative paths start at the first
 * workspace folder.
 */
export function sysrootUri(program: vscode.Uri): vscode.Uri {
  const value = vscode.workspace.getConfiguration().get<string>(SYSROOT_SETTING, '/').trim() || '/';
  if (/^[a-z][\w+.-]*:\/\//i.test(value)) return vscode.Uri.parse(value);
  if (value.startsWith('/')) return program.with({ path: value, query: '', fragment: '' });
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.joinPath(program, '..');
  return vscode.Uri.joinPath(folder, value);
}

export const LD_LIBRARY_PATH_SETTING = 'addressSpaceExplorer.ldLibraryPath';

/** LD_LIBRARY_PATH for ld.so's search, from the setting ("" when unset). */
export function ldLibraryPathSetting(): string {
  return vscode.workspace.getConfiguration().get<string>(LD_LIBRARY_PATH_SETTING, '').trim();
}
