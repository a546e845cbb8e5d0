// Checks of the view models the host sends the scenario panel: each returns the value typed, or throws.
import {
  FrameUse, PageState,
  type FaultView, type FrameDetail, type LruListName, type LruView, type PageDetail, type PagingMode, type PhysicalView,
  type ProcessSummary, type PssGroup, type PssShare, type ReclaimEvent, type RegionPages, type RegionRow, type RegionSmaps, type TimelineView, type WalkView,
} from '../../simulator/inspect/view-models';
import { array, boolean, hex, integer, number, oneOf, ProtocolError, record, string, type Fields } from '../validate';
import { unpackBytes } from './byte-runs';

export const PAGING_MODES: readonly PagingMode[] = ['x86-64', 'i386', 'toy6'];
export const LRU_LISTS: readonly LruListName[] = ['inactive_anon', 'active_anon', 'inactive_file', 'active_file', 'unevictable'];
const RECLAIM_ACTIONS = ['rotated', 'activated', 'deactivated', 'reclaimed', 'swapped-out', 'kept'] as const;
const GROUP_KINDS = ['anon', 'file', 'shmem'] as const;
const PSS_KINDS = [...GROUP_KINDS, 'zero'] as const;
const ACCESSES = ['read', 'write', 'exec'] as const;
const PROCESS_STATES = ['running', 'exited', 'killed'] as const;
const PAGE_STATES = Object.values(PageState).length;
const FRAME_USES = Object.values(FrameUse).length;

/** Up to 2^24 pages or frames in one message (64 GiB of 4 KiB pages). */
export const MAX_CELLS = 1 << 24;
const MAX_ROWS = 1 << 21;
const TEXT = 4096;

const kb = (v: unknown, what: string) => integer(v, what, 0, 2 ** 52);
const text = (v: unknown, what: string) => string(v, what, TEXT);
const literalTrue = (v: unknown, what: string): true => {
  if (v !== true) throw new ProtocolError(`${what} must be true when present`);
  return true;
};
const optional = <T>(v: unknown, what: string, check: (v: unknown, what: string) => T): T | undefined => (v === undefined ? undefined : check(v, what));

/** `count` bytes below `max`: a Uint8Array, or its runs (byte-runs.ts), which are unpacked. */
export function bytes(v: unknown, what: string, count: number, max: number): Uint8Array {
  if (v instanceof Uint8Array) {
    if (v.length !== count) throw new ProtocolError(`${what} must have ${count} bytes`);
    for (const b of v) if (b >= max) throw new ProtocolError(`${what} has an unknown value ${b}`);
    return v;
  }
  const { values, lengths } = typeof v === 'object' && v !== null ? (v as Fields) : {};
  if (!(values instanceof Uint8Array) || !(lengths instanceof Uint32Array) || values.length !== lengths.length || values.length > count) {
    throw new ProtocolError(`${what} must be a Uint8Array, or its runs: values (a Uint8Array) and lengths (a Uint32Array) of one size, at most ${count}`);
  }
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i]! >= max) throw new ProtocolError(`${what} has an unknown value ${values[i]}`);
    if (lengths[i] === 0) throw new ProtocolError(`${what} has an empty run`);
    total += lengths[i]!;
  }
  if (total !== count) throw new ProtocolError(`${what} must have ${count} bytes, its runs have ${total}`);
  return unpackBytes({ values, lengths }, count);
}

export function checkProcess(v: unknown, what: string): ProcessSummary {
  const p = record(v, what);
  return {
    name: string(p.name, `${what}.name`, 64),
    pid: integer(p.pid, `${what}.pid`, 0, 1 << 22),
    state: oneOf(p.state, PROCESS_STATES, `${what}.state`),
    death: optional(p.death, `${what}.death`, text),
    line: integer(p.line, `${what}.line`),
    rssKb: kb(p.rssKb, `${what}.rssKb`),
    pssKb: kb(p.pssKb, `${what}.pssKb`),
    swapKb: kb(p.swapKb, `${what}.swapKb`),
    vmaCount: integer(p.vmaCount, `${what}.vmaCount`),
  };
}

export function checkRegionRow(v: unknown, what: string): RegionRow {
  const r = record(v, what);
  return {
    index: integer(r.index, `${what}.index`),
    start: hex(r.start, `${what}.start`),
    end: hex(r.end, `${what}.end`),
    mapsLine: text(r.mapsLine, `${what}.mapsLine`),
    perms: string(r.perms, `${what}.perms`, 4),
    name: text(r.name, `${what}.name`),
    region: optional(r.region, `${what}.region`, (x, w) => string(x, w, 64)),
    pages: integer(r.pages, `${what}.pages`),
    rssKb: kb(r.rssKb, `${what}.rssKb`),
    pssKb: kb(r.pssKb, `${what}.pssKb`),
    swapKb: kb(r.swapKb, `${what}.swapKb`),
    line: integer(r.line, `${what}.line`),
    origin: text(r.origin, `${what}.origin`),
  };
}

