import * as vscode from 'vscode';
import { compareSmaps, alignedTexts, type SmapsComparison } from '../../../simulator/proc/compare-smaps';
import { renderMaps } from '../../../simulator/proc/maps';
import { looksLikeSmaps, parseSmaps } from '../../../simulator/proc/parse-smaps';
import { renderSmaps } from '../../../simulator/proc/smaps';
import type { ScenarioState } from '../../../simulator/scenario/state';
import { whereText } from '../commands/translate-address';
import type { ScenarioSessions } from '../scenario-sessions';
import type { CompareDocuments } from './compare-documents';

/** A real smaps larger than this is refused (a process with 100k VMAs is about 40 MB). */
const MAX_REAL_BYTES = 64 << 20;

interface Source {
  readonly name: string;
  readonly text: string;
}

interface SourceItem extends vscode.QuickPickItem {
  readonly load: () => Promise<Source | undefined>;
}

/** The simulated /proc/PID/smaps (or maps) of a process in a state, as execute.ts prints it for `show`. */
export function simulatedSmaps(state: ScenarioState, process: string, mapsOnly: boolean): string | undefined {
  const task = state.kernel.tasks.get(process);
  if (!task || task.exited || task.death) return undefined;
  if (mapsOnly) return renderMaps(task.mm);
  return renderSmaps(state.kernel, task) + (task.mm.gateVma ? renderSmaps(state.kernel, task, [task.mm.gateVma]) : '');
}

/** The real text and the simulated one, compared, with the aligned texts for the diff editor. */
export function compareTexts(realText: string, simulatedText: string, headers: { real: string; simulated: string }): { comparison: SmapsComparison; real: string; simulated: string; errors: string[] } {
  const real = parseSmaps(realText);
  const mapsOnly = real.kind === 'maps';
  const comparison = compareSmaps(real, parseSmaps(simulatedText));
  const texts = alignedTexts(comparison, headers, mapsOnly);
  const errors = real.errors.map((e) => e.message);
  if (real.errorCount > real.errors.length) errors.push(`… ${real.errorCount - real.errors.length} more lines with errors`);
  if (real.truncated) errors.push(real.truncated);
  return { comparison, ...texts, errors };
}

async function pickSource(): Promise<Source | undefined> {
  const items: SourceItem[] = [];
  const editor = vscode.window.activeTextEditor;
  if (editor && looksLikeSmaps(editor.document.getText(new vscode.Range(0, 0, 50, 0)))) {
    const name = editor.document.uri.path.split('/').pop() || 'editor';
    items.push({ label: '$(file-text) Active Editor', description: name, load: async () => ({ name, text: editor.document.getText() }) });
  }
  const clipboard = await Promise.resolve(vscode.env.clipboard.readText()).catch(() => '');
  if (clipboard && looksLikeSmaps(clipboard)) {
    items.push({ label: '$(clippy) Clipboard', description: `${clipboard.split('\n').length} lines`, load: async () => ({ name: 'clipboard', text: clipboard }) });
  }
  items.push({ label: '$(folder-opened) Open a File…', description: 'a saved /proc/PID/smaps or maps', load: () => openFile() });
  const pick = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Which real /proc/PID/smaps (or maps)?') });
  return pick?.load();
}

async function openFile(given?: vscode.Uri): Promise<Source | undefined> {
  const [uri] = given ? [given] : ((await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: vscode.l10n.t('Compare'), title: vscode.l10n.t('A real /proc/PID/smaps or maps (saved with cat /proc/PID/smaps > file)') })) ?? []);
  if (!uri) return undefined;
  const stat = await vscode.workspace.fs.stat(uri);
  if (stat.size > MAX_REAL_BYTES) throw new Error(`${uri.path.split('/').pop()} is ${stat.size} bytes; at most ${MAX_REAL_BYTES} are compared`);
  // /proc files report size 0; their text is read like any other.
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  return { name: uri.path.split('/').pop() || 'smaps', text: text.length > MAX_REAL_BYTES ? text.slice(0, MAX_REAL_BYTES) : text };
}

/**
 * Compare with Real smaps…: a real capture side by side with the simulated process at the current
 * step in the diff editor, VMAs aligned, plus a one-line summary. Nothing is written to disk.
 * `args` lets tests and other commands skip the pickers.
 */
export async function compareWithRealSmaps(sessions: ScenarioSessions, documents: CompareDocuments, args?: { text?: string; name?: string; process?: string; uri?: vscode.Uri }): Promise<SmapsComparison | undefined> {
  const session = sessions.active;
  const state = session?.run ? session.state() : undefined;
  if (!session || !state) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Run a scenario first: the real smaps is compared with a process of its current step.'));
    return undefined;
  }
  let source: Source | undefined;
  try {
    source = typeof args?.text === 'string' ? { name: args.name ?? 'real smaps', text: args.text } : args?.uri ? await openFile(args.uri) : await pickSource();
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('The file could not be read: {0}', error instanceof Error ? error.message : String(error)));
    return undefined;
  }
  if (!source) return undefined;
  const parsed = parseSmaps(source.text, { maxEntries: 1 });
  if (parsed.entries.length === 0) {
    const why = parsed.errors[0]?.message ?? 'it is empty';
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} is not /proc/PID/smaps or maps: {1}', source.name, why));
    return undefined;
  }
  const live = [...state.kernel.tasks.values()].filter((t) => !t.exited && !t.death).map((t) => t.name);
  if (live.length === 0) {
    void vscode.window.showWarningMessage(vscode.l10n.t('No process is running in {0}.', whereText(session)));
    return undefined;
  }
  const process = args?.process ?? (live.length === 1 ? live[0] : await vscode.window.showQuickPick(live, { placeHolder: vscode.l10n.t('Compare {0} with which simulated process?', source.name) }));
  if (!process) return undefined;
  const mapsOnly = parseSmaps(source.text).kind === 'maps';
  const simulated = simulatedSmaps(state, process, mapsOnly);
  if (simulated === undefined) {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} is not running in {1}.', process, whereText(session)));
    return undefined;
  }
  const where = whereText(session);
  const result = compareTexts(source.text, simulated, { real: `# real: ${source.name}`, simulated: `# simulated: ${process} in ${where}` });
  const { left, right } = documents.add({ name: source.name, text: result.real }, { name: `${process}-${mapsOnly ? 'maps' : 'smaps'}`, text: result.simulated });
  await vscode.commands.executeCommand('vscode.diff', left, right, `${source.name} ↔ ${process} (simulated, ${where})`, { preview: true });
  const warnings = result.errors.length ? ` (${result.errors.length} line${result.errors.length === 1 ? '' : 's'} skipped: ${result.errors[0]})` : '';
  void vscode.window.showInformationMessage(vscode.l10n.t('{0}{1}', result.comparison.summary, warnings));
  return result.comparison;
}
