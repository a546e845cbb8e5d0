// The chunks of the VMA tree (vma-tree.ts): runs of VMAs kept as columns of typed arrays, page
// numbers and flags as numbers, so that a VMA costs about a hundred bytes outside V8's heap instead
// of an object, its origin and three bigints inside it. A VMA object is made when someone asks for one.
import { VM_GROWSDOWN } from './vm-flags';
import { MmapOrigin } from './mmap-origin';
import { vpnOf, type MappedFile, type SpecialMapping, type Vma, type VmaOrigin } from './vma';

/** stack_guard_gap: 256 pages (mm/mmap.c). */
export const STACK_GUARD_GAP = 256n << 12n;

/** vm_start_gap: a VM_GROWSDOWN VMA keeps stack_guard_gap free below it. */
export function startGap(vma: Vma): bigint {
  if (!(vma.flags & VM_GROWSDOWN)) return vma.start;
  const gap = vma.start - STACK_GUARD_GAP;
  return gap > vma.start ? 0n : gap;
}

/** Page numbers below this times 4096 are below 2^53: the address converts from a double exactly. */
const EXACT_VPN = 2 ** 41;
const addressOf = (vpn: number): bigint => (vpn < EXACT_VPN ? BigInt(vpn * 4096) : BigInt(vpn) << 12n);

/** A VMA's start page, vm_pgoff and packed mmap origin (MmapOrigin.packed), three doubles a slot in `pos`. */
const POS = 3;
const ORIGIN = 2;
/** Its flags, optional numbers (-1: none) and booleans, six 32-bit integers a slot in `ints`. */
const FLAGS = 0;
const INODE = 1;
const OPEN_FILE = 2;
const ANON_VMA = 3;
const LINE = 4;
const BITS = 5;
const INTS = 6;
/** Its file, special name and origin, three references a slot in `refs`: an anonymous mmap's origin is its region's name, the rest in `pos`. */
const REFS = 3;
/** The optional booleans in the BITS integer, two bits each: 0 absent, 1 false, 2 true. */
const WRITE_NOTIFY = 0;
const ANON_VMA_FORKED = 2;
/** gapStarts and ends, pos, ints. */
const BYTES_PER_SLOT = 8 + 8 + POS * 8 + INTS * 4;

const optionalId = (v: number | undefined): number => (v === undefined ? -1 : v);
const optionalBool = (v: boolean | undefined, shift: number): number => (v === undefined ? 0 : v ? 2 : 1) << shift;

/** A run of VMAs in address order, in columns: one buffer of numbers and one array of references. */
export class Chunk {
  length = 0;
  /** vm_start_gap >> PAGE_SHIFT of each VMA. */
  gapStarts: Float64Array;
  /** vm_end >> PAGE_SHIFT of each VMA. */
  ends: Float64Array;
  private pos: Float64Array;
  private ints: Int32Array;
  private refs: unknown[] = [];

  constructor(capacity: number) {
    const buffer = new ArrayBuffer(capacity * BYTES_PER_SLOT);
    this.gapStarts = new Float64Array(buffer, 0, capacity);
    this.ends = new Float64Array(buffer, capacity * 8, capacity);
    this.pos = new Float64Array(buffer, capacity * 16, capacity * POS);
    this.ints = new Int32Array(buffer, capacity * (16 + POS * 8), capacity * INTS);
  }

  static of(vmas: readonly Vma[], capacity = Math.max(16, vmas.length)): Chunk {
    const chunk = new Chunk(capacity);
    chunk.openGap(0, vmas.length);
    for (let i = 0; i < vmas.length; i++) chunk.write(i, vmas[i]!);
    return chunk;
  }

  get capacity(): number {
    return this.ends.length;
  }

