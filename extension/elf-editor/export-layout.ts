import * as vscode from 'vscode';
import { describeElf } from '../../simulator/elf/describe';
import type { ExportFormat, LayoutResult } from '../../webview/view-models';
import type { ElfDocument } from './elf-document';
import { layoutCsv, layoutMarkdown } from './layout-text';

const EXTENSIONS: Readonly<Record<ExportFormat, string>> = { json: 'json', csv: 'csv', markdown: 'md' };
const FILTERS: Readonly<Record<ExportFormat, Record<string, string[]>>> = {
  json: { JSON: ['json'] },
  csv: { CSV: ['csv'] },
  markdown: { Markdown: ['md'] },
};

async function render(doc: ElfDocument, layout: LayoutResult, format: ExportFormat): Promise<string> {
  if (format === 'json') {
    // Everything, symbols included: describing them is slow for big files, but this is a deliberate export.
    return JSON.stringify({ layout, elf: await describeElf(doc.requireElf()) }, null, 2) + '\n';
  }
  if (layout.kind !== 'layout') throw new Error(`there is no layout to export: ${layout.reason}`);
  return format === 'csv' ? layoutCsv(layout) : layoutMarkdown(await doc.summary(), layout);
}

/**
 * Writes an export where the user picks in a save dialog, and only there.
 * Returns the file written, or null when the user cancelled.
 */
export async function exportLayout(doc: ElfDocument, layout: LayoutResult, format: ExportFormat): Promise<string | null> {
  const name = doc.uri.path.split('/').pop() || 'program';
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.joinPath(doc.uri, '..');
  const target = await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Export the address space of {0}', name),
    defaultUri: vscode.Uri.joinPath(folder, `${name}.maps.${EXTENSIONS[format]}`),
    filters: FILTERS[format],
  });
  if (!target) return null;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(await render(doc, layout, format)));
  return target.toString(true);
}
