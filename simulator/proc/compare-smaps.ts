// Compares a real /proc/PID/smaps (or maps) with the simulated one: VMAs aligned by address
// range, then by order and pathname, with the per-field differences, a one-line summary, and
// two texts laid out so that a line diff marks exactly the lines that differ.
import { entryName, type ParsedSmaps, type SmapsEntry } from './parse-smaps';

export interface FieldDifference {
  readonly field: string;
  readonly real?: number;
  readonly simulated?: number;
  readonly unit: 'kB' | '';
}

/** One aligned pair; one side is missing when a VMA has no counterpart. */
export interface VmaPair {
  readonly real?: SmapsEntry;
  readonly simulated?: SmapsEntry;
  readonly matchedBy: 'range' | 'pathname' | 'none';
  /** Columns of the maps line that differ: start, end, perms, offset, dev, inode, pathname. */
  readonly header: string[];
  readonly fields: FieldDifference[];
}

export interface SmapsComparison {
  readonly pairs: VmaPair[];
  readonly matching: number;
  readonly differing: number;
  readonly onlyReal: number;
  readonly onlySimulated: number;
  /** "12 VMAs match, 2 differ: Rss of [heap] 132 kB vs 128 kB". */
  readonly summary: string;
}

/** Header columns compared for maps files; smaps files add every field. */
const COLUMNS = ['start', 'end', 'perms', 'offset', 'dev', 'inode', 'pathname'] as const;

function headerDifferences(a: SmapsEntry, b: SmapsEntry): string[] {
  return COLUMNS.filter((c) => a[c] !== b[c]);
}

function fieldDifferences(a: SmapsEntry, b: SmapsEntry): FieldDifference[] {
  const real = new Map(a.fields.map((f) => [f.name, f]));
  const simulated = new Map(b.fields.map((f) => [f.name, f]));
  const out: FieldDifference[] = [];
  // Fields one side does not print at all (a newer kernel's) are not differences.
  for (const [name, r] of real) {
    const s = simulated.get(name);
    if (s && s.value !== r.value) out.push({ field: name, real: r.value, simulated: s.value, unit: r.unit });
  }
  const rf = a.vmFlags?.flags.join(' ');
  const sf = b.vmFlags?.flags.join(' ');
  if (rf !== undefined && sf !== undefined && rf !== sf) out.push({ field: 'VmFlags', unit: '' });
  return out;
}

/**
 * Pairs VMAs: equal ranges first, then, for the rest in order, equal pathnames and perms.
 * Pairs stay in address order on both sides (a crossing pair is dropped), so that the two
 * texts can be laid side by side.
 */
function align(real: readonly SmapsEntry[], simulated: readonly SmapsEntry[]): VmaPair[] {
  const bySim = new Map<string, number>();
  simulated.forEach((e, j) => bySim.set(`${e.start}-${e.end}`, j));
  const partner = new Array<number | undefined>(real.length).fill(undefined);
  const how = new Array<'range' | 'pathname'>(real.length).fill('range');
  const taken = new Set<number>();
  real.forEach((e, i) => {
    const j = bySim.get(`${e.start}-${e.end}`);
    if (j !== undefined && !taken.has(j)) {
      partner[i] = j;
      taken.add(j);
    }
  });
  // Order + pathname, between the neighbouring range matches.
  let floor = -1;
  real.forEach((e, i) => {
    const fixed = partner[i];
    if (fixed !== undefined) {
      floor = Math.max(floor, fixed);
      return;
    }
    let ceiling = simulated.length;
    for (let k = i + 1; k < real.length; k++) {
      const p = partner[k];
      if (p !== undefined) {
        ceiling = p;
        break;
      }
    }
    for (let j = floor + 1; j < ceiling; j++) {
      const s = simulated[j];
      if (!taken.has(j) && s && s.pathname === e.pathname && s.perms === e.perms) {
        partner[i] = j;
        how[i] = 'pathname';
        taken.add(j);
        floor = j;
        break;
      }
    }
  });
  const pairs: VmaPair[] = [];
  let next = 0;
  real.forEach((e, i) => {
    const j = partner[i];
    if (j === undefined || j < next) {
      pairs.push({ real: e, matchedBy: 'none', header: [], fields: [] });
      return;
    }
    for (; next < j; next++) {
      const s = simulated[next] as SmapsEntry;
      pairs.push({ simulated: s, matchedBy: 'none', header: [], fields: [] });
    }
    const s = simulated[j] as SmapsEntry;
    next = j + 1;
    pairs.push({ real: e, simulated: s, matchedBy: how[i] ?? 'range', header: headerDifferences(e, s), fields: fieldDifferences(e, s) });
  });
  for (; next < simulated.length; next++) pairs.push({ simulated: simulated[next] as SmapsEntry, matchedBy: 'none', header: [], fields: [] });
  return pairs;
}

