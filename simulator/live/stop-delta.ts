// What changed in a debuggee between two stops: regions that are new, grown (a stack grows down, a
// heap up: its start or its end moved), shrunk, unmapped or re-protected (mprotect splits a VMA:
// the pieces are matched by the range they came from), and each region's Rss, Pss and Swap deltas.
// The result is the live view's Diff tab model (LiveDiffView), so the tab shows it as it shows a
// snapshot. Pure; no vscode.
import type { LiveDiffRow, LiveDiffView } from './live-view-models';
import { liveSample } from './live-view-models';
import type { LiveProcess, LiveVma } from './types';

export type RegionMark = 'new' | 'grown' | 'shrunk' | 'unmapped' | 're-protected';

export interface StopRegionChange {
  readonly marks: readonly RegionMark[];
  readonly row: LiveDiffRow;
}

export interface StopDelta {
  readonly changes: readonly StopRegionChange[];
  /** How many regions carry each mark. */
  readonly counts: Readonly<Record<RegionMark, number>>;
  readonly rssKb: readonly [number, number];
  readonly pssKb: readonly [number, number];
  readonly swapKb: readonly [number, number];
  /** "1 new region, 1 re-protected; Rss +4 kB, Pss +4 kB" or "nothing changed". */
  readonly summary: string;
}

const MAX_ROWS = 2000;
const big = (h: string) => BigInt(h);
const kb = (v: LiveVma | undefined, f: string) => (v ? (v.fields[f] ?? 0) : 0);
const sizeKb = (v: LiveVma) => Number((big(v.end) - big(v.start)) >> 10n);
const signed = (n: number) => `${n > 0 ? '+' : n < 0 ? '−' : '±'}${Math.abs(n).toLocaleString('en-US')} kB`;

/**
 * For each region now, the region it was at the previous stop, with the same pathname: the same
 * start, else the same end (a named region that grew down: the stack), else the one it lies in (a
 * piece split off by mprotect or a partial munmap). An anonymous mapping made where another was
 * unmapped is new, not the old one grown.
 */
function previousOf(before: readonly LiveVma[], after: readonly LiveVma[]): Map<LiveVma, LiveVma> {
  const byStart = new Map(before.map((v) => [v.start, v]));
  const byEnd = new Map(before.map((v) => [v.end, v]));
  const was = new Map<LiveVma, LiveVma>();
  const used = new Set<LiveVma>();
  for (const v of after) {
    const start = byStart.get(v.start);
    const end = byEnd.get(v.end);
    const same = start?.path === v.path ? start : end?.path === v.path && v.path !== '' ? end : undefined;
    if (same && !used.has(same)) {
      was.set(v, same);
      used.add(same);
    }
  }
  // Pieces of a split: the overlapping previous region (sorted, so a scan from the last match suffices).
  let i = 0;
  for (const v of after) {
    if (was.has(v)) continue;
    while (i < before.length && big((before[i] as LiveVma).end) <= big(v.start)) i++;
    const o = before[i];
    if (o && o.path === v.path && big(o.start) <= big(v.start) && big(v.end) <= big(o.end)) was.set(v, o);
  }
  return was;
}

/** The marks of a region present at both stops. */
function marksOf(was: LiveVma, v: LiveVma, shared: boolean): RegionMark[] {
  const marks: RegionMark[] = [];
  const grewDown = big(v.start) < big(was.start);
  const grewUp = big(v.end) > big(was.end);
  if (grewDown || grewUp) marks.push('grown');
  else if (big(v.start) > big(was.start) || big(v.end) < big(was.end)) marks.push('shrunk');
  if (was.perms !== v.perms) marks.push('re-protected');
  // A piece split off a region that kept its range elsewhere is not itself "shrunk".
  if (shared && marks[0] === 'shrunk' && marks.includes('re-protected')) marks.shift();
  return marks;
}

function noteOf(marks: readonly RegionMark[], was: LiveVma | undefined, v: LiveVma): string {
  if (!was) return 'new since the last stop';
  const parts: string[] = [];
  for (const m of marks) {
    if (m === 'grown') parts.push(`grown ${big(v.start) < big(was.start) ? 'down' : 'up'} from ${sizeKb(was).toLocaleString('en-US')} kB`);
    if (m === 'shrunk') parts.push(`shrunk from ${sizeKb(was).toLocaleString('en-US')} kB`);
    if (m === 're-protected') parts.push(`re-protected: was ${was.perms}`);
  }
  if (was.start !== v.start || was.end !== v.end) parts.push(`was ${was.start.slice(2)}-${was.end.slice(2)}`);
  return parts.join(', ');
}

