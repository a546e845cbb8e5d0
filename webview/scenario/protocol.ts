// The message protocol between the extension host and the scenario panel, imported by both sides.
// It uses the shared request/reply machinery (../rpc.ts): ids, one reply per request, timeouts,
// and checks of every message in both directions.
import type {
  FaultView, FrameDetail, Hex, LruView, PageDetail, PagingMode, PhysicalView, ProcessSummary, ReclaimEvent, RegionPages, RegionRow, RegionSmaps, TimelineView, WalkView,
} from '../../simulator/inspect/view-models';
import type { Toy6View } from '../../simulator/toy6/view';
import { checkToy6View } from './toy6-checks';
import { parseReply, parseRequest, type MethodChecks, type Reply, type RequestOf } from '../rpc';
import { array, boolean, hex, integer, nullable, oneOf, ProtocolError, record, shown, string, type Fields } from '../validate';
import {
  checkFaults, checkFrame, checkLruResult, checkPageDetail, checkPhysical, checkProcess, checkRegionPages, checkRegionRows, checkRegionSmaps, checkTimeline, checkWalk, PAGING_MODES,
} from './checks';

export const TABS = ['processes', 'smaps', 'pages', 'pagetable', 'physical', 'lru', 'timeline', 'faults'] as const;
export type TabName = (typeof TABS)[number];

export const RUN_STATES = ['no-scenario', 'not-run', 'running', 'problem', 'ready'] as const;
export type RunState = (typeof RUN_STATES)[number];

/** What the panel shows in its header, pushed by the host on every run and step change. */
export interface PanelStatus {
  /** The followed scenario's file name, or null when no scenario is followed. */
  readonly document: string | null;
  /** Which run the step belongs to (0: none); requests name it, so a late reply for an old run is refused. */
  readonly run: number;
  readonly state: RunState;
  /** Percent done while running. */
  readonly progress: number | null;
  readonly problems: readonly { readonly line: number; readonly message: string }[];
  /** The document changed after the run. */
  readonly stale: boolean;
  /** Statement index (-1: before the first statement). */
  readonly step: number;
  readonly steps: number;
  /** 1-based source line of the step (0 before the first statement). */
  readonly line: number;
  readonly text: string;
  readonly processes: readonly ProcessSummary[];
  /** Failed `expect`s of this statement. */
  readonly failures: readonly string[];
  /** A toy6 scenario's machine after the step (set machine toy6): the Page table tab shows it. */
  readonly toy6?: Toy6View;
}

/** A state of one run: every view request names it. */
export interface At {
  readonly run: number;
  readonly step: number;
}
export interface InRegion extends At {
  readonly process: string;
  readonly region: number;
}

export interface Methods {
  /** The header as it is now (the panel asks when it loads; afterwards the host pushes it). */
  status: { params: Record<string, never>; result: PanelStatus };
  regions: { params: At & { process: string }; result: { rows: RegionRow[] } };
  smaps: { params: InRegion; result: RegionSmaps | null };
  pages: { params: InRegion; result: RegionPages | null };
  page: { params: At & { process: string; address: Hex }; result: PageDetail | null };
  walk: { params: At & { process: string; address: Hex; mode: PagingMode }; result: WalkView };
  physical: { params: At; result: PhysicalView };
  frame: { params: At & { pfn: number }; result: FrameDetail };
  lru: { params: At; result: { view: LruView; events: ReclaimEvent[] } };
  timeline: { params: { run: number }; result: TimelineView };
  /** The step's faults; the run's (`all`, empty unless asked) and their total. */
  faults: { params: At & { all: boolean }; result: { step: FaultView[]; all: FaultView[]; total: number } };
  /** Moves the session's step (and so the editor's cursor). */
  setStep: { params: { run: number; step: number }; result: { step: number } };
  /** Moves the step to the last statement at or before a source line (the timeline's samples are lines). */
  setLine: { params: { run: number; line: number }; result: { step: number } };
  /** Shows a line of the scenario in its editor. */
  reveal: { params: { line: number }; result: Record<string, never> };
  /** Runs the followed scenario (the "Run" button). */
  runScenario: { params: Record<string, never>; result: Record<string, never> };
  /** A toy6 PTE bit toggled: cell `address` is to hold `value` after the step; the host edits the scenario's poke lines. */
  editPte: { params: At & { address: number; value: number }; result: Record<string, never> };
}
export type Method = keyof Methods;
export type Request = RequestOf<Methods>;

/** At most this many faults in the "all faults" list. */
export const MAX_FAULTS = 5000;
/** LRU pages listed per list. */
export const LRU_LIMIT = 400;
export const MAX_NAME = 64;

const run = (p: Fields) => integer(p.run, 'params.run', 1, 2 ** 31);
const at = (p: Fields): At => ({ run: run(p), step: integer(p.step, 'params.step', -1, 1 << 24) });
const processName = (p: Fields) => string(p.process, 'params.process', MAX_NAME);
const inRegion = (p: Fields): InRegion => ({ ...at(p), process: processName(p), region: integer(p.region, 'params.region', 0, 1 << 24) });
const empty = (r: unknown) => {
  record(r, 'result');
  return {};
};

