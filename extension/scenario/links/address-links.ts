import * as vscode from 'vscode';
import { translateAddress, type AddressTranslation } from '../../../simulator/inspect';
import { whereText } from '../commands/translate-address';
import { COMMANDS } from '../commands/command-ids';
import { addressAt, addressIn, type FoundAddress } from '../language/address-at';
import { escapeMarkdown, translationMarkdown } from '../language/hover-text';
import type { ScenarioSession } from '../scenario-session';
import type { ScenarioSessions } from '../scenario-sessions';

/** Selection moves closer together than this are one (a drag, a held arrow key). */
const STATUS_DEBOUNCE_MS = 80;
/** Longer lines are not searched for addresses (minified files, binary shown as text). */
const MAX_LINE_LENGTH = 4096;

/** The translations of an address in the session's current step; empty when it has no run or nothing maps it. */
export function translationsOf(session: ScenarioSession | undefined, address: bigint): AddressTranslation[] {
  const state = session?.run ? session.state() : undefined;
  if (!state) return [];
  try {
    return translateAddress(state, address);
  } catch {
    return [];
  }
}

/** The address under a position or in a one-line selection. */
function addressUnder(document: vscode.TextDocument, selection: vscode.Selection | vscode.Position): FoundAddress | undefined {
  const position = selection instanceof vscode.Selection ? selection.active : selection;
  if (selection instanceof vscode.Selection && !selection.isEmpty && selection.isSingleLine) {
    const picked = addressIn(document.getText(selection));
    if (picked) return picked;
  }
  const line = document.lineAt(position.line).text;
  if (line.length > MAX_LINE_LENGTH) return undefined;
  return addressAt(line, position.character);
}

/**
 * Addresses anywhere (a log, gdb output, a maps file) linked to the scenario: a hover with the
 * process, VMA, page state, PTE and physical address, and a status bar item for the address
 * under the cursor or selection. Both cost nothing until a scenario has run.
 */
export function addressLinks(sessions: ScenarioSessions): vscode.Disposable {
  const hover = vscode.languages.registerHoverProvider(
    { scheme: '*' },
    {
      provideHover(document, position) {
        const session = sessions.active;
        if (!session?.run) return undefined;
        const line = document.lineAt(position.line).text;
        if (line.length > MAX_LINE_LENGTH) return undefined;
        const found = addressAt(line, position.character);
        if (!found) return undefined;
        const translations = translationsOf(session, found.value);
        const markdown = new vscode.MarkdownString(
          translations.length ? translationMarkdown(translations, whereText(session)) : `**Address Space Explorer** — \`0x${found.value.toString(16)}\` is not mapped in ${escapeMarkdown(whereText(session))}`,
        );
        return new vscode.Hover(markdown, new vscode.Range(position.line, found.start, position.line, found.end));
      },
    },
  );
  const status = vscode.window.createStatusBarItem('addressSpaceExplorer.address', vscode.StatusBarAlignment.Right, 100);
  status.name = 'Address Space Explorer: Address';
  status.command = COMMANDS.showPanel;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const update = () => {
    const editor = vscode.window.activeTextEditor;
    const session = sessions.active;
    if (!editor || !session?.run) return status.hide();
    const found = addressUnder(editor.document, editor.selection);
    if (!found) return status.hide();
    const translations = translationsOf(session, found.value);
    const first = translations[0];
    if (!first) {
      status.text = `$(symbol-numeric) 0x${found.value.toString(16)}: not mapped`;
      status.tooltip = `Not mapped in any process of ${whereText(session)}`;
    } else {
      const more = translations.length > 1 ? ` (+${translations.length - 1})` : '';
      status.text = `$(symbol-numeric) ${first.summary.length > 80 ? `${first.summary.slice(0, 79)}…` : first.summary}${more}`;
      const tooltip = new vscode.MarkdownString(translationMarkdown(translations, whereText(session)));
      tooltip.supportThemeIcons = true;
      status.tooltip = tooltip;
    }
    status.show();
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(update, STATUS_DEBOUNCE_MS);
  };
  const watched = new WeakSet<ScenarioSession>();
  const watch = (session: ScenarioSession | undefined) => {
    if (session && !watched.has(session)) {
      watched.add(session);
      session.onDidRun(schedule);
      session.onDidChangeStep(schedule);
    }
    schedule();
  };
  watch(sessions.active);
  return vscode.Disposable.from(
    hover,
    status,
    sessions.onDidChangeActive(watch),
    vscode.window.onDidChangeTextEditorSelection(() => {
      if (sessions.active?.run) schedule();
      else status.hide();
    }),
    vscode.window.onDidChangeActiveTextEditor(schedule),
    { dispose: () => clearTimeout(timer) },
  );
}
