// What the extension's live view shows of a real process: live/'s results turned into the
// scenario panel's view models (RegionRow, ProcessSummary, TimelineView) where the views are
// shared, and into the live view's own (Pss explainer with swap and exactness, snapshot diff).
// Plain data, structured-clone safe; no vscode, no DOM.
import type { ProcessSummary, RegionRow, SmapsField, TimelineView } from '../inspect/view-models';
import type { Hex, LiveProcess, LivePssGroup, LiveVma } from './types';

const PAGE = 4096;

/** One reading of the process's totals (smaps_rollup), for the timeline. */
export interface LiveSample {
  /** Epoch ms of the reading. */
  readonly at: number;
  readonly rssKb: number;
  readonly pssKb: number;
  readonly swapKb: number;
}

/** One group of the explainer, described. */
export interface LiveExplainGroup {
  readonly kind: LivePssGroup['kind'];
  readonly mapcount: number;
  readonly pages: number;
  /** The group's exact share in kB (fractional). */
  readonly pssKb: number;
  readonly explanation: string;
}

/** Everything the smaps tab shows of one VMA. */
export interface LiveSmapsView {
  readonly header: string;
  /** The `Name: N kB` fields, in the kernel's order. */
  readonly fields: readonly SmapsField[];
  readonly vmFlags: string;
  readonly explain: {
    readonly groups: readonly LiveExplainGroup[];
    /** Sum of the non-swap groups, shifted as smaps_account does. */
    readonly pssKb: number;
    /** The kernel's Pss of the VMA, or null when smaps was not read. */
    readonly kernelPssKb: number | null;
    readonly exact: boolean;
    readonly skippedPages: number;
    readonly notes: readonly string[];
  } | null;
}

/** A VMA's row in the snapshot diff. */
export interface LiveDiffRow {
  readonly change: 'added' | 'removed' | 'changed';
  readonly start: Hex;
  readonly end: Hex;
  readonly perms: string;
  readonly path: string;
  /** [before, after] in kB (0 for the side where the VMA does not exist). */
  readonly rssKb: readonly [number, number];
  readonly pssKb: readonly [number, number];
  readonly swapKb: readonly [number, number];
  /** "grew from 132 kB", "perms were r--p". */
  readonly note: string;
}

export interface LiveDiffView {
  /** Epoch ms of the snapshot and of the reading compared with it. */
  readonly snapshotAt: number;
  readonly currentAt: number;
  readonly totals: { readonly rssKb: readonly [number, number]; readonly pssKb: readonly [number, number]; readonly swapKb: readonly [number, number] };
  readonly vmas: readonly [number, number];
  readonly rows: readonly LiveDiffRow[];
  /** Rows left out past the limit. */
  readonly omitted: number;
}

const kb = (vma: LiveVma, field: string): number => vma.fields[field] ?? 0;
const pages = (vma: LiveVma): number => Number((BigInt(vma.end) - BigInt(vma.start)) / BigInt(PAGE));

/** Why a live VMA exists, from its name and flags (the maps table's detail line). */
export function liveOrigin(vma: LiveVma, executable?: string): string {
  const p = vma.path;
  const shared = vma.perms[3] === 's';
  const offset = vma.offset === '0x0' ? '' : ` at offset ${vma.offset}`;
  if (p === '[heap]') return '[heap]: the brk area (malloc\'s main arena)';
  if (p === '[stack]') return '[stack]: the main thread\'s stack';
  if (p === '[vdso]') return '[vdso]: the kernel\'s virtual shared object (clock_gettime without a system call)';
  if (p.startsWith('[vvar')) return `${p}: the vDSO's data pages, mapped by the kernel (PFN map, not in Pss)`;
  if (p === '[vsyscall]') return '[vsyscall]: the legacy fixed-address page (outside pagemap)';
  if (p.startsWith('[anon:')) return `anonymous memory named ${p.slice(6, -1)} (PR_SET_VMA_ANON_NAME)`;
  if (p === '') return shared ? 'shared anonymous memory (shmem)' : `anonymous memory${vma.perms === '---p' ? ': a guard or a reservation (no access)' : ''}`;
  if (p.startsWith('/dev/zero') || p.startsWith('/SYSV') || p.startsWith('/memfd:') || p.startsWith('/dev/shm/')) return `shared memory ${p}${offset}`;
  const role = executable && p === executable ? 'the program' : /\/ld-linux[^/]*\.so/.test(p) ? 'the dynamic loader' : /\.so(\.|$)/.test(p) ? 'a library' : 'a file';
  const what = vma.perms[2] === 'x' ? 'code' : vma.perms[1] === 'w' ? (shared ? 'shared writable mapping' : 'data (private: written pages become anonymous)') : 'read-only data';
  return `${role}: ${what}${offset}`;
}

