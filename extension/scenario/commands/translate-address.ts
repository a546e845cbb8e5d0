import * as vscode from 'vscode';
import { translateAddress } from '../../../simulator/inspect';
import type { ScenarioSessions } from '../scenario-sessions';
import { addressIn } from '../language/address-at';

/** Where the active session's views are, e.g. "02-fork-cow.aspace, after line 12". */
export function whereText(session: { uri: vscode.Uri; stepIndex: number; lineOfStep(i: number): number }): string {
  const name = session.uri.path.split('/').pop() ?? 'scenario';
  return session.stepIndex < 0 ? `${name}, before the first statement` : `${name}, after line ${session.lineOfStep(session.stepIndex)}`;
}

/** Translate Address…: an address typed in, looked up in every process of the current step. */
export async function translateAddressCommand(sessions: ScenarioSessions, arg?: unknown): Promise<string | undefined> {
  const session = sessions.active;
  const state = session?.run ? session.state() : undefined;
  if (!session || !state) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Run a scenario first: addresses are translated in its current step.'));
    return undefined;
  }
  const editor = vscode.window.activeTextEditor;
  const selected = editor && !editor.selection.isEmpty && editor.selection.isSingleLine ? addressIn(editor.document.getText(editor.selection)) : undefined;
  const text =
    typeof arg === 'string'
      ? arg
      : await vscode.window.showInputBox({
          title: vscode.l10n.t('Translate Address'),
          prompt: vscode.l10n.t('A virtual address, looked up in {0}', whereText(session)),
          placeHolder: vscode.l10n.t('0x7ffff7ff0000'),
          ...(selected ? { value: selected.text.startsWith('0x') ? selected.text : `0x${selected.text}` } : {}),
          validateInput: (value) => (addressIn(value) ? undefined : 'a hex address: 0x… or 8 to 16 hex digits'),
        });
  if (text === undefined) return undefined;
  const address = addressIn(text);
  if (!address) {
    void vscode.window.showErrorMessage(vscode.l10n.t("'{0}' is not a hex address.", text.slice(0, 40)));
    return undefined;
  }
  let lines: string[];
  try {
    lines = translateAddress(state, address.value).map((t) => t.summary);
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('The address could not be translated: {0}', error instanceof Error ? error.message : String(error)));
    return undefined;
  }
  const result = lines.length ? lines.join('\n') : `0x${address.value.toString(16)} is not mapped in any process of ${whereText(session)}`;
  const copy = 'Copy';
  void vscode.window.showInformationMessage(result, copy).then((choice) => {
    if (choice === copy) void vscode.env.clipboard.writeText(result);
  });
  return result;
}