/** What changed between the reading at the previous stop (`before`) and the reading at this one. */
export function stopDelta(before: LiveProcess, after: LiveProcess): StopDelta {
  const was = previousOf(before.vmas, after.vmas);
  const counts: Record<RegionMark, number> = { new: 0, grown: 0, shrunk: 0, unmapped: 0, 're-protected': 0 };
  const pieces = new Map<LiveVma, number>();
  for (const w of was.values()) pieces.set(w, (pieces.get(w) ?? 0) + 1);
  const keeper = new Map<LiveVma, LiveVma>();
  for (const [v, w] of was) if (v.start === w.start || (v.end === w.end && keeper.get(w)?.start !== w.start)) keeper.set(w, v);
  const changes: StopRegionChange[] = [];
  const row = (change: LiveDiffRow['change'], a: LiveVma | undefined, b: LiveVma | undefined, note: string): LiveDiffRow => {
    const v = (b ?? a) as LiveVma;
    const pair = (f: string): [number, number] => [kb(a, f), kb(b, f)];
    return { change, start: v.start, end: v.end, perms: v.perms, path: v.path, rssKb: pair('Rss'), pssKb: pair('Pss'), swapKb: pair('Swap'), note };
  };
  for (const v of after.vmas) {
    const w = was.get(v);
    const shared = w !== undefined && (pieces.get(w) ?? 0) > 1;
    // Of the pieces split off one region, the old numbers stay with one: the piece at the old start (else at the old end).
    const from = w && shared && keeper.get(w) !== v ? undefined : w;
    const marks: RegionMark[] = w ? marksOf(w, v, shared) : ['new'];
    const moved = ['Rss', 'Pss', 'Swap'].some((f) => kb(from, f) !== kb(v, f));
    if (marks.length === 0 && !moved) continue;
    for (const m of marks) counts[m]++;
    changes.push({ marks, row: row(w ? 'changed' : 'added', w ? from : undefined, v, noteOf(marks, w, v)) });
  }
  const kept = new Set(was.values());
  for (const v of before.vmas) {
    if (kept.has(v)) continue;
    counts.unmapped++;
    changes.push({ marks: ['unmapped'], row: row('removed', v, undefined, 'unmapped since the last stop') });
  }
  changes.sort((a, b) => (big(a.row.start) < big(b.row.start) ? -1 : big(a.row.start) > big(b.row.start) ? 1 : 0));
  const s0 = liveSample(before, 0);
  const s1 = liveSample(after, 0);
  const rssKb: [number, number] = [s0.rssKb, s1.rssKb];
  const pssKb: [number, number] = [s0.pssKb, s1.pssKb];
  const swapKb: [number, number] = [s0.swapKb, s1.swapKb];
  return { changes, counts, rssKb, pssKb, swapKb, summary: summaryOf(counts, rssKb, pssKb, swapKb) };
}

function summaryOf(counts: Readonly<Record<RegionMark, number>>, ...totals: (readonly [number, number])[]): string {
  const regions = (Object.entries(counts) as [RegionMark, number][]).filter(([, n]) => n > 0)
    .map(([m, n], i) => `${n} ${m}${i === 0 ? ` region${n === 1 ? '' : 's'}` : ''}`);
  const names = ['Rss', 'Pss', 'Swap'];
  const moved = totals.flatMap(([a, b], i) => (a !== b ? [`${names[i]} ${signed(b - a)}`] : []));
  if (regions.length === 0 && moved.length === 0) return 'nothing changed';
  return [regions.join(', '), moved.join(', ')].filter(Boolean).join('; ');
}

/** The delta as the Diff tab's model. */
export function stopDiffView(delta: StopDelta, beforeAt: number, afterAt: number, vmas: readonly [number, number]): LiveDiffView {
  return {
    snapshotAt: beforeAt, currentAt: afterAt,
    totals: { rssKb: delta.rssKb, pssKb: delta.pssKb, swapKb: delta.swapKb },
    vmas,
    rows: delta.changes.slice(0, MAX_ROWS).map((c) => c.row),
    omitted: Math.max(0, delta.changes.length - MAX_ROWS),
  };
}