/** The maps table's rows (the scenario panel's RegionRow: line 0, since no statement made them). */
export function liveRegionRows(process: LiveProcess): RegionRow[] {
  const executable = process.vmas.find((v) => v.path.startsWith('/') && v.perms[2] === 'x')?.path;
  return process.vmas.map((v, index) => ({
    index, start: v.start, end: v.end, mapsLine: v.mapsLine, perms: v.perms, name: v.path,
    pages: pages(v), rssKb: kb(v, 'Rss'), pssKb: kb(v, 'Pss'), swapKb: kb(v, 'Swap'), line: 0,
    origin: liveOrigin(v, executable),
  }));
}

/** The process as the processes table's one row. */
export function liveProcessSummary(process: LiveProcess, name: string, gone: boolean): ProcessSummary {
  const r = process.rollup ?? {};
  const sum = (field: string) => process.vmas.reduce((n, v) => n + kb(v, field), 0);
  return {
    name, pid: process.pid, state: gone ? 'exited' : 'running', line: 0,
    rssKb: r.Rss ?? sum('Rss'), pssKb: r.Pss ?? sum('Pss'), swapKb: r.Swap ?? sum('Swap'), vmaCount: process.vmas.length,
  };
}

/** The `Name: N kB` lines of a smaps block (the unitless ones such as THPeligible are left to VmFlags' line). */
export function smapsKbFields(vma: LiveVma): SmapsField[] {
  const fields: SmapsField[] = [];
  for (const m of vma.smapsText.matchAll(/^(\w+):\s+(\d+) kB$/gm)) fields.push({ name: m[1] as string, kb: Number(m[2]) });
  if (fields.length === 0) for (const [name, value] of Object.entries(vma.fields)) fields.push({ name, kb: value });
  return fields;
}

