// The scenario's region names through a run: which range each name had from which line on. A
// region is a map entry and three numbers in columns, not an object and two bigints, so that a
// scenario of a million mmaps holds its names in a few tens of bytes each.
import type { Region } from './state';

/** Addresses below 2^53 are doubles exactly (every user address of x86-64 and i386 is). */
const EXACT = 2 ** 53;

/** Every region of a run's history, in columns; RegionHistory's entries are indexes into them. */
class RegionColumns {
  names: string[] = [];
  starts = new Float64Array(64);
  ends = new Float64Array(64);
  lines = new Int32Array(64);
  /** Regions that do not fit the columns (a failed mmap's reason, an address past 2^53), kept whole. */
  whole = new Map<number, Region>();

  add(region: Region): number {
    const i = this.names.length;
    if (i === this.starts.length) {
      this.starts = grown(this.starts);
      this.ends = grown(this.ends);
      this.lines = grown(this.lines);
    }
    this.names.push(region.name);
    this.write(i, region);
    return i;
  }

  write(i: number, region: Region): void {
    this.lines[i] = region.line;
    if (region.failed === undefined && region.start < EXACT && region.end < EXACT && region.start >= 0n) {
      this.starts[i] = Number(region.start);
      this.ends[i] = Number(region.end);
      this.whole.delete(i);
    } else {
      this.whole.set(i, region);
    }
  }

  region(i: number): Region {
    return this.whole.get(i) ?? { name: this.names[i]!, start: BigInt(this.starts[i]!), end: BigInt(this.ends[i]!), line: this.lines[i]! };
  }
}

function grown<T extends Float64Array | Int32Array>(column: T): T {
  const bigger = new (column.constructor as new (n: number) => T)(column.length * 2);
  bigger.set(column);
  return bigger;
}

/** Each name's regions by line: one index alone (most names are mapped once), else indexes sorted by line. */
export class RegionHistory {
  constructor(
    private readonly columns = new RegionColumns(),
    private readonly byName = new Map<string, number | number[]>(),
  ) {}

  /** The region `name` has at line `asOf` (the last set at or before it). */
  get(name: string, asOf: number): Region | undefined {
    const entries = this.byName.get(name);
    if (entries === undefined) return undefined;
    const lines = this.columns.lines;
    if (typeof entries === 'number') return lines[entries]! <= asOf ? this.columns.region(entries) : undefined;
    for (let i = entries.length - 1; i >= 0; i--) if (lines[entries[i]!]! <= asOf) return this.columns.region(entries[i]!);
    return undefined;
  }

  /** Names `region` from its line on (a replay of its line sets it again, in place). */
  set(name: string, region: Region): void {
    const found = this.byName.get(name);
    const lines = this.columns.lines;
    if (found === undefined) {
      this.byName.set(name, this.columns.add(region));
      return;
    }
    if (typeof found === 'number' && lines[found] === region.line) {
      this.columns.write(found, region);
      return;
    }
    const entries = typeof found === 'number' ? [found] : found;
    this.byName.set(name, entries);
    const i = entries.findIndex((e) => lines[e]! >= region.line);
    if (i >= 0 && lines[entries[i]!] === region.line) this.columns.write(entries[i]!, region);
    else if (i < 0) entries.push(this.columns.add(region));
    else entries.splice(i, 0, this.columns.add(region));
  }

  /** A history without the entries of `line` and after, sharing the columns (for a run that changes from there). */
  before(line: number): RegionHistory {
    const lines = this.columns.lines;
    const out = new Map<string, number | number[]>();
    for (const [name, entries] of this.byName) {
      const kept = (typeof entries === 'number' ? [entries] : entries).filter((e) => lines[e]! < line);
      if (kept.length) out.set(name, kept.length === 1 ? kept[0]! : kept);
    }
    return new RegionHistory(this.columns, out);
  }

  /** Names in the whole history. */
  get size(): number {
    return this.byName.size;
  }
}