const PARAMS: MethodChecks<Methods>['params'] = {
  status: () => ({}),
  regions: (p) => ({ ...at(p), process: processName(p) }),
  smaps: inRegion,
  pages: inRegion,
  page: (p) => ({ ...at(p), process: processName(p), address: hex(p.address, 'params.address') }),
  walk: (p) => ({ ...at(p), process: processName(p), address: hex(p.address, 'params.address'), mode: oneOf(p.mode, PAGING_MODES, 'params.mode') }),
  physical: at,
  frame: (p) => ({ ...at(p), pfn: integer(p.pfn, 'params.pfn', 0, 2 ** 40) }),
  lru: at,
  timeline: (p) => ({ run: run(p) }),
  faults: (p) => ({ ...at(p), all: boolean(p.all, 'params.all') }),
  setStep: (p) => ({ run: run(p), step: integer(p.step, 'params.step', -1, 1 << 24) }),
  setLine: (p) => ({ run: run(p), line: integer(p.line, 'params.line', 0, 1 << 24) }),
  reveal: (p) => ({ line: integer(p.line, 'params.line', 0, 1 << 24) }),
  runScenario: () => ({}),
  editPte: (p) => ({ ...at(p), address: integer(p.address, 'params.address', 0, 63), value: integer(p.value, 'params.value', 0, 63) }),
};

const RESULTS: MethodChecks<Methods>['results'] = {
  status: checkStatus,
  regions: (r) => ({ rows: checkRegionRows(r) }),
  smaps: (r) => nullable(r, 'result', checkRegionSmaps),
  pages: (r) => nullable(r, 'result', checkRegionPages),
  page: (r) => nullable(r, 'result', checkPageDetail),
  walk: checkWalk,
  physical: checkPhysical,
  frame: checkFrame,
  lru: checkLruResult,
  timeline: checkTimeline,
  faults: checkFaults,
  setStep: (r) => ({ step: integer(record(r, 'result').step, 'result.step', -1, 1 << 24) }),
  setLine: (r) => ({ step: integer(record(r, 'result').step, 'result.step', -1, 1 << 24) }),
  reveal: empty,
  runScenario: empty,
  editPte: empty,
};

const TIMEOUT_MS: MethodChecks<Methods>['timeouts'] = {
  status: 30_000,
  regions: 30_000, smaps: 30_000, pages: 30_000, page: 10_000, walk: 10_000, physical: 30_000, frame: 10_000,
  lru: 30_000, timeline: 60_000, faults: 30_000, setStep: 10_000, setLine: 10_000, reveal: 10_000, runScenario: 10 * 60_000, editPte: 10_000,
};

export const SCENARIO_METHODS: MethodChecks<Methods> = { params: PARAMS, results: RESULTS, timeouts: TIMEOUT_MS };

/** What the panel reports after each paint: the integration tests and the benchmark read it through the API. */
export interface RenderedReport {
  readonly run: number;
  readonly step: number;
  readonly line: number;
  readonly tab: TabName;
  readonly process: string | null;
  readonly region: number | null;
  /** The smaps fields shown (name → kB), when the smaps tab painted them. */
  readonly smaps: readonly { readonly name: string; readonly kb: number }[];
  /** Whether the panel came back from saved state. */
  readonly restored: boolean;
}

/** What the panel shows, so that the host can send the visible tab's view models with each step. */
export interface PanelFocus {
  readonly tab: TabName;
  readonly process: string | null;
  /** The selected region, by an address inside it (indices change when VMAs split and merge). */
  readonly region: string | null;
  /** The address the page-table tab walks. */
  readonly address: string | null;
  readonly mode: PagingMode;
}

export function checkFocus(value: unknown): PanelFocus {
  const s = record(value, 'focus');
  return {
    tab: oneOf(s.tab, TABS, 'focus.tab'),
    process: nullable(s.process, 'focus.process', (v, w) => string(v, w, MAX_NAME)),
    region: nullable(s.region, 'focus.region', hex),
    address: nullable(s.address, 'focus.address', hex),
    mode: oneOf(s.mode, PAGING_MODES, 'focus.mode'),
  };
}

/** Views the host sends with a step, so that the panel paints it without asking. */
const PREFETCHED = ['regions', 'smaps', 'pages', 'walk', 'physical', 'lru'] as const satisfies readonly Method[];
type PrefetchedMethod = (typeof PREFETCHED)[number];
export type Prefetched = { [M in PrefetchedMethod]: { readonly method: M; readonly params: Methods[M]['params']; readonly result: Methods[M]['result'] } }[PrefetchedMethod];
const MAX_PREFETCHED = 8;

