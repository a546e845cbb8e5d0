import * as vscode from 'vscode';
import type { Span } from '../../../simulator/scenario/ast';

/** A parser span (1-based line and columns, end exclusive) as an editor range. */
export function rangeOf(span: Span): vscode.Range {
  return new vscode.Range(span.line - 1, span.column - 1, span.line - 1, Math.max(span.column, span.endColumn) - 1);
}

/** The whole text of a 1-based line, without its leading blanks (a line past the end: the last line). */
export function lineRange(document: vscode.TextDocument, line: number): vscode.Range {
  const index = Math.max(0, Math.min(line - 1, document.lineCount - 1));
  const text = document.lineAt(index);
  return new vscode.Range(index, text.firstNonWhitespaceCharacterIndex, index, text.range.end.character);
}
