// The message protocol between the extension host and the live view of a real process, imported by
// both sides. It shares the request/reply machinery (../rpc.ts) and, for the views it borrows from the
// scenario panel (the maps table, the timeline), the scenario panel's methods and checks: a reading
// of the process is a "run" with one step, 0.
import type { ProcessSummary, RegionRow, TimelineView } from '../../simulator/inspect/view-models';
import type { LiveDiffView, LiveSmapsView } from '../../simulator/live/live-view-models';
import type { KpageAccess, LivePageDetail, LivePages } from '../../simulator/live/types';
import { parseReply, parseRequest, type MethodChecks, type Reply, type RequestOf } from '../rpc';
import { checkProcess, checkRegionRows, checkTimeline } from '../scenario/checks';
import type { At, InRegion } from '../scenario/protocol';
import { array, boolean, hex, integer, nullable, oneOf, ProtocolError, record, shown, string, type Fields } from '../validate';
import { checkLiveDiff, checkLivePageDetail, checkLivePages, checkLiveSmaps } from './checks';

export const LIVE_TABS = ['maps', 'smaps', 'pages', 'timeline', 'diff'] as const;
export type LiveTab = (typeof LIVE_TABS)[number];
export const KPAGE_ACCESS: readonly KpageAccess[] = ['full', 'no-pfn', 'no-kpage', 'no-pagemap'];
/** The auto-refresh choices, in seconds (0: off). */
export const REFRESH_INTERVALS = [0, 1, 2, 5, 10, 30, 60] as const;
export const MAX_NAME = 64;

export interface LiveOptions {
  /** Seconds between readings while the view is visible; 0: only on Refresh. */
  readonly intervalSec: number;
  /** SIGSTOP the process while it is read, SIGCONT after. */
  readonly freeze: boolean;
}

/** What the live view shows in its header, pushed by the host after every reading. */
export interface LiveViewStatus {
  readonly pid: number;
  /** /proc/PID/comm: the process's name in the tables. */
  readonly name: string;
  /** The command line. */
  readonly command: string;
  /** "S (sleeping)" from status, or "". */
  readonly state: string;
  readonly threads: number;
  /** Which reading the views show (0: none yet); view requests name it. */
  readonly run: number;
  /** Epoch ms of that reading. */
  readonly readAt: number;
  readonly reading: boolean;
  /** Why the last reading failed (the views keep the one before), or null. */
  readonly error: string | null;
  /** The process has exited. */
  readonly gone: boolean;
  readonly warnings: readonly string[];
  readonly kpageAccess: KpageAccess | null;
  /** Whether the reading shown stopped the process (SIGSTOP/SIGCONT). */
  readonly frozen: boolean;
  readonly options: LiveOptions;
  /** Epoch ms of the snapshot to diff with, or null. */
  readonly snapshotAt: number | null;
  readonly samples: number;
  /** The process as the maps tab's one-row processes table shows it (empty before the first reading). */
  readonly processes: readonly ProcessSummary[];
  /** The debug stop that read the process (extension/debug/), when a debugger follows it. */
  readonly debug?: LiveDebugStatus;
}

/** Which debug session and thread stopped the process, and what changed since its previous stop. */
export interface LiveDebugStatus {
  readonly session: string;
  readonly thread: string;
  readonly reason: string;
  /** 1 for the session's first stop. */
  readonly stop: number;
  /** Whether the debuggee is stopped now (false once it continues). */
  readonly stopped: boolean;
  /** "1 new region; Rss +4 kB", or "" at the first stop. */
  readonly changes: string;
}

/** Show in Address Space: the region to select and the translation to show. */
export interface LiveReveal {
  readonly address: string;
  readonly start: string;
  readonly summary: string;
}

export interface Methods {
  status: { params: Record<string, never>; result: LiveViewStatus };
  regions: { params: At & { process: string }; result: { rows: RegionRow[] } };
  smaps: { params: InRegion; result: LiveSmapsView | null };
  pages: { params: InRegion; result: LivePages | null };
  page: { params: At & { process: string; address: string }; result: LivePageDetail | null };
  timeline: { params: { run: number }; result: TimelineView };
  /** The reading against the snapshot (null: no snapshot). */
  diff: { params: { run: number }; result: LiveDiffView | null };
  /** Reads the process again now. */
  refresh: { params: Record<string, never>; result: Record<string, never> };
  setOptions: { params: LiveOptions; result: Record<string, never> };
  /** Keeps the reading shown as the snapshot (clear: forgets it). */
  snapshot: { params: { clear: boolean }; result: Record<string, never> };
  /** Simulate This Process: the host opens the twin beside (and says itself what went wrong). */
  simulate: { params: Record<string, never>; result: Record<string, never> };
  /** Compare with Real smaps: the twin of this process (made first if none is open) against its live smaps. */
  compareTwin: { params: Record<string, never>; result: Record<string, never> };
}
export type Method = keyof Methods;
export type Request = RequestOf<Methods>;