export const checkRegionRows = (v: unknown): RegionRow[] => array(record(v, 'result').rows, 'result.rows', checkRegionRow, MAX_ROWS);

function checkPssShare(v: unknown, what: string): PssShare {
  const s = record(v, what);
  return {
    address: hex(s.address, `${what}.address`),
    pfn: integer(s.pfn, `${what}.pfn`),
    mapcount: integer(s.mapcount, `${what}.mapcount`),
    kind: oneOf(s.kind, PSS_KINDS, `${what}.kind`),
    dirty: boolean(s.dirty, `${what}.dirty`),
    explanation: text(s.explanation, `${what}.explanation`),
  };
}

function checkPssGroup(v: unknown, what: string): PssGroup {
  const g = record(v, what);
  return {
    kind: oneOf(g.kind, GROUP_KINDS, `${what}.kind`),
    mapcount: integer(g.mapcount, `${what}.mapcount`),
    private: boolean(g.private, `${what}.private`),
    pages: integer(g.pages, `${what}.pages`),
    pssKb: number(g.pssKb, `${what}.pssKb`, 0, 2 ** 52),
    explanation: text(g.explanation, `${what}.explanation`),
  };
}

export function checkRegionSmaps(v: unknown): RegionSmaps {
  const s = record(v, 'smaps');
  return {
    header: text(s.header, 'smaps.header'),
    fields: array(s.fields, 'smaps.fields', (f, w) => {
      const o = record(f, w);
      const plain = optional(o.plain, `${w}.plain`, (x, what) => literalTrue(x, what));
      return { name: string(o.name, `${w}.name`, 64), kb: kb(o.kb, `${w}.kb`), ...(plain ? { plain } : {}) };
    }, 64),
    vmFlags: text(s.vmFlags, 'smaps.vmFlags'),
    pss: array(s.pss, 'smaps.pss', checkPssShare, 1 << 16),
    pssGroups: array(s.pssGroups, 'smaps.pssGroups', checkPssGroup, 1 << 16),
    residentPages: integer(s.residentPages, 'smaps.residentPages'),
    zeroPages: optional(s.zeroPages, 'smaps.zeroPages', (x, w) => integer(x, w)),
  };
}

/** Pages in a PMD-mapped huge page (HPAGE_PMD_NR). */
const HPAGE_PAGES = 512;

export function checkRegionPages(v: unknown): RegionPages {
  const p = record(v, 'pages');
  const count = integer(p.count, 'pages.count', 0, MAX_CELLS);
  const pages = { start: hex(p.start, 'pages.start'), count, states: bytes(p.states, 'pages.states', count, PAGE_STATES), mapcounts: bytes(p.mapcounts, 'pages.mapcounts', count, 256) };
  if (p.hugePages === undefined) return pages;
  // Each huge page is 512 pages that start in the region and end inside it.
  const hugePages = array(p.hugePages, 'pages.hugePages', (x, w) => integer(x, w, 0, Math.max(0, count - HPAGE_PAGES)), Math.ceil(count / HPAGE_PAGES));
  return { ...pages, hugePages };
}

export function checkPageDetail(v: unknown): PageDetail {
  const p = record(v, 'page');
  return {
    address: hex(p.address, 'page.address'),
    state: integer(p.state, 'page.state', 0, PAGE_STATES - 1) as PageState,
    description: text(p.description, 'page.description'),
    pfn: optional(p.pfn, 'page.pfn', (x, w) => integer(x, w)),
    mapcount: optional(p.mapcount, 'page.mapcount', (x, w) => integer(x, w)),
    swapSlot: optional(p.swapSlot, 'page.swapSlot', (x, w) => integer(x, w)),
    pte: hex(p.pte, 'page.pte'),
    line: optional(p.line, 'page.line', (x, w) => integer(x, w)),
  };
}

export function checkWalk(v: unknown): WalkView {
  const w = record(v, 'walk');
  return {
    mode: oneOf(w.mode, PAGING_MODES, 'walk.mode'),
    address: hex(w.address, 'walk.address'),
    levels: array(w.levels, 'walk.levels', (l, what) => {
      const o = record(l, what);
      return {
        level: string(o.level, `${what}.level`, 16),
        bits: string(o.bits, `${what}.bits`, 16),
        index: integer(o.index, `${what}.index`),
        table: hex(o.table, `${what}.table`),
        entry: hex(o.entry, `${what}.entry`),
        flags: array(o.flags, `${what}.flags`, (f, x) => string(f, x, 16), 32),
        present: boolean(o.present, `${what}.present`),
        note: text(o.note, `${what}.note`),
      };
    }, 8),
    physical: optional(w.physical, 'walk.physical', hex),
    unavailable: optional(w.unavailable, 'walk.unavailable', text),
  };
}

