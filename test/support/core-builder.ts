// Builds small synthetic core files (ELF64 x86-64 or ELF32 i386, little endian) for tests:
// PT_LOADs with their bytes, then one PT_NOTE of CORE notes.

export interface SyntheticLoad {
  readonly vaddr: bigint;
  readonly memsz: bigint;
  readonly filesz?: bigint;
  /** PF_R 4, PF_W 2, PF_X 1. */
  readonly flags: number;
  readonly align?: bigint;
  /** The dumped bytes (p_filesz is their length); zeros of `filesz` otherwise. */
  readonly bytes?: Uint8Array;
}

export interface SyntheticNote {
  readonly owner?: string;
  readonly type: number;
  readonly desc: Uint8Array;
}

const ET_CORE = 4;
const PT_LOAD = 1;
const PT_NOTE = 4;

/** Little-endian words of `width` bytes. */
export function words(width: 4 | 8, values: readonly (bigint | number)[]): Uint8Array {
  const out = new Uint8Array(values.length * width);
  const v = new DataView(out.buffer);
  values.forEach((x, i) => (width === 8 ? v.setBigUint64(i * 8, BigInt.asUintN(64, BigInt(x)), true) : v.setUint32(i * 4, Number(BigInt.asUintN(32, BigInt(x))), true)));
  return out;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const text = (s: string) => new TextEncoder().encode(s);

/** NT_FILE's descriptor: count, page size, (start, end, pgoff) triples, NUL-terminated paths. */
export function fileNote(width: 4 | 8, pageSize: number, entries: readonly { start: bigint; end: bigint; pgoff: bigint; path: string }[]): Uint8Array {
  return concat(
    words(width, [entries.length, pageSize, ...entries.flatMap((e) => [e.start, e.end, e.pgoff])]),
    ...entries.map((e) => text(`${e.path}\0`)),
  );
}

function pad4(b: Uint8Array): Uint8Array {
  return concat(b, new Uint8Array((4 - (b.length % 4)) % 4));
}

function encodeNote(n: SyntheticNote): Uint8Array {
  const name = text(`${n.owner ?? 'CORE'}\0`);
  return concat(words(4, [name.length, n.desc.length, n.type]), pad4(name), pad4(n.desc));
}

/** A core file: ELF header, program headers (PT_NOTE first), the notes, then each PT_LOAD's bytes (zeros). */
export function buildCore(options: { is64: boolean; loads: readonly SyntheticLoad[]; notes: readonly SyntheticNote[]; machine?: number }): Uint8Array {
  const { is64 } = options;
  const ehsize = is64 ? 64 : 52;
  const phentsize = is64 ? 56 : 32;
  const phnum = options.loads.length + 1;
  const notes = concat(...options.notes.map(encodeNote));
  const notesAt = ehsize + phnum * phentsize;
  let dataAt = Math.ceil((notesAt + notes.length) / 4096) * 4096;
  const header = new Uint8Array(ehsize);
  const h = new DataView(header.buffer);
  header.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, 1, 1, 0]);
  h.setUint16(16, ET_CORE, true);
  h.setUint16(18, options.machine ?? (is64 ? 62 : 3), true);
  h.setUint32(20, 1, true);
  if (is64) {
    h.setBigUint64(32, 64n, true);
    h.setUint16(52, ehsize, true);
    h.setUint16(54, phentsize, true);
    h.setUint16(56, phnum, true);
  } else {
    h.setUint32(28, 52, true);
    h.setUint16(40, ehsize, true);
    h.setUint16(42, phentsize, true);
    h.setUint16(44, phnum, true);
  }
  const phdr = (type: number, flags: number, offset: number, vaddr: bigint, filesz: bigint, memsz: bigint, align: bigint): Uint8Array =>
    is64 ? concat(words(4, [type, flags]), words(8, [offset, vaddr, 0, filesz, memsz, align])) : words(4, [type, offset, vaddr, 0, filesz, memsz, flags, align]);
  const phdrs = [phdr(PT_NOTE, 0, notesAt, 0n, BigInt(notes.length), 0n, 4n)];
  const contents: [number, Uint8Array][] = [];
  for (const l of options.loads) {
    const filesz = l.bytes ? BigInt(l.bytes.length) : (l.filesz ?? 0n);
    phdrs.push(phdr(PT_LOAD, l.flags, dataAt, l.vaddr, filesz, l.memsz, l.align ?? 0x1000n));
    if (l.bytes) contents.push([dataAt, l.bytes]);
    dataAt += Number(filesz);
  }
  const head = concat(header, ...phdrs, notes);
  const out = new Uint8Array(Math.max(dataAt, head.length));
  out.set(head);
  for (const [at, bytes] of contents) out.set(bytes, at);
  return out;
}

/** A vDSO-like ELF64 image whose PT_NOTE holds the "Linux" version note (LINUX_VERSION_CODE). */
export function vdsoImage(major: number, minor: number, patch: number): Uint8Array {
  const name = text('Linux\0');
  const note = concat(words(4, [name.length, 4, 0]), pad4(name), words(4, [(major << 16) | (minor << 8) | patch]));
  const header = new Uint8Array(64);
  const h = new DataView(header.buffer);
  header.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
  h.setUint16(16, 3, true);
  h.setUint16(18, 62, true);
  h.setUint32(20, 1, true);
  h.setBigUint64(32, 64n, true);
  h.setUint16(52, 64, true);
  h.setUint16(54, 56, true);
  h.setUint16(56, 1, true);
  const phdr = concat(words(4, [PT_NOTE, 4]), words(8, [120, 120, 120, note.length, note.length, 4]));
  const image = new Uint8Array(0x2000);
  image.set(concat(header, phdr, note));
  return image;
}
