// "Compare with Real smaps" for a twin: its VMAs paired with the live ones by address, the
// fields the twin promises to reproduce compared, and for each difference why.
import { parseSmaps } from '../proc/parse-smaps';
import type { TwinRegion, TwinScenario } from './twin';
import { KERNEL_MAPPINGS, maxByte, type TwinInput, type TwinVma } from './twin-model';

/** The fields a private VMA of the twin has exactly as live. */
export const TWIN_FIELDS = ['Size', 'Rss', 'Anonymous', 'Swap', 'Private_Dirty', 'Private_Clean'] as const;
/** Shown beside them: they depend on processes outside the twin. */
export const TWIN_SHARED_FIELDS = ['Pss', 'Shared_Clean', 'Shared_Dirty'] as const;

export interface TwinVmaComparison {
  readonly start: string;
  readonly end: string;
  readonly perms: string;
  readonly path: string;
  /** smaps fields in kB. */
  readonly live?: Readonly<Record<string, number>>;
  readonly twin?: Readonly<Record<string, number>>;
  /** TWIN_FIELDS that differ. */
  readonly differs: readonly string[];
  readonly status: 'match' | 'differs' | 'missing' | 'extra';
  /** Why they differ, or what to know even when they match. */
  readonly reason?: string;
}

export interface TwinComparison {
  readonly rows: readonly TwinVmaComparison[];
  /** Private VMAs (maps' 'p') that are not kernel-internal, and how many of them match. */
  readonly privateVmas: number;
  readonly privateMatched: number;
  readonly vmas: number;
  readonly matched: number;
}

const hex = (n: bigint) => `0x${n.toString(16)}`;

/** Pairs the live VMAs with the twin's (`show smaps` of the twin process) by start address. */
export function compareTwin(input: TwinInput, twin: TwinScenario, twinSmaps: string): TwinComparison {
  const entries = parseSmaps(twinSmaps).entries;
  const byStart = new Map(entries.map((e) => [e.start, e]));
  const liveStarts = new Set(input.vmas.map((v) => v.start));
  // The twin's region made at each start (the first, if several): looked up per VMA, not searched.
  const regionAt = new Map<bigint, TwinRegion>();
  for (const r of twin.regions) if (!regionAt.has(r.start)) regionAt.set(r.start, r);
  const rows: TwinVmaComparison[] = [];
  const rowStarts: bigint[] = [];
  let privateVmas = 0;
  let privateMatched = 0;
  let matched = 0;
  for (const v of input.vmas) {
    const e = byStart.get(v.start);
    const twinFields = e ? Object.fromEntries(e.fields.map((f) => [f.name, f.value])) : undefined;
    // A core records no smaps: its VMAs are compared by their size alone.
    const live = v.fields ?? { Size: Number((v.end - v.start) >> 10n) };
    const compared = TWIN_FIELDS.filter((f) => live[f] !== undefined);
    const differs = twinFields ? compared.filter((f) => live[f] !== (twinFields[f] ?? 0)) : compared;
    if (e && e.end !== v.end && !differs.includes('Size')) differs.unshift('Size');
    const status = !e ? 'missing' : differs.length ? 'differs' : 'match';
    const flags = e ? flagsNotRemade(v, e.vmFlags?.flags ?? []) : undefined;
    const reason = [why(v, regionAt.get(v.start), twin.mapcountCap, status, differs, live, twinFields, e && e.end !== v.end ? e.end : undefined), flags].filter(Boolean).join('; ') || undefined;
    rowStarts.push(v.start);
    rows.push({ start: hex(v.start), end: hex(v.end), perms: v.perms, path: v.path, live, ...(twinFields ? { twin: twinFields } : {}), differs, status, ...(reason ? { reason } : {}) });
    if (status === 'match') matched++;
    if (v.perms[3] === 'p' && !KERNEL_MAPPINGS.includes(v.path)) {
      privateVmas++;
      if (status === 'match') privateMatched++;
    }
  }
  for (const e of entries) {
    if (liveStarts.has(e.start)) continue;
    rowStarts.push(e.start);
    rows.push({ start: hex(e.start), end: hex(e.end), perms: e.perms, path: e.pathname, twin: Object.fromEntries(e.fields.map((f) => [f.name, f.value])), differs: [], status: 'extra', reason: 'the twin has a VMA here that the live process has not: made by exec and not unmapped, or two live VMAs merged in the twin' });
  }
  // In address order, by the starts as numbers (not parsed again from the rows' hex at every comparison).
  const order = rows.map((_, i) => i).sort((a, b) => (rowStarts[a]! < rowStarts[b]! ? -1 : 1));
  return { rows: order.map((i) => rows[i]!), privateVmas, privateMatched, vmas: input.vmas.length, matched };
}