  /** VMA i, made anew. */
  vma(i: number): Vma {
    const ints = this.ints;
    const at = i * INTS;
    const refs = i * REFS;
    const origin = this.refs[refs + 2];
    const v: { -readonly [K in keyof Vma]: Vma[K] } = {
      start: addressOf(this.pos[i * POS]!),
      end: addressOf(this.ends[i]!),
      flags: ints[at + FLAGS]!,
      pgoff: BigInt(this.pos[i * POS + 1]!),
      origin: typeof origin === 'string' ? MmapOrigin.unpacked(origin, this.pos[i * POS + ORIGIN]!) : (origin as VmaOrigin),
    };
    const file = this.refs[refs] as MappedFile | undefined;
    if (file !== undefined) v.file = file;
    const special = this.refs[refs + 1] as SpecialMapping | undefined;
    if (special !== undefined) v.special = special;
    if (ints[at + INODE]! >= 0) v.inodeId = ints[at + INODE];
    if (ints[at + OPEN_FILE]! >= 0) v.openFile = ints[at + OPEN_FILE];
    if (ints[at + ANON_VMA]! >= 0) v.anonVma = ints[at + ANON_VMA];
    if (ints[at + LINE]! >= 0) v.line = ints[at + LINE];
    const bits = ints[at + BITS]!;
    if (bits & (3 << WRITE_NOTIFY)) v.writeNotify = ((bits >> WRITE_NOTIFY) & 3) === 2;
    if (bits & (3 << ANON_VMA_FORKED)) v.anonVmaForked = ((bits >> ANON_VMA_FORKED) & 3) === 2;
    return v;
  }

  /** VMA i's page count. */
  pages(i: number): number {
    return this.ends[i]! - this.pos[i * POS]!;
  }

  /** VMA i's start page. */
  startPage(i: number): number {
    return this.pos[i * POS]!;
  }

  flags(i: number): number {
    return this.ints[i * INTS + FLAGS]!;
  }

  inodeId(i: number): number | undefined {
    const id = this.ints[i * INTS + INODE]!;
    return id >= 0 ? id : undefined;
  }

  /** Whether slot i holds what `vma` says (every field the slot keeps). */
  holds(i: number, vma: Vma): boolean {
    const at = i * INTS;
    const refs = i * REFS;
    return (
      this.pos[i * POS] === vpnOf(vma.start) && this.ends[i] === vpnOf(vma.end) && this.pos[i * POS + 1] === Number(vma.pgoff) && this.ints[at + FLAGS] === vma.flags &&
      this.ints[at + INODE] === optionalId(vma.inodeId) && this.ints[at + OPEN_FILE] === optionalId(vma.openFile) && this.ints[at + ANON_VMA] === optionalId(vma.anonVma) &&
      this.ints[at + LINE] === optionalId(vma.line) && this.ints[at + BITS] === (optionalBool(vma.writeNotify, WRITE_NOTIFY) | optionalBool(vma.anonVmaForked, ANON_VMA_FORKED)) &&
      this.refs[refs] === vma.file && this.refs[refs + 1] === vma.special && this.holdsOrigin(i, vma.origin)
    );
  }

  private holdsOrigin(i: number, origin: VmaOrigin): boolean {
    const held = this.refs[i * REFS + 2];
    if (typeof held !== 'string') return held === origin;
    return origin instanceof MmapOrigin && origin.region === held && origin.packed === this.pos[i * POS + ORIGIN];
  }

  /** Stores `vma` in slot i. */
  write(i: number, vma: Vma): void {
    this.gapStarts[i] = vpnOf(startGap(vma));
    this.ends[i] = vpnOf(vma.end);
    this.pos[i * POS] = vpnOf(vma.start);
    this.pos[i * POS + 1] = Number(vma.pgoff);
    const at = i * INTS;
    this.ints[at + FLAGS] = vma.flags;
    this.ints[at + INODE] = optionalId(vma.inodeId);
    this.ints[at + OPEN_FILE] = optionalId(vma.openFile);
    this.ints[at + ANON_VMA] = optionalId(vma.anonVma);
    this.ints[at + LINE] = optionalId(vma.line);
    this.ints[at + BITS] = optionalBool(vma.writeNotify, WRITE_NOTIFY) | optionalBool(vma.anonVmaForked, ANON_VMA_FORKED);
    const refs = i * REFS;
    this.refs[refs] = vma.file;
    this.refs[refs + 1] = vma.special;
    // An anonymous mmap's origin is made again from its region's name and a number when asked for: no object a VMA.
    const packed = vma.origin instanceof MmapOrigin ? vma.origin.packed : undefined;
    this.pos[i * POS + ORIGIN] = packed ?? 0;
    this.refs[refs + 2] = packed === undefined ? vma.origin : (vma.origin as MmapOrigin).region;
  }

