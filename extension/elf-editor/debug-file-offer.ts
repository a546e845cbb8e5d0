import * as vscode from 'vscode';
import { ElfFile } from '../../simulator/elf';
import { findBinaryOf, separateDebugFile } from '../../simulator/elf/debug-file';
import type { FileOpener } from '../files/file-opener';
import type { ElfDocument } from './elf-document';

/**
 * For a separate debug file: its build ID and the binary it belongs to (the first candidate that is ELF
 * with the same build ID), if found. Undefined when the document is not a separate debug file.
 */
export async function findDebugFileBinary(doc: ElfDocument, sysroot: vscode.Uri, opener: FileOpener): Promise<{ binary?: vscode.Uri; buildId?: string } | undefined> {
  if (!doc.elf) return undefined;
  const info = await separateDebugFile(doc.elf);
  if (!info) return undefined;
  const binary = await findBinaryOf(doc.uri.path, info, async (path) => {
    const file = await opener.openInSysroot(sysroot, path);
    return { elf: await ElfFile.open(file.access).catch(() => undefined), dispose: () => file.dispose() };
  });
  return { buildId: info.buildId, ...(binary ? { binary: vscode.Uri.joinPath(sysroot, binary) } : {}) };
}

/**
 * A separate debug file opened in the ELF view: its sections and symbols are shown; offer to open
 * the binary it belongs to (found by build ID, GDB's layouts), or say that none was found.
 */
export async function offerDebugFileBinary(doc: ElfDocument, sysroot: vscode.Uri, opener: FileOpener): Promise<void> {
  const found = await findDebugFileBinary(doc, sysroot, opener).catch(() => undefined);
  if (!found) return;
  const name = doc.uri.path.split('/').pop() ?? doc.uri.path;
  const id = found.buildId ? ` (build ID ${found.buildId})` : '';
  if (!found.binary) {
    void vscode.window.showInformationMessage(`${name} is a separate debug file${id}: its sections and symbols are shown, its code is in the binary it belongs to, which was not found beside it or under /usr/lib/debug.`);
    return;
  }
  const open = 'Open the Binary';
  const choice = await vscode.window.showInformationMessage(`${name} is a separate debug file${id}: its sections and symbols are shown. It belongs to ${found.binary.path}.`, open);
  if (choice === open) await vscode.commands.executeCommand('vscode.openWith', found.binary, 'addressSpaceExplorer.elf');
}
