import * as vscode from 'vscode';
import { pokeEdit } from '../../simulator/toy6/poke-edit';
import type { Toy6Run } from '../../simulator/toy6/run';
import { revealLine } from '../scenario/reveal-line';

/**
 * A PTE bit toggled in the panel: edits the scenario (the poke that set the cell, or a new poke
 * line after the step's line, where the cursor then goes) and lets the edit re-run it.
 */
export async function applyPokeEdit(uri: vscode.Uri, run: Toy6Run, step: number, address: number, value: number): Promise<void> {
  const edit = pokeEdit(run, step, address, value);
  if (!edit) throw new Error(`cell ${address} cannot be set to ${value} at this step`);
  const document = await vscode.workspace.openTextDocument(uri);
  const change = new vscode.WorkspaceEdit();
  if (edit.kind === 'replace') {
    const { line, column, endColumn } = edit.span;
    change.replace(uri, new vscode.Range(line - 1, column - 1, line - 1, endColumn - 1), edit.text);
  } else {
    const after = Math.min(edit.after, document.lineCount);
    const end = document.lineAt(after - 1).range.end;
    change.insert(uri, end, `${document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n'}${edit.text}`);
  }
  if (!(await vscode.workspace.applyEdit(change))) throw new Error('the scenario could not be edited');
  if (edit.kind === 'insert') await revealLine(uri, edit.after + 1);
}