  /** Moves the entries from `at` on up by n places (their slots are written next), growing the columns when they are full. */
  openGap(at: number, n: number): void {
    if (this.length + n > this.capacity) this.grow(Math.max(this.length + n, Math.ceil(this.capacity * 1.5)));
    const end = this.length;
    this.gapStarts.copyWithin(at + n, at, end);
    this.ends.copyWithin(at + n, at, end);
    this.pos.copyWithin((at + n) * POS, at * POS, end * POS);
    this.ints.copyWithin((at + n) * INTS, at * INTS, end * INTS);
    // A plain array's copyWithin is the slow generic one: splice moves the references in place.
    if (n === 1) this.refs.splice(at * REFS, 0, undefined, undefined, undefined);
    else this.refs.splice(at * REFS, 0, ...new Array<undefined>(n * REFS));
    this.length += n;
  }

  /** Removes n entries at `at`. */
  remove(at: number, n: number): void {
    const end = this.length;
    this.gapStarts.copyWithin(at, at + n, end);
    this.ends.copyWithin(at, at + n, end);
    this.pos.copyWithin(at * POS, (at + n) * POS, end * POS);
    this.ints.copyWithin(at * INTS, (at + n) * INTS, end * INTS);
    this.refs.splice(at * REFS, n * REFS);
    this.length -= n;
  }

  /** A copy of entries [from, to), with room for `capacity`. */
  slice(from: number, to: number, capacity = Math.max(16, to - from)): Chunk {
    const out = new Chunk(capacity);
    out.copyColumns(this, from, to);
    out.refs = this.refs.slice(from * REFS, to * REFS);
    return out;
  }

  copy(): Chunk {
    return this.slice(0, this.length, this.capacity);
  }

  private copyColumns(from: Chunk, start: number, end: number): void {
    this.length = end - start;
    this.gapStarts.set(from.gapStarts.subarray(start, end));
    this.ends.set(from.ends.subarray(start, end));
    this.pos.set(from.pos.subarray(start * POS, end * POS));
    this.ints.set(from.ints.subarray(start * INTS, end * INTS));
  }

  private grow(capacity: number): void {
    const grown = new Chunk(capacity);
    grown.copyColumns(this, 0, this.length);
    this.gapStarts = grown.gapStarts;
    this.ends = grown.ends;
    this.pos = grown.pos;
    this.ints = grown.ints;
  }
}

/**
 * A chunk cut into pieces of about `size` VMAs (as many as `size` goes into its length, so 257 VMAs
 * become 129 and 128, not 128, 128 and 1), their columns copied, not recomputed, each with a little
 * room: the piece mmap keeps placing into grows by half again when it fills.
 */
export function splitEvenly(chunk: Chunk, size: number): Chunk[] {
  const count = Math.max(1, Math.floor(chunk.length / size));
  const out: Chunk[] = [];
  for (let k = 0; k < count; k++) {
    const from = Math.floor((chunk.length * k) / count);
    const to = Math.floor((chunk.length * (k + 1)) / count);
    out.push(chunk.slice(from, to, to - from + 8));
  }
  return out;
}

export function largest(gaps: readonly number[]): number {
  let max = 0;
  for (const gap of gaps) if (gap > max) max = gap;
  return max;
}