const run = (p: Fields) => integer(p.run, 'params.run', 1, 2 ** 31);
const at = (p: Fields): At => ({ run: run(p), step: integer(p.step, 'params.step', 0, 0) });
const processName = (p: Fields) => string(p.process, 'params.process', MAX_NAME);
const inRegion = (p: Fields): InRegion => ({ ...at(p), process: processName(p), region: integer(p.region, 'params.region', 0, 1 << 24) });
const empty = (r: unknown) => {
  record(r, 'result');
  return {};
};
function interval(v: unknown, what: string): number {
  const n = integer(v, what, 0, 3600);
  if (!(REFRESH_INTERVALS as readonly number[]).includes(n)) throw new ProtocolError(`${what} must be one of ${REFRESH_INTERVALS.join(', ')}`);
  return n;
}
const checkOptions = (p: Fields, what: string): LiveOptions => ({ intervalSec: interval(p.intervalSec, `${what}.intervalSec`), freeze: boolean(p.freeze, `${what}.freeze`) });

const PARAMS: MethodChecks<Methods>['params'] = {
  status: () => ({}),
  regions: (p) => ({ ...at(p), process: processName(p) }),
  smaps: inRegion,
  pages: inRegion,
  page: (p) => ({ ...at(p), process: processName(p), address: hex(p.address, 'params.address') }),
  timeline: (p) => ({ run: run(p) }),
  diff: (p) => ({ run: run(p) }),
  refresh: () => ({}),
  setOptions: (p) => checkOptions(p, 'params'),
  snapshot: (p) => ({ clear: boolean(p.clear, 'params.clear') }),
  simulate: () => ({}),
  compareTwin: () => ({}),
};

const RESULTS: MethodChecks<Methods>['results'] = {
  status: checkLiveStatus,
  regions: (r) => ({ rows: checkRegionRows(r) }),
  smaps: (r) => nullable(r, 'result', checkLiveSmaps),
  pages: (r) => nullable(r, 'result', checkLivePages),
  page: (r) => nullable(r, 'result', checkLivePageDetail),
  timeline: checkTimeline,
  diff: (r) => nullable(r, 'result', checkLiveDiff),
  refresh: empty,
  setOptions: empty,
  snapshot: empty,
  simulate: empty,
  compareTwin: empty,
};

const TIMEOUT_MS: MethodChecks<Methods>['timeouts'] = {
  status: 30_000, regions: 30_000, smaps: 30_000, pages: 60_000, page: 10_000, timeline: 30_000, diff: 30_000,
  // A reading of a large process (100k VMAs, gigabytes of pagemap) takes a while.
  refresh: 5 * 60_000, setOptions: 10_000, snapshot: 10_000,
  // The host answers at once; the twin is made under its own progress notification.
  simulate: 10_000, compareTwin: 10_000,
};

export const LIVE_METHODS: MethodChecks<Methods> = { params: PARAMS, results: RESULTS, timeouts: TIMEOUT_MS };

/** What the view reports after each paint: the tests read it through the extension's API. */
export interface LiveRenderedReport {
  readonly pid: number;
  readonly run: number;
  readonly tab: LiveTab;
  /** The selected region's start, or null. */
  readonly region: string | null;
  readonly regionCount: number;
  /** The first regions' [start, end] as the maps table holds them (at most MAX_REPORTED). */
  readonly regions: readonly (readonly [string, string])[];
  /** The smaps fields painted (name → kB), when the smaps tab painted them. */
  readonly smaps: readonly { readonly name: string; readonly kb: number }[];
  /** The error banner's text, or null. */
  readonly error: string | null;
}
export const MAX_REPORTED = 4096;

export type LiveEvent = { kind: 'event'; event: 'rendered'; params: LiveRenderedReport };
export type WebviewMessage = Request | LiveEvent;
export type HostEvent = { kind: 'event'; event: 'status'; params: LiveViewStatus } | { kind: 'event'; event: 'reveal'; params: LiveReveal };
export type HostMessage = Reply | HostEvent;

