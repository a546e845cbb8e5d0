import * as vscode from 'vscode';
import { isScenario } from '../scenario/scenario-sessions';
import type { ScenarioPanel } from './scenario-panel';

/** A 0x-prefixed address of at most 64 bits, the whole selection. */
const ADDRESS = /^\s*0x([0-9a-fA-F]{1,16})\s*$/;
const SELECTION_DEBOUNCE_MS = 100;

/**
 * Selecting a hex address in any text editor (a log, a disassembly, gdb output) walks it in the
 * panel's page-table tab, in the followed scenario's state.
 */
export function followAddressSelection(panel: ScenarioPanel): vscode.Disposable {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return vscode.Disposable.from(
    vscode.window.onDidChangeTextEditorSelection(({ textEditor, selections }) => {
      if (!panel.visible || isScenario(textEditor.document) || selections.length !== 1) return;
      const selection = selections[0];
      if (!selection || selection.isEmpty || selection.start.line !== selection.end.line) return;
      const match = ADDRESS.exec(textEditor.document.getText(selection));
      if (!match) return;
      const address = `0x${(match[1] as string).toLowerCase().replace(/^0+(?=.)/, '')}`;
      clearTimeout(timer);
      timer = setTimeout(() => panel.showAddress(address, null), SELECTION_DEBOUNCE_MS);
    }),
    { dispose: () => clearTimeout(timer) },
  );
}
