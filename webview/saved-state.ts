// The view's state across hide/show and reloads, kept by VS Code (getState/setState), checked on the way back in.
import { DEFAULT_LAYOUT } from './protocol';
import type { Selection } from './selection';
import { decimal64, hex, integer, oneOf, record, string } from './validate';
import { ASLR_MODES, type AslrMode } from './view-models';
import type { VsCodeApi } from './vscode-api';

export interface SavedState {
  readonly aslr: AslrMode;
  readonly seed: string;
  /** The open tab (maps, segments, symbols, dynamic). */
  readonly tab: number;
  readonly selection: Selection | null;
  readonly symbolTable: number;
  readonly symbolText: string;
  readonly symbolScroll: number;
}

export const INITIAL_STATE: SavedState = { ...DEFAULT_LAYOUT, tab: 0, selection: null, symbolTable: 0, symbolText: '', symbolScroll: 0 };

function selectionOf(value: unknown): Selection | null {
  if (value === null) return null;
  const s = record(value, 'selection');
  switch (s.kind) {
    case 'region':
      return { kind: 'region', start: hex(s.start, 'start') };
    case 'segment':
    case 'section':
      return { kind: s.kind, index: integer(s.index, 'index', 0, 1 << 20) };
    case 'symbol':
      return { kind: 'symbol', table: integer(s.table, 'table', 0, 64), index: integer(s.index, 'index'), value: hex(s.value, 'value'), size: hex(s.size, 'size') };
    default:
      return null;
  }
}

function parse(value: unknown): SavedState {
  const s = record(value, 'state');
  return {
    aslr: oneOf(s.aslr, ASLR_MODES, 'aslr'),
    seed: decimal64(s.seed, 'seed'),
    tab: integer(s.tab, 'tab', 0, 16),
    selection: selectionOf(s.selection),
    symbolTable: integer(s.symbolTable, 'symbolTable', 0, 64),
    symbolText: string(s.symbolText, 'symbolText', 256),
    symbolScroll: integer(s.symbolScroll, 'symbolScroll'),
  };
}

/** The saved state, or undefined when there is none (a fresh view) or it cannot be read. */
export function loadState(api: VsCodeApi): SavedState | undefined {
  const saved = api.getState();
  if (saved === undefined || saved === null) return undefined;
  try {
    return parse(saved);
  } catch {
    return undefined;
  }
}

export function saveState(api: VsCodeApi, state: SavedState): void {
  api.setState(state);
}