function checkRendered(p: Fields): LiveRenderedReport {
  return {
    pid: integer(p.pid, 'params.pid', 0, 1 << 22),
    run: integer(p.run, 'params.run', 0, 2 ** 31),
    tab: oneOf(p.tab, LIVE_TABS, 'params.tab'),
    region: nullable(p.region, 'params.region', hex),
    regionCount: integer(p.regionCount, 'params.regionCount', 0, 1 << 24),
    regions: array(p.regions, 'params.regions', (v, w) => {
      const a = array(v, w, hex, 2);
      if (a.length !== 2) throw new ProtocolError(`${w} must be [start, end]`);
      return [a[0] as string, a[1] as string] as const;
    }, MAX_REPORTED),
    smaps: array(p.smaps, 'params.smaps', (v, w) => {
      const o = record(v, w);
      return { name: string(o.name, `${w}.name`, 64), kb: integer(o.kb, `${w}.kb`) };
    }, 64),
    error: nullable(p.error, 'params.error', (v, w) => string(v, w, 4096)),
  };
}

/** Host side: checks a message from the view. Throws RequestError (with the id) or ProtocolError. */
export function parseLiveWebviewMessage(data: unknown): WebviewMessage {
  const m = record(data, 'message');
  if (m.kind === 'event') {
    if (m.event !== 'rendered') throw new ProtocolError(`unknown event ${shown(m.event)}`);
    return { kind: 'event', event: 'rendered', params: checkRendered(record(m.params, 'params')) };
  }
  if (m.kind !== 'request') throw new ProtocolError('message.kind must be "request" or "event"');
  return parseRequest(LIVE_METHODS, m);
}

export function checkLiveStatus(v: unknown): LiveViewStatus {
  const s = record(v, 'status');
  const o = record(s.options, 'status.options');
  return {
    pid: integer(s.pid, 'status.pid', 0, 1 << 22),
    name: string(s.name, 'status.name', MAX_NAME),
    command: string(s.command, 'status.command', 4096),
    state: string(s.state, 'status.state', 64),
    threads: integer(s.threads, 'status.threads'),
    run: integer(s.run, 'status.run', 0, 2 ** 31),
    readAt: integer(s.readAt, 'status.readAt'),
    reading: boolean(s.reading, 'status.reading'),
    error: nullable(s.error, 'status.error', (x, w) => string(x, w, 4096)),
    gone: boolean(s.gone, 'status.gone'),
    warnings: array(s.warnings, 'status.warnings', (x, w) => string(x, w, 4096), 200),
    kpageAccess: nullable(s.kpageAccess, 'status.kpageAccess', (x, w) => oneOf(x, KPAGE_ACCESS, w)),
    frozen: boolean(s.frozen, 'status.frozen'),
    options: checkOptions(o, 'status.options'),
    snapshotAt: nullable(s.snapshotAt, 'status.snapshotAt', (x, w) => integer(x, w)),
    samples: integer(s.samples, 'status.samples'),
    processes: array(s.processes, 'status.processes', checkProcess, 1),
    ...(s.debug === undefined ? {} : { debug: checkDebugStatus(s.debug) }),
  };
}

function checkDebugStatus(v: unknown): LiveDebugStatus {
  const d = record(v, 'status.debug');
  const text = (x: unknown, w: string) => string(x, `status.debug.${w}`, 256);
  return {
    session: text(d.session, 'session'), thread: text(d.thread, 'thread'), reason: text(d.reason, 'reason'),
    stop: integer(d.stop, 'status.debug.stop', 1, 2 ** 31), stopped: boolean(d.stopped, 'status.debug.stopped'),
    changes: string(d.changes, 'status.debug.changes', 4096),
  };
}

function checkReveal(v: unknown): LiveReveal {
  const r = record(v, 'params');
  return { address: hex(r.address, 'params.address'), start: hex(r.start, 'params.start'), summary: string(r.summary, 'params.summary', 4096) };
}

/** View side: checks a message from the host (a reply's result is checked by the method it answers). */
export function parseLiveHostMessage(data: unknown): HostMessage {
  const m = record(data, 'message');
  if (m.kind === 'reply') return parseReply(m);
  if (m.kind !== 'event') throw new ProtocolError('message.kind must be "reply" or "event"');
  if (m.event === 'reveal') return { kind: 'event', event: 'reveal', params: checkReveal(m.params) };
  if (m.event !== 'status') throw new ProtocolError(`unknown event ${shown(m.event)}`);
  return { kind: 'event', event: 'status', params: checkLiveStatus(m.params) };
}
