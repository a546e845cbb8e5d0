// The panel's state across hide/show and reloads (getState/setState), checked on the way back in.
import type { PagingMode } from '../../simulator/inspect/view-models';
import { hex, nullable, oneOf, record, string } from '../validate';
import type { VsCodeApi } from '../vscode-api';
import { PAGING_MODES } from './checks';
import { MAX_NAME, TABS, type TabName } from './protocol';

export interface PanelState {
  readonly tab: TabName;
  readonly process: string | null;
  /** The selected region, by an address inside it (indices change when VMAs split and merge). */
  readonly region: string | null;
  /** The address the page-table tab walks. */
  readonly address: string | null;
  readonly mode: PagingMode;
}

export const INITIAL_PANEL_STATE: PanelState = { tab: 'processes', process: null, region: null, address: null, mode: 'x86-64' };

function parse(value: unknown): PanelState {
  const s = record(value, 'state');
  return {
    tab: oneOf(s.tab, TABS, 'tab'),
    process: nullable(s.process, 'process', (v, w) => string(v, w, MAX_NAME)),
    region: nullable(s.region, 'region', hex),
    address: nullable(s.address, 'address', hex),
    mode: oneOf(s.mode, PAGING_MODES, 'mode'),
  };
}

/** The saved state, or undefined for a fresh panel (or one whose state cannot be read). */
export function loadPanelState(api: VsCodeApi): PanelState | undefined {
  const saved = api.getState();
  if (saved === undefined || saved === null) return undefined;
  try {
    return parse(saved);
  } catch {
    return undefined;
  }
}

export function savePanelState(api: VsCodeApi, state: PanelState): void {
  api.setState(state);
}
