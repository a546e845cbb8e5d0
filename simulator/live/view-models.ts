// Live processes in the shapes inspect/ gives for simulated ones (inspect/view-models.ts), so
// the scenario panel's maps table, smaps tab and pages grid can render a real process too.
import type { ProcessSummary, PssGroup, RegionPages, RegionRow, RegionSmaps, SmapsField } from '../inspect/view-models';
import type { LiveProcess, LiveVma } from './types';

const KIND_WORDS = { anon: 'anonymous', file: 'file', shmem: 'shmem' } as const;

/** The process as a row of the panel's process list. */
export function liveProcessSummary(p: LiveProcess): ProcessSummary {
  const sum = (name: string) => p.vmas.reduce((s, v) => s + (v.fields[name] ?? 0), 0);
  return {
    name: p.command,
    pid: p.pid,
    state: 'running',
    line: 0,
    rssKb: p.rollup?.Rss ?? sum('Rss'),
    pssKb: p.rollup?.Pss ?? sum('Pss'),
    swapKb: p.rollup?.Swap ?? sum('Swap'),
    vmaCount: p.vmas.length,
  };
}

/** The maps table's rows. `line` is 0 and `origin` says where the VMA comes from as far as /proc tells. */
export function liveRegionRows(p: LiveProcess): RegionRow[] {
  return p.vmas.map((v) => ({
    index: v.index,
    start: v.start,
    end: v.end,
    mapsLine: v.mapsLine,
    perms: v.perms,
    name: v.path,
    pages: Number((BigInt(v.end) - BigInt(v.start)) >> 12n),
    rssKb: v.fields.Rss ?? 0,
    pssKb: v.fields.Pss ?? 0,
    swapKb: v.fields.Swap ?? 0,
    line: 0,
    origin: originOf(v),
  }));
}

function originOf(v: LiveVma): string {
  if (v.path.startsWith('[')) return v.path;
  if (v.path === '') return v.perms[3] === 's' ? 'shared anonymous memory' : 'anonymous memory';
  return `${v.perms[3] === 's' ? 'shared' : 'private'} mapping of ${v.path} at offset ${v.offset}`;
}

/** The smaps tab of one VMA: its fields and the Pss explainer's groups (swap groups are left to the notes). */
export function liveRegionSmaps(v: LiveVma): RegionSmaps {
  const fields: SmapsField[] = Object.entries(v.fields).filter(([name]) => name !== 'THPeligible' && name !== 'ProtectionKey').map(([name, kb]) => ({ name, kb }));
  const pssGroups: PssGroup[] = (v.explain?.groups ?? []).flatMap((g) => {
    if (g.kind === 'swap') return [];
    const pssKb = g.pssBytes / 1024;
    const isPrivate = g.mapcount === 1;
    const what = `${g.pages} ${KIND_WORDS[g.kind]} page${g.pages === 1 ? '' : 's'}, ${g.mapcount ? `mapcount ${g.mapcount}` : 'mapcount unknown'}`;
    const kb = `${Number.isInteger(pssKb) ? pssKb : pssKb.toFixed(2)} kB`;
    const explanation = g.mapcount === 0 ? `${what}: ${kb}, what smaps' Pss leaves` : isPrivate ? `${what}: all 4 kB each = ${kb}` : `${what}: 1/${g.mapcount} of 4 kB each = ${kb}`;
    return [{ kind: g.kind, mapcount: g.mapcount, private: isPrivate, pages: g.pages, pssKb, explanation }];
  });
  return {
    header: v.mapsLine,
    fields,
    vmFlags: v.vmFlags.join(' '),
    pss: [],
    pssGroups,
    residentPages: Math.round((v.fields.Rss ?? 0) / 4),
  };
}

/** The pages grid of one VMA (when it was read with `pages: true`). */
export function liveRegionPages(v: LiveVma): RegionPages | undefined {
  return v.pages ? { start: v.pages.start, count: v.pages.count, states: v.pages.states, mapcounts: v.pages.mapcounts } : undefined;
}

/** What changed between two readings of a process (a snapshot and now): VMAs added, removed, and smaps fields that moved. */
export interface LiveDiff {
  readonly added: LiveVma[];
  readonly removed: LiveVma[];
  readonly changed: { readonly before: LiveVma; readonly after: LiveVma; readonly fields: Record<string, { readonly before: number; readonly after: number }> }[];
}

/** Compares two readings VMA by VMA (matched by start and end). */
export function diffLiveProcesses(before: LiveProcess, after: LiveProcess): LiveDiff {
  const key = (v: LiveVma) => `${v.start}-${v.end}`;
  const old = new Map(before.vmas.map((v) => [key(v), v]));
  const now = new Map(after.vmas.map((v) => [key(v), v]));
  const changed: LiveDiff['changed'] = [];
  for (const [k, a] of now) {
    const b = old.get(k);
    if (!b) continue;
    const fields: Record<string, { before: number; after: number }> = {};
    for (const name of new Set([...Object.keys(b.fields), ...Object.keys(a.fields)])) {
      if (b.fields[name] !== a.fields[name]) fields[name] = { before: b.fields[name] ?? 0, after: a.fields[name] ?? 0 };
    }
    if (Object.keys(fields).length || a.perms !== b.perms || a.path !== b.path) changed.push({ before: b, after: a, fields });
  }
  return { added: after.vmas.filter((v) => !old.has(key(v))), removed: before.vmas.filter((v) => !now.has(key(v))), changed };
}
