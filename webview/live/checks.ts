// Checks of the view models the host sends the live view: each returns the value typed, or throws.
import { PageState } from '../../simulator/inspect/view-models';
import type { LiveDiffRow, LiveDiffView, LiveExplainGroup, LiveSmapsView } from '../../simulator/live/live-view-models';
import type { LivePageDetail, LivePages } from '../../simulator/live/types';
import { bytes, MAX_CELLS } from '../scenario/checks';
import { array, boolean, hex, integer, nullable, number, oneOf, record, string } from '../validate';

const TEXT = 4096;
const text = (v: unknown, what: string) => string(v, what, TEXT);
const kb = (v: unknown, what: string) => integer(v, what, 0, 2 ** 52);
const optional = <T>(v: unknown, what: string, check: (v: unknown, what: string) => T): T | undefined => (v === undefined ? undefined : check(v, what));
const pair = (v: unknown, what: string): readonly [number, number] => {
  const a = array(v, what, kb, 2);
  return [a[0] ?? 0, a[1] ?? 0];
};
const GROUP_KINDS = ['anon', 'file', 'shmem', 'swap'] as const;
const PAGE_STATES = Object.values(PageState).length;
/** Every bit of LivePageFlag. */
const FLAG_VALUES = 64;

function checkGroup(v: unknown, what: string): LiveExplainGroup {
  const g = record(v, what);
  return {
    kind: oneOf(g.kind, GROUP_KINDS, `${what}.kind`),
    mapcount: integer(g.mapcount, `${what}.mapcount`, 0, 2 ** 31),
    pages: integer(g.pages, `${what}.pages`, 0, 2 ** 40),
    pssKb: number(g.pssKb, `${what}.pssKb`, 0, 2 ** 52),
    explanation: text(g.explanation, `${what}.explanation`),
  };
}

export function checkLiveSmaps(v: unknown): LiveSmapsView {
  const s = record(v, 'smaps');
  return {
    header: text(s.header, 'smaps.header'),
    fields: array(s.fields, 'smaps.fields', (f, w) => {
      const o = record(f, w);
      return { name: string(o.name, `${w}.name`, 64), kb: kb(o.kb, `${w}.kb`) };
    }, 64),
    vmFlags: text(s.vmFlags, 'smaps.vmFlags'),
    explain: nullable(s.explain, 'smaps.explain', (e, w) => {
      const o = record(e, w);
      return {
        groups: array(o.groups, `${w}.groups`, checkGroup, 4096),
        pssKb: kb(o.pssKb, `${w}.pssKb`),
        kernelPssKb: nullable(o.kernelPssKb, `${w}.kernelPssKb`, kb),
        exact: boolean(o.exact, `${w}.exact`),
        skippedPages: integer(o.skippedPages, `${w}.skippedPages`, 0, 2 ** 40),
        notes: array(o.notes, `${w}.notes`, text, 64),
      };
    }),
  };
}

export function checkLivePages(v: unknown): LivePages {
  const p = record(v, 'pages');
  const count = integer(p.count, 'pages.count', 0, MAX_CELLS);
  return {
    start: hex(p.start, 'pages.start'), count,
    states: bytes(p.states, 'pages.states', count, PAGE_STATES),
    mapcounts: bytes(p.mapcounts, 'pages.mapcounts', count, 256),
    flags: bytes(p.flags, 'pages.flags', count, FLAG_VALUES),
  };
}

export function checkLivePageDetail(v: unknown): LivePageDetail {
  const d = record(v, 'page');
  const n = (x: unknown, w: string) => integer(x, w, 0, 2 ** 53 - 1);
  return {
    address: hex(d.address, 'page.address'),
    pagemap: hex(d.pagemap, 'page.pagemap'),
    present: boolean(d.present, 'page.present'),
    swapped: boolean(d.swapped, 'page.swapped'),
    swapType: optional(d.swapType, 'page.swapType', n),
    swapOffset: optional(d.swapOffset, 'page.swapOffset', n),
    pfn: optional(d.pfn, 'page.pfn', n),
    softDirty: boolean(d.softDirty, 'page.softDirty'),
    exclusive: boolean(d.exclusive, 'page.exclusive'),
    fileOrShared: boolean(d.fileOrShared, 'page.fileOrShared'),
    mapcount: optional(d.mapcount, 'page.mapcount', n),
    kpageflags: optional(d.kpageflags, 'page.kpageflags', hex),
    kpageflagNames: optional(d.kpageflagNames, 'page.kpageflagNames', (x, w) => array(x, w, (y, u) => string(y, u, 32), 64)),
    state: integer(d.state, 'page.state', 0, PAGE_STATES - 1) as PageState,
    description: text(d.description, 'page.description'),
  };
}

function checkDiffRow(v: unknown, what: string): LiveDiffRow {
  const r = record(v, what);
  return {
    change: oneOf(r.change, ['added', 'removed', 'changed'] as const, `${what}.change`),
    start: hex(r.start, `${what}.start`),
    end: hex(r.end, `${what}.end`),
    perms: string(r.perms, `${what}.perms`, 4),
    path: text(r.path, `${what}.path`),
    rssKb: pair(r.rssKb, `${what}.rssKb`),
    pssKb: pair(r.pssKb, `${what}.pssKb`),
    swapKb: pair(r.swapKb, `${what}.swapKb`),
    note: text(r.note, `${what}.note`),
  };
}

export function checkLiveDiff(v: unknown): LiveDiffView {
  const d = record(v, 'diff');
  const t = record(d.totals, 'diff.totals');
  return {
    snapshotAt: integer(d.snapshotAt, 'diff.snapshotAt'),
    currentAt: integer(d.currentAt, 'diff.currentAt'),
    totals: { rssKb: pair(t.rssKb, 'diff.totals.rssKb'), pssKb: pair(t.pssKb, 'diff.totals.pssKb'), swapKb: pair(t.swapKb, 'diff.totals.swapKb') },
    vmas: pair(d.vmas, 'diff.vmas'),
    rows: array(d.rows, 'diff.rows', checkDiffRow, 2000),
    omitted: integer(d.omitted, 'diff.omitted'),
  };
}