function why(v: TwinVma, region: TwinRegion | undefined, mapcountCap: number, status: TwinVmaComparison['status'], differs: readonly string[], live: Readonly<Record<string, number>>, t: Record<string, number> | undefined, otherEnd: bigint | undefined): string | undefined {
  const maxMapcount = v.mapcounts ? maxByte(v.mapcounts) : 0;
  const outside = maxMapcount > mapcountCap ? `pages shared with processes outside the twin: mapcount up to ${maxMapcount} live, at most ${mapcountCap} in the twin, so its Pss is ${t && live['Pss'] !== undefined ? `${t['Pss']} kB against ${live['Pss']} kB` : 'higher'}` : undefined;
  if (v.path === '[vdso]') {
    const pss = live['Pss'] !== undefined && t ? `; every process on the machine maps its pages, so its Pss is ${t['Pss'] ?? 0} kB in the twin against ${live['Pss']} kB live` : '';
    return `a kernel-internal mapping made by exec: the vDSO’s pages are the kernel’s, and the twin reads the ones resident live${v.states ? '' : ' (not known here, so none)'}${pss}`;
  }
  if (KERNEL_MAPPINGS.includes(v.path)) return `a kernel-internal mapping made by exec: ${v.path === '[vvar]' || v.path === '[vvar_vclock]' ? 'a PFN map of the kernel’s time data, never counted in Rss' : 'the kernel’s own page'}`;
  if (status === 'missing') return region?.note ?? 'the twin has no VMA starting here: the statement that makes it failed (asx run prints why), or it merged with its neighbour';
  if (otherEnd !== undefined) return `the twin’s VMA here ends at ${hex(otherEnd)}: a neighbour merged with it, or exec made it another size`;
  if (region?.note) return region.note;
  if (!v.fields) return status === 'match' ? 'only its size is compared: the live page states are not known (a core file)' : undefined;
  if (status === 'match') return outside;
  const deltas = differs.map((f) => `${f} ${t?.[f] ?? 0} kB (live ${live[f] ?? 0} kB)`).join(', ');
  return `${deltas}${outside ? `; ${outside}` : ''}`;
}

/** What a VmFlags letter means, for the ones no statement makes. */
const UNMADE_FLAGS: Readonly<Record<string, string>> = {
  dd: 'MADV_DONTDUMP', wf: 'MADV_WIPEONFORK', lf: 'mlock onfault', mg: 'MADV_MERGEABLE (KSM)', sr: 'MADV_SEQUENTIAL', rr: 'MADV_RANDOM', de: 'VM_DONTEXPAND', um: 'userfaultfd missing', uw: 'userfaultfd wp', ui: 'userfaultfd minor', sl: 'sealed', ss: 'shadow stack',
};

/** The live VmFlags the twin's VMA lacks that a statement of the twin could not make: they split VMAs and change fork, dumps and reclaim. */
function flagsNotRemade(v: TwinVma, twinFlags: readonly string[]): string | undefined {
  const missing = (v.vmFlags ?? []).filter((f) => !twinFlags.includes(f) && UNMADE_FLAGS[f] !== undefined && !KERNEL_MAPPINGS.includes(v.path));
  return missing.length ? `VmFlags ${missing.join(' ')} live (${missing.map((f) => UNMADE_FLAGS[f]).join(', ')}): no statement of the twin makes ${missing.length > 1 ? 'them' : 'it'}` : undefined;
}

/** The comparison as a table: one line per VMA, the differing fields and why. */
export function renderTwinComparison(c: TwinComparison): string {
  // A core's VMAs have no smaps: only their sizes are compared.
  const fields = c.rows.some((r) => r.live && r.live['Rss'] !== undefined) ? TWIN_FIELDS.join(', ') : 'Size (a core records no page state)';
  const lines = [`# twin vs live: ${c.matched} of ${c.vmas} VMAs match in ${fields}; private VMAs: ${c.privateMatched} of ${c.privateVmas}`];
  for (const r of c.rows) {
    const what = r.status === 'match' ? 'match' : r.status === 'missing' ? 'MISSING' : r.status === 'extra' ? 'EXTRA' : `DIFFERS ${r.differs.join(' ')}`;
    const rss = r.live ? ` Rss ${r.live['Rss'] ?? 0}/${r.twin?.['Rss'] ?? '-'} kB` : '';
    lines.push(`${r.start.slice(2).padStart(12, '0')}-${r.end.slice(2).padStart(12, '0')} ${r.perms} ${what.padEnd(8)}${rss} ${r.path}${r.reason ? `\n    ${r.reason}` : ''}`);
  }
  return lines.join('\n') + '\n';
}
