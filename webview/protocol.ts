// The one message protocol between the extension host and the ELF webview, imported by both sides.
// Requests carry ids and get exactly one reply (a result or an error); every request has a timeout;
// every message is validated on receipt, because either side may be talking to something broken.
import { checkCoreView } from './core-checks';
import type { CoreView } from './core-view-model';
import { checkLinkedResult } from './linked-checks';
import { checkElfSummary, checkLayoutResult, checkSymbolPage } from './view-model-checks';
import {
  ASLR_MODES, EXPORT_FORMATS,
  type AslrMode, type ElfSummary, type ExportFormat, type Hex, type LayoutResult, type LinkedResult, type SymbolPage,
} from './view-models';
import { parseReply, parseRequest, RequestError, type MethodChecks, type Reply, type RequestOf } from './rpc';
import { boolean, decimal64, hex, integer, nullable, oneOf, ProtocolError, record, shown, string, type Fields } from './validate';

export { RequestError, type Reply };

export interface LayoutParams {
  readonly aslr: AslrMode;
  /** Decimal seed of the randomized layout. */
  readonly seed: string;
}

/** What a fresh view shows first: ASLR off (the seed does not matter then). */
export const DEFAULT_LAYOUT: LayoutParams = { aslr: 'off', seed: '0' };

export interface SymbolQuery {
  /** Index into ElfSummary.symbolTables. */
  readonly table: number;
  /** Case-insensitive substring of the name; "" for all. */
  readonly text: string;
  /** Only symbols whose value lies in [start, end) (link-time addresses), or null. */
  readonly range: { readonly start: Hex; readonly end: Hex } | null;
  readonly offset: number;
  readonly limit: number;
}

export interface ExportParams extends LayoutParams {
  readonly format: ExportFormat;
}

/** Each method: what the webview sends, what the host answers, how long the webview waits. */
export interface Methods {
  summary: { params: Record<string, never>; result: ElfSummary };
  layout: { params: LayoutParams; result: LayoutResult };
  symbols: { params: SymbolQuery; result: SymbolPage };
  copyMaps: { params: LayoutParams; result: { lines: number } };
  export: { params: ExportParams; result: { savedTo: string | null } };
  /** The dependency tree and the layout at the program's entry point (ld.so has run). */
  linked: { params: LayoutParams; result: LinkedResult };
  /** Copies the maps at entry to the clipboard. */
  copyEntryMaps: { params: LayoutParams; result: { lines: number } };
  /** A core file's process, crash and registers (null: the file is not a core). */
  core: { params: Record<string, never>; result: CoreView | null };
  /** Simulate This Process for a core: the host opens its twin beside (and says itself what went wrong). */
  simulateCore: { params: Record<string, never>; result: Record<string, never> };
}
export type Method = keyof Methods;

export const MAX_SYMBOL_PAGE = 1000;

export const TIMEOUT_MS: Readonly<Record<Method, number>> = {
  summary: 30_000,
  layout: 30_000,
  symbols: 30_000,
  copyMaps: 10_000,
  // The host waits for the user in a save dialog.
  export: 10 * 60_000,
  // ld.so's walk reads every library: a large program has a hundred.
  linked: 60_000,
  copyEntryMaps: 60_000,
  // The mapped files are opened for what gcore leaves out.
  core: 60_000,
  // The host answers at once; the twin is made under its own progress notification.
  simulateCore: 10_000,
};

export type Request = RequestOf<Methods>;

export interface RenderedParams extends LayoutParams {
  readonly regions: number;
  /** Whether the view came back from saved state (getState) rather than fresh. */
  readonly restored: boolean;
}

/** The webview tells the host when it has painted the header and the layout. */
export interface RenderedEvent {
  kind: 'event';
  event: 'rendered';
  params: RenderedParams;
}

export type WebviewMessage = Request | RenderedEvent;

/** Things the host asks the view to do (from commands in the palette, or a changed setting). */
export type HostEvent =
  | { kind: 'event'; event: 'setAslr'; params: { aslr: AslrMode } }
  | { kind: 'event'; event: 'reroll'; params: Record<string, never> }
  | { kind: 'event'; event: 'relayout'; params: Record<string, never> };