/** The same key for the same request, whatever the order of its params' fields. */
export const requestKey = (method: Method, params: object): string => `${method}:${JSON.stringify(params, Object.keys(params).sort())}`;

function checkPrefetched(v: unknown, what: string): Prefetched {
  const o = record(v, what);
  const method = oneOf(o.method, PREFETCHED, `${what}.method`);
  return { method, params: PARAMS[method](record(o.params, `${what}.params`)), result: RESULTS[method](o.result) } as Prefetched;
}

export type PanelEvent = { kind: 'event'; event: 'rendered'; params: RenderedReport } | { kind: 'event'; event: 'focus'; params: PanelFocus };
export type WebviewMessage = Request | PanelEvent;

/** Things the host tells the panel. */
export type HostEvent =
  /** A run or step change, with the visible tab's views of the step (`views`). */
  | { kind: 'event'; event: 'status'; params: PanelStatus; views: readonly Prefetched[] }
  /** Walk this address (an address selected in an editor). */
  | { kind: 'event'; event: 'showAddress'; params: { address: Hex; process: string | null } }
  /** Switch to a tab. */
  | { kind: 'event'; event: 'showTab'; params: { tab: TabName } };
export type HostMessage = Reply | HostEvent;

function checkRendered(p: Fields): RenderedReport {
  return {
    run: integer(p.run, 'params.run', 0, 2 ** 31),
    step: integer(p.step, 'params.step', -1, 1 << 24),
    line: integer(p.line, 'params.line', 0, 1 << 24),
    tab: oneOf(p.tab, TABS, 'params.tab'),
    process: nullable(p.process, 'params.process', (v, w) => string(v, w, MAX_NAME)),
    region: nullable(p.region, 'params.region', (v, w) => integer(v, w)),
    smaps: array(p.smaps, 'params.smaps', (v, w) => {
      const o = record(v, w);
      return { name: string(o.name, `${w}.name`, 64), kb: integer(o.kb, `${w}.kb`) };
    }, 64),
    restored: boolean(p.restored, 'params.restored'),
  };
}

/** Host side: checks a message from the panel. Throws RequestError (with the id) or ProtocolError. */
export function parseWebviewMessage(data: unknown): WebviewMessage {
  const m = record(data, 'message');
  if (m.kind === 'event') {
    if (m.event === 'focus') return { kind: 'event', event: 'focus', params: checkFocus(m.params) };
    if (m.event !== 'rendered') throw new ProtocolError(`unknown event ${shown(m.event)}`);
    return { kind: 'event', event: 'rendered', params: checkRendered(record(m.params, 'params')) };
  }
  if (m.kind !== 'request') throw new ProtocolError('message.kind must be "request" or "event"');
  return parseRequest(SCENARIO_METHODS, m);
}

export function checkStatus(v: unknown): PanelStatus {
  const s = record(v, 'status');
  return {
    document: nullable(s.document, 'status.document', (x, w) => string(x, w, 1024)),
    run: integer(s.run, 'status.run', 0, 2 ** 31),
    state: oneOf(s.state, RUN_STATES, 'status.state'),
    progress: nullable(s.progress, 'status.progress', (x, w) => integer(x, w, 0, 100)),
    problems: array(s.problems, 'status.problems', (x, w) => {
      const o = record(x, w);
      return { line: integer(o.line, `${w}.line`), message: string(o.message, `${w}.message`, 4096) };
    }, 200),
    stale: boolean(s.stale, 'status.stale'),
    step: integer(s.step, 'status.step', -1, 1 << 24),
    steps: integer(s.steps, 'status.steps', 0, 1 << 24),
    line: integer(s.line, 'status.line', 0, 1 << 24),
    text: string(s.text, 'status.text', 4096),
    processes: array(s.processes, 'status.processes', checkProcess, 4096),
    failures: array(s.failures, 'status.failures', (x, w) => string(x, w, 4096), 100),
    ...(s.toy6 === undefined ? {} : { toy6: checkToy6View(s.toy6) }),
  };
}

/** Panel side: checks a message from the host (a reply's result is checked by the method it answers). */
export function parseHostMessage(data: unknown): HostMessage {
  const m = record(data, 'message');
  if (m.kind === 'reply') return parseReply(m);
  if (m.kind !== 'event') throw new ProtocolError('message.kind must be "reply" or "event"');
  const p = record(m.params, 'params');
  switch (m.event) {
    case 'status':
      return { kind: 'event', event: 'status', params: checkStatus(p), views: array(m.views, 'views', checkPrefetched, MAX_PREFETCHED) };
    case 'showAddress':
      return { kind: 'event', event: 'showAddress', params: { address: hex(p.address, 'params.address'), process: nullable(p.process, 'params.process', (x, w) => string(x, w, MAX_NAME)) } };
    case 'showTab':
      return { kind: 'event', event: 'showTab', params: { tab: oneOf(p.tab, TABS, 'params.tab') } };
    default:
      throw new ProtocolError(`unknown event ${shown(m.event)}`);
  }
}
