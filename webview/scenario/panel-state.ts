// The panel's state across hide/show and reloads (getState/setState), checked on the way back in.
// It is also what the panel tells the host it shows (the focus event).
import type { VsCodeApi } from '../vscode-api';
import { checkFocus, type PanelFocus } from './protocol';

export type PanelState = PanelFocus;

export const INITIAL_PANEL_STATE: PanelState = { tab: 'processes', process: null, region: null, address: null, mode: 'x86-64' };

/** The saved state, or undefined for a fresh panel (or one whose state cannot be read). */
export function loadPanelState(api: VsCodeApi): PanelState | undefined {
  const saved = api.getState();
  if (saved === undefined || saved === null) return undefined;
  try {
    return checkFocus(saved);
  } catch {
    return undefined;
  }
}

export function savePanelState(api: VsCodeApi, state: PanelState): void {
  api.setState(state);
}