export type HostMessage = Reply | HostEvent;

function layoutParams(p: Fields, what: string): LayoutParams {
  return { aslr: oneOf(p.aslr, ASLR_MODES, `${what}.aslr`), seed: decimal64(p.seed, `${what}.seed`) };
}

const PARAMS: MethodChecks<Methods>['params'] = {
  summary: () => ({}),
  layout: (p) => layoutParams(p, 'params'),
  symbols: (p) => {
    const range = nullable(p.range, 'params.range', (r, what) => {
      const o = record(r, what);
      return { start: hex(o.start, `${what}.start`), end: hex(o.end, `${what}.end`) };
    });
    return {
      table: integer(p.table, 'params.table', 0, 64),
      text: string(p.text, 'params.text', 256),
      range,
      offset: integer(p.offset, 'params.offset'),
      limit: integer(p.limit, 'params.limit', 0, MAX_SYMBOL_PAGE),
    };
  },
  copyMaps: (p) => layoutParams(p, 'params'),
  export: (p) => ({ ...layoutParams(p, 'params'), format: oneOf(p.format, EXPORT_FORMATS, 'params.format') }),
  linked: (p) => layoutParams(p, 'params'),
  copyEntryMaps: (p) => layoutParams(p, 'params'),
  core: () => ({}),
  simulateCore: () => ({}),
};

const RESULTS: MethodChecks<Methods>['results'] = {
  summary: checkElfSummary,
  layout: checkLayoutResult,
  symbols: checkSymbolPage,
  copyMaps: (r) => ({ lines: integer(record(r, 'result').lines, 'result.lines') }),
  export: (r) => ({ savedTo: nullable(record(r, 'result').savedTo, 'result.savedTo', (v, w) => string(v, w, 4096)) }),
  linked: checkLinkedResult,
  copyEntryMaps: (r) => ({ lines: integer(record(r, 'result').lines, 'result.lines') }),
  core: (r) => nullable(r, 'result', checkCoreView),
  simulateCore: (r) => {
    record(r, 'result');
    return {};
  },
};

/** The ELF view's methods, with their checks and timeouts. */
export const ELF_METHODS: MethodChecks<Methods> = { params: PARAMS, results: RESULTS, timeouts: TIMEOUT_MS };

/** Host side: checks a message from the webview. Throws ProtocolError (with the request id when it has one). */
export function parseWebviewMessage(data: unknown): WebviewMessage {
  const m = record(data, 'message');
  if (m.kind === 'event') {
    if (m.event !== 'rendered') throw new ProtocolError(`unknown event ${shown(m.event)}`);
    const p = record(m.params, 'params');
    return {
      kind: 'event',
      event: 'rendered',
      params: { ...layoutParams(p, 'params'), regions: integer(p.regions, 'params.regions', 0, 1 << 20), restored: boolean(p.restored, 'params.restored') },
    };
  }
  if (m.kind !== 'request') throw new ProtocolError('message.kind must be "request" or "event"');
  return parseRequest(ELF_METHODS, m);
}

/** Webview side: checks a message from the host (a reply's result is checked by `checkResult`). */
export function parseHostMessage(data: unknown): HostMessage {
  const m = record(data, 'message');
  if (m.kind === 'reply') return parseReply(m);
  if (m.kind !== 'event') throw new ProtocolError('message.kind must be "reply" or "event"');
  switch (m.event) {
    case 'setAslr':
      return { kind: 'event', event: 'setAslr', params: { aslr: oneOf(record(m.params, 'params').aslr, ASLR_MODES, 'params.aslr') } };
    case 'reroll':
    case 'relayout':
      return { kind: 'event', event: m.event, params: {} };
    default:
      throw new ProtocolError(`unknown event ${shown(m.event)}`);
  }
}

/** Webview side: the result of a reply to `method`, checked. */
export function checkResult<M extends Method>(method: M, result: unknown): Methods[M]['result'] {
  return RESULTS[method](result);
}