export function checkPhysical(v: unknown): PhysicalView {
  const p = record(v, 'physical');
  const frames = integer(p.frames, 'physical.frames', 0, MAX_CELLS);
  return {
    frames,
    uses: bytes(p.uses, 'physical.uses', frames, FRAME_USES),
    freeBlocks: array(p.freeBlocks, 'physical.freeBlocks', (x, w) => integer(x, w), 16),
    freeKb: kb(p.freeKb, 'physical.freeKb'),
    swapTotalKb: kb(p.swapTotalKb, 'physical.swapTotalKb'),
    swapUsedKb: kb(p.swapUsedKb, 'physical.swapUsedKb'),
  };
}

export function checkFrame(v: unknown): FrameDetail {
  const f = record(v, 'frame');
  return {
    pfn: integer(f.pfn, 'frame.pfn'),
    use: integer(f.use, 'frame.use', 0, FRAME_USES - 1) as FrameUse,
    description: text(f.description, 'frame.description'),
    owners: array(f.owners, 'frame.owners', (o, w) => {
      const x = record(o, w);
      return { process: string(x.process, `${w}.process`, 64), address: hex(x.address, `${w}.address`), mapsLine: text(x.mapsLine, `${w}.mapsLine`) };
    }, 4096),
  };
}

function checkLru(v: unknown): LruView {
  const l = record(v, 'lru');
  return {
    lists: array(l.lists, 'lru.lists', (x, w) => {
      const o = record(x, w);
      return {
        name: oneOf(o.name, LRU_LISTS, `${w}.name`),
        total: integer(o.total, `${w}.total`),
        pages: array(o.pages, `${w}.pages`, (p, pw) => {
          const q = record(p, pw);
          return { pfn: integer(q.pfn, `${pw}.pfn`), referenced: boolean(q.referenced, `${pw}.referenced`), young: boolean(q.young, `${pw}.young`), dirty: boolean(q.dirty, `${pw}.dirty`), owner: text(q.owner, `${pw}.owner`) };
        }, 1 << 16),
      };
    }, LRU_LISTS.length),
  };
}

function checkReclaimEvent(v: unknown, what: string): ReclaimEvent {
  const e = record(v, what);
  return { pfn: integer(e.pfn, `${what}.pfn`), list: oneOf(e.list, LRU_LISTS, `${what}.list`), action: oneOf(e.action, RECLAIM_ACTIONS, `${what}.action`), reason: text(e.reason, `${what}.reason`) };
}

export function checkLruResult(v: unknown): { view: LruView; events: ReclaimEvent[] } {
  const r = record(v, 'result');
  return { view: checkLru(r.view), events: array(r.events, 'result.events', checkReclaimEvent, 1 << 16) };
}

const TIMELINE_EVENT_KINDS = ['syscall-failed', 'killed', 'oom-kill', 'oom-no-victim'] as const;

export function checkTimeline(v: unknown): TimelineView {
  const t = record(v, 'timeline');
  const lines = array(t.lines, 'timeline.lines', (x, w) => integer(x, w), MAX_ROWS);
  const series = (x: unknown, w: string) => {
    const values = array(x, w, kb, MAX_ROWS);
    if (values.length !== lines.length) throw new ProtocolError(`${w} must have one value per line`);
    return values;
  };
  const events = t.events === undefined ? undefined : array(t.events, 'timeline.events', (x, w) => {
    const e = record(x, w);
    return { line: integer(e.line, `${w}.line`), kind: oneOf(e.kind, TIMELINE_EVENT_KINDS, `${w}.kind`), message: string(e.message, `${w}.message`, 4096) };
  }, 1000);
  return {
    lines,
    ...(events ? { events } : {}),
    processes: array(t.processes, 'timeline.processes', (p, w) => {
      const o = record(p, w);
      return { name: string(o.name, `${w}.name`, 64), rssKb: series(o.rssKb, `${w}.rssKb`), pssKb: series(o.pssKb, `${w}.pssKb`), swapKb: series(o.swapKb, `${w}.swapKb`) };
    }, 1024),
  };
}

export function checkFault(v: unknown, what: string): FaultView {
  const f = record(v, what);
  return {
    line: integer(f.line, `${what}.line`),
    process: string(f.process, `${what}.process`, 64),
    address: hex(f.address, `${what}.address`),
    access: oneOf(f.access, ACCESSES, `${what}.access`),
    kind: text(f.kind, `${what}.kind`),
    errorCode: text(f.errorCode, `${what}.errorCode`),
    siCode: optional(f.siCode, `${what}.siCode`, text),
    pagesMapped: integer(f.pagesMapped, `${what}.pagesMapped`),
    explanation: text(f.explanation, `${what}.explanation`),
  };
}

export function checkFaults(v: unknown): { step: FaultView[]; all: FaultView[]; total: number } {
  const r: Fields = record(v, 'result');
  return { step: array(r.step, 'result.step', checkFault, 1 << 16), all: array(r.all, 'result.all', checkFault, 1 << 16), total: integer(r.total, 'result.total') };
}
