// A deterministic, seeded mutator for ELF64 little-endian files. The same
// (seed, iteration) always gives the same mutated bytes, so a failure can be
// reproduced from the two numbers alone.

/** splitmix32-style PRNG: small, fast and good enough for fuzzing. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A random unsigned 32-bit integer. */
  next(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** An integer in [0, n) (n ≥ 1). */
  below(n: number): number {
    if (n <= 1) return 0;
    if (n <= 0x100000000) return Math.floor((this.next() / 0x100000000) * n);
    return Math.floor(((this.next() * 0x100000000 + this.next()) / 2 ** 64) * n);
  }

  /** An integer in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + this.below(hi - lo);
  }

  chance(p: number): boolean {
    return this.next() / 0x100000000 < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)] as T;
  }
}

/** The RNG for one iteration of one run: independent of every other iteration. */
export function rngFor(seed: number, iteration: number): Rng {
  const r = new Rng((seed ^ Math.imul(iteration + 1, 0x27d4eb2d)) >>> 0);
  r.next();
  return new Rng(r.next() ^ Math.imul(seed >>> 0, 0x165667b1));
}

/** A header field of the original file: where it is, how wide, and its name. */
export interface Field {
  readonly offset: number;
  readonly width: 1 | 2 | 4 | 8;
  readonly name: string;
}

/** Layout of the unmutated file, computed once per fixture. */
export interface FixtureLayout {
  readonly fields: readonly Field[];
  readonly phoff: number;
  readonly phTableSize: number;
  readonly shoff: number;
  readonly shTableSize: number;
  /** Contents of interesting sections (symbol tables, strings, dynamic, notes, versions). */
  readonly areas: readonly { offset: number; size: number; name: string }[];
}

export interface Fixture {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly layout: FixtureLayout;
}

const EHDR_FIELDS: readonly Field[] = [
  { offset: 4, width: 1, name: 'e_ident[EI_CLASS]' },
  { offset: 5, width: 1, name: 'e_ident[EI_DATA]' },
  { offset: 6, width: 1, name: 'e_ident[EI_VERSION]' },
  { offset: 7, width: 1, name: 'e_ident[EI_OSABI]' },
  { offset: 16, width: 2, name: 'e_type' },
  { offset: 18, width: 2, name: 'e_machine' },
  { offset: 20, width: 4, name: 'e_version' },
  { offset: 24, width: 8, name: 'e_entry' },
  { offset: 32, width: 8, name: 'e_phoff' },
  { offset: 40, width: 8, name: 'e_shoff' },
  { offset: 48, width: 4, name: 'e_flags' },
  { offset: 52, width: 2, name: 'e_ehsize' },
  { offset: 54, width: 2, name: 'e_phentsize' },
  { offset: 56, width: 2, name: 'e_phnum' },
  { offset: 58, width: 2, name: 'e_shentsize' },
  { offset: 60, width: 2, name: 'e_shnum' },
  { offset: 62, width: 2, name: 'e_shstrndx' },
];

const PHDR_FIELDS: readonly [number, 4 | 8, string][] = [
  [0, 4, 'p_type'], [4, 4, 'p_flags'], [8, 8, 'p_offset'], [16, 8, 'p_vaddr'], [24, 8, 'p_paddr'],
  [32, 8, 'p_filesz'], [40, 8, 'p_memsz'], [48, 8, 'p_align'],
];

const SHDR_FIELDS: readonly [number, 4 | 8, string][] = [
  [0, 4, 'sh_name'], [4, 4, 'sh_type'], [8, 8, 'sh_flags'], [16, 8, 'sh_addr'], [24, 8, 'sh_offset'],
  [32, 8, 'sh_size'], [40, 4, 'sh_link'], [44, 4, 'sh_info'], [48, 8, 'sh_addralign'], [56, 8, 'sh_entsize'],
];

/** Section types whose contents are worth corrupting: symbols, strings, dynamic, notes, versions. */
const INTERESTING_SECTION_TYPES = new Set([2, 3, 6, 7, 11, 0x6ffffffd, 0x6ffffffe, 0x6fffffff]);

/** Finds the header, program-header and section-header fields of a well-formed ELF64 LE file. */
export function layoutOf(bytes: Uint8Array): FixtureLayout {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fields: Field[] = [...EHDR_FIELDS];
  const areas: { offset: number; size: number; name: string }[] = [];
  if (bytes.length < 64 || v.getUint32(0, false) !== 0x7f454c46 || bytes[4] !== 2 || bytes[5] !== 1) {
    return { fields, phoff: 0, phTableSize: 0, shoff: 0, shTableSize: 0, areas };
  }
  const phoff = Number(v.getBigUint64(32, true));
  const shoff = Number(v.getBigUint64(40, true));
  const phentsize = v.getUint16(54, true);
  const phnum = v.getUint16(56, true);
  const shentsize = v.getUint16(58, true);
  const shnum = v.getUint16(60, true);
  for (let i = 0; i < phnum && phoff + (i + 1) * phentsize <= bytes.length; i++) {
    for (const [at, width, name] of PHDR_FIELDS) fields.push({ offset: phoff + i * phentsize + at, width, name: `phdr[${i}].${name}` });
  }
  for (let i = 0; i < shnum && shoff + (i + 1) * shentsize <= bytes.length; i++) {
    const base = shoff + i * shentsize;
    for (const [at, width, name] of SHDR_FIELDS) fields.push({ offset: base + at, width, name: `shdr[${i}].${name}` });
    const type = v.getUint32(base + 4, true);
    const offset = Number(v.getBigUint64(base + 24, true));
    const size = Number(v.getBigUint64(base + 32, true));
    if (INTERESTING_SECTION_TYPES.has(type) && size > 0 && offset + size <= bytes.length) areas.push({ offset, size, name: `shdr[${i}] contents` });
  }
  return { fields, phoff, phTableSize: phnum * phentsize, shoff, shTableSize: shnum * shentsize, areas };
}

export function makeFixture(name: string, bytes: Uint8Array): Fixture {
  return { name, bytes, layout: layoutOf(bytes) };
}

/** Values that tend to break size and offset arithmetic, for a field `width` bytes wide. */
function interestingValue(rng: Rng, width: number, fileSize: number, original: bigint): bigint {
  const size = BigInt(fileSize);
  const max = (1n << BigInt(width * 8)) - 1n;
  const candidates: bigint[] = [
    0n, 1n, 2n, 0x7fn, 0x80n, 0xffn, 0xffffn, 0x8000n, 0xff00n, 0xfff1n,
    0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n,
    0x7fffffffffffffffn, 0x8000000000000000n, max, max - 1n,
    size, size - 1n, size + 1n, size - 8n, size - 56n, size - 64n, size * 2n,
    (1n << 64n) - size, 0x1000n, 0xfffn, 0x200000n, 1n << 47n, (1n << 47n) - 0x1000n, 1n << 53n, (1n << 53n) + 1n,
    original + 1n, original - 1n, original * 2n, original + 0x1000n, original ^ 0x8000000000000000n,
    BigInt(rng.next()), (BigInt(rng.next()) << 32n) | BigInt(rng.next()),
  ];
  return BigInt.asUintN(width * 8, rng.pick(candidates));
}

function readLE(bytes: Uint8Array, at: number, width: number): bigint {
  let value = 0n;
  for (let i = width - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[at + i] ?? 0);
  return value;
}

function writeLE(bytes: Uint8Array, at: number, width: number, value: bigint): void {
  for (let i = 0; i < width && at + i < bytes.length; i++) {
    bytes[at + i] = Number((value >> BigInt(i * 8)) & 0xffn);
  }
}

/** A byte position biased towards the headers: the first 4 KiB, then the section header table, then anywhere. */
function biasedPosition(rng: Rng, fixture: Fixture, length: number): number {
  const { layout } = fixture;
  const roll = rng.below(100);
  if (roll < 45) return rng.below(Math.min(length, 4096));
  if (roll < 70 && layout.shTableSize > 0 && layout.shoff < length) return rng.range(layout.shoff, Math.min(length, layout.shoff + layout.shTableSize));
  if (roll < 85 && layout.areas.length) {
    const area = rng.pick(layout.areas);
    if (area.offset < length) return rng.range(area.offset, Math.min(length, area.offset + area.size));
  }
  return rng.below(length);
}

export interface Mutation {
  readonly bytes: Uint8Array;
  /** What was done, step by step, for the failure report. */
  readonly steps: readonly string[];
}

const hex = (n: number | bigint) => `0x${n.toString(16)}`;

/**
 * Mutates a copy of `fixture` with 1–4 random steps. `others` are the splice
 * donors. Never modifies the fixture's own bytes.
 */
export function mutate(rng: Rng, fixture: Fixture, others: readonly Fixture[]): Mutation {
  let bytes = fixture.bytes.slice();
  const steps: string[] = [];
  const count = 1 + rng.below(rng.chance(0.3) ? 8 : 4);
  for (let n = 0; n < count && bytes.length > 0; n++) {
    const kind = rng.below(100);
    if (kind < 14) {
      const at = biasedPosition(rng, fixture, bytes.length);
      const bit = rng.below(8);
      bytes[at] = (bytes[at] as number) ^ (1 << bit);
      steps.push(`flip bit ${bit} at ${hex(at)}`);
    } else if (kind < 26) {
      const at = biasedPosition(rng, fixture, bytes.length);
      const run = 1 + rng.below(rng.chance(0.2) ? 64 : 4);
      for (let i = 0; i < run && at + i < bytes.length; i++) bytes[at + i] = rng.below(256);
      steps.push(`randomize ${run} bytes at ${hex(at)}`);
    } else if (kind < 66) {
      const field = rng.pick(fixture.layout.fields);
      if (field.offset + field.width > bytes.length) continue;
      const original = readLE(bytes, field.offset, field.width);
      const value = interestingValue(rng, field.width, bytes.length, original);
      writeLE(bytes, field.offset, field.width, value);
      steps.push(`set ${field.name} (${hex(field.offset)}) from ${hex(original)} to ${hex(value)}`);
    } else if (kind < 74) {
      const field = rng.pick(fixture.layout.fields);
      if (field.offset + field.width > bytes.length) continue;
      const bit = rng.below(field.width * 8);
      bytes[field.offset + (bit >> 3)] = (bytes[field.offset + (bit >> 3)] as number) ^ (1 << (bit & 7));
      steps.push(`flip bit ${bit} of ${field.name} (${hex(field.offset)})`);
    } else if (kind < 84) {
      const { layout } = fixture;
      const roll = rng.below(5);
      let length: number;
      if (roll === 0) length = rng.below(Math.min(bytes.length, 128));
      else if (roll === 1 && layout.phTableSize) length = layout.phoff + rng.below(layout.phTableSize);
      else if (roll === 2 && layout.shTableSize) length = layout.shoff + rng.below(layout.shTableSize);
      else if (roll === 3) length = rng.below(Math.min(bytes.length, 8192));
      else length = rng.below(bytes.length);
      length = Math.min(length, bytes.length);
      bytes = bytes.slice(0, length);
      steps.push(`truncate to ${hex(length)} bytes`);
    } else if (kind < 94) {
      const donor = rng.chance(0.5) ? fixture : rng.pick(others.length ? others : [fixture]);
      const donorBytes = donor === fixture ? bytes : donor.bytes;
      if (!donorBytes.length) continue;
      const from = donor === fixture || rng.chance(0.5) ? biasedPosition(rng, donor, donorBytes.length) : rng.below(donorBytes.length);
      const to = biasedPosition(rng, fixture, bytes.length);
      const run = Math.min(1 + rng.below(rng.chance(0.3) ? 4096 : 128), donorBytes.length - from, bytes.length - to);
      bytes.set(donorBytes.slice(from, from + run), to);
      steps.push(`splice ${run} bytes from ${donor.name}@${hex(from)} to ${hex(to)}`);
    } else {
      // Copy one whole table entry over another (duplicate or reorder headers).
      const { layout } = fixture;
      const phdrs = layout.phTableSize / 56;
      const shdrs = layout.shTableSize / 64;
      const program = rng.chance(0.5) && phdrs > 1;
      const entries = program ? phdrs : shdrs;
      if (entries < 2) continue;
      const base = program ? layout.phoff : layout.shoff;
      const size = program ? 56 : 64;
      const a = rng.below(entries);
      const b = rng.below(entries);
      if (base + (Math.max(a, b) + 1) * size > bytes.length) continue;
      bytes.copyWithin(base + b * size, base + a * size, base + (a + 1) * size);
      steps.push(`copy ${program ? 'phdr' : 'shdr'}[${a}] over [${b}]`);
    }
  }
  if (!steps.length) steps.push('unchanged');
  return { bytes, steps };
}