/** Compares a real capture with the simulated smaps of the same process. */
export function compareSmaps(real: ParsedSmaps, simulated: ParsedSmaps): SmapsComparison {
  const pairs = align(real.entries, simulated.entries);
  const both = pairs.filter((p) => p.real && p.simulated);
  const differ = both.filter((p) => p.header.length > 0 || p.fields.length > 0);
  const onlyReal = pairs.filter((p) => p.real && !p.simulated).length;
  const onlySimulated = pairs.filter((p) => !p.real && p.simulated).length;
  const matching = both.length - differ.length;
  let summary = `${matching} VMA${matching === 1 ? '' : 's'} match, ${differ.length} differ`;
  const first = differ[0];
  if (first?.real) {
    const f = first.fields.find((d) => d.real !== undefined);
    const name = entryName(first.real);
    const unit = f?.unit ? ` ${f.unit}` : '';
    if (f) summary += `: ${f.field} of ${name} ${f.real}${unit} vs ${f.simulated}${unit}`;
    else if (first.header.length) summary += `: ${first.header.join(', ')} of ${name}`;
    else if (first.fields.length) summary += `: ${first.fields[0]?.field} of ${name}`;
  }
  if (onlyReal) summary += `; ${onlyReal} only in the real file`;
  if (onlySimulated) summary += `; ${onlySimulated} only in the simulation`;
  return { pairs, matching, differing: differ.length, onlyReal, onlySimulated, summary };
}

/**
 * The two sides as text, VMA by VMA in the aligned order, with the fields of a pair in the same
 * order on both sides, so that a line diff lines matching VMAs up and marks only what differs.
 * Lines are the input's own; a VMA with no counterpart faces a comment line.
 */
export function alignedTexts(comparison: SmapsComparison, headers: { real: string; simulated: string }, mapsOnly = false): { real: string; simulated: string } {
  const left: string[] = [headers.real];
  const right: string[] = [headers.simulated];
  for (const pair of comparison.pairs) {
    const { real, simulated } = pair;
    if (real && simulated) {
      left.push(real.raw);
      right.push(simulated.raw);
      if (mapsOnly) continue;
      const simFields = new Map(simulated.fields.map((f) => [f.name, f]));
      const seen = new Set<string>();
      for (const f of real.fields) {
        seen.add(f.name);
        left.push(f.raw);
        right.push(simFields.get(f.name)?.raw ?? `# (${f.name}: not simulated)`);
      }
      for (const f of simulated.fields) {
        if (seen.has(f.name)) continue;
        left.push(`# (${f.name}: not in the real file)`);
        right.push(f.raw);
      }
      if (real.vmFlags || simulated.vmFlags) {
        left.push(real.vmFlags?.raw ?? '# (no VmFlags)');
        right.push(simulated.vmFlags?.raw ?? '# (no VmFlags)');
      }
    } else if (real) {
      left.push(...entryLines(real, mapsOnly));
      right.push(`# (no VMA here in the simulation: ${entryName(real)})`);
    } else if (simulated) {
      left.push(`# (no VMA here in the real file: ${entryName(simulated)})`);
      right.push(...entryLines(simulated, mapsOnly));
    }
  }
  return { real: `${left.join('\n')}\n`, simulated: `${right.join('\n')}\n` };
}

function entryLines(e: SmapsEntry, mapsOnly: boolean): string[] {
  if (mapsOnly) return [e.raw];
  return [e.raw, ...e.fields.map((f) => f.raw), ...(e.vmFlags ? [e.vmFlags.raw] : [])];
}