const KIND_NAMES: Readonly<Record<LivePssGroup['kind'], string>> = { anon: 'anonymous', file: 'file', shmem: 'shmem', swap: 'swapped' };
const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word} page${n === 1 ? '' : 's'}`;
const kbText = (value: number) => `${Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(2)} kB`;

/** "4 kB", "½ of 4 kB", "1/7 of 4 kB": what one page of a group adds. */
function share(mapcount: number): string {
  if (mapcount <= 1) return '4 kB';
  const glyphs: Readonly<Record<number, string>> = { 2: '½', 3: '⅓', 4: '¼', 5: '⅕', 6: '⅙', 8: '⅛' };
  return `${glyphs[mapcount] ?? `1/${mapcount}`} of 4 kB`;
}

/** One group, said in words: how many pages, their mapcount, what each adds, what they add. */
export function explainGroup(g: LivePssGroup): LiveExplainGroup {
  const pssKb = g.pssBytes / 1024;
  const what = plural(g.pages, KIND_NAMES[g.kind]);
  let explanation: string;
  if (g.kind === 'swap') explanation = `${what}: ${kbText(pssKb)} of SwapPss, counted as if unshared (the swap count is not exported)`;
  else if (g.mapcount === 0) explanation = `${what}, mapcount unknown (no PFN, or /proc/kpagecount unreadable): counted as 4 kB each = ${kbText(pssKb)}`;
  else explanation = `${what}, mapcount ${g.mapcount}${g.mapcount > 1 ? ` (${g.mapcount} mappings share each)` : ''}: ${share(g.mapcount)} each = ${kbText(pssKb)}`;
  return { kind: g.kind, mapcount: g.mapcount, pages: g.pages, pssKb, explanation };
}

/** The smaps tab's model of one VMA. */
export function liveSmapsView(vma: LiveVma): LiveSmapsView {
  const e = vma.explain;
  return {
    header: vma.mapsLine,
    fields: smapsKbFields(vma),
    vmFlags: vma.vmFlags.join(' '),
    explain: e
      ? { groups: e.groups.map(explainGroup), pssKb: e.pssKb, kernelPssKb: e.kernelPssKb ?? vma.fields.Pss ?? null, exact: e.exact, skippedPages: e.skippedPages, notes: [...e.notes] }
      : null,
  };
}

/** Rss, Pss and Swap over the readings, as the scenario timeline draws them (its "lines" are sample numbers). */
export function liveTimeline(name: string, samples: readonly LiveSample[]): TimelineView {
  return {
    lines: samples.map((_, i) => i + 1),
    processes: [{ name, rssKb: samples.map((s) => s.rssKb), pssKb: samples.map((s) => s.pssKb), swapKb: samples.map((s) => s.swapKb) }],
  };
}

/** A reading's totals: smaps_rollup, or the VMAs summed when it could not be read. */
export function liveSample(process: LiveProcess, at: number): LiveSample {
  const s = liveProcessSummary(process, '', false);
  return { at, rssKb: s.rssKb, pssKb: s.pssKb, swapKb: s.swapKb };
}

const MAX_DIFF_ROWS = 2000;

/** What changed between a snapshot and a later reading, VMA by VMA (matched by start address). */
export function liveDiff(before: LiveProcess, beforeAt: number, after: LiveProcess, afterAt: number): LiveDiffView {
  const old = new Map(before.vmas.map((v) => [v.start, v]));
  const rows: LiveDiffRow[] = [];
  const triple = (a: LiveVma | undefined, b: LiveVma | undefined, f: string): [number, number] => [a ? kb(a, f) : 0, b ? kb(b, f) : 0];
  const row = (change: LiveDiffRow['change'], a: LiveVma | undefined, b: LiveVma | undefined, note: string): LiveDiffRow => {
    const v = (b ?? a) as LiveVma;
    return { change, start: v.start, end: v.end, perms: v.perms, path: v.path, rssKb: triple(a, b, 'Rss'), pssKb: triple(a, b, 'Pss'), swapKb: triple(a, b, 'Swap'), note };
  };
  for (const v of after.vmas) {
    const was = old.get(v.start);
    old.delete(v.start);
    if (!was) {
      rows.push(row('added', undefined, v, 'new since the snapshot'));
      continue;
    }
    const notes: string[] = [];
    if (was.end !== v.end) notes.push(`${BigInt(v.end) > BigInt(was.end) ? 'grew' : 'shrank'} from ${kbText(pages(was) * 4)}`);
    if (was.perms !== v.perms) notes.push(`perms were ${was.perms}`);
    if (was.path !== v.path) notes.push(`was ${was.path || 'anonymous'}`);
    const moved = ['Rss', 'Pss', 'Swap'].some((f) => kb(was, f) !== kb(v, f));
    if (notes.length > 0 || moved) rows.push(row('changed', was, v, notes.join(', ')));
  }
  for (const v of old.values()) rows.push(row('removed', v, undefined, 'unmapped since the snapshot'));
  rows.sort((a, b) => (BigInt(a.start) < BigInt(b.start) ? -1 : BigInt(a.start) > BigInt(b.start) ? 1 : 0));
  const a = liveSample(before, beforeAt);
  const b = liveSample(after, afterAt);
  return {
    snapshotAt: beforeAt, currentAt: afterAt,
    totals: { rssKb: [a.rssKb, b.rssKb], pssKb: [a.pssKb, b.pssKb], swapKb: [a.swapKb, b.swapKb] },
    vmas: [before.vmas.length, after.vmas.length],
    rows: rows.slice(0, MAX_DIFF_ROWS),
    omitted: Math.max(0, rows.length - MAX_DIFF_ROWS),
  };
}
