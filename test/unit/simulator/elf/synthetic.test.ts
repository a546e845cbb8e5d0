// Small ELF files built byte by byte: both classes and byte orders, many
// machines, the e_shnum/e_shstrndx escapes, and malformed input.
import { describe, expect, it } from 'vitest';
import { writeElfText } from '../../../../simulator/cli/elf-text';
import { describeElf } from '../../../../simulator/elf/describe';
import { ElfFile } from '../../../../simulator/elf/elf-file';
import { ElfError } from '../../../../simulator/elf/errors';
import { MemoryFileAccess } from '../../../../simulator/elf/file-access';

interface SynthSection {
  name: string;
  type: number;
  flags?: bigint;
  addr?: bigint;
  data?: Uint8Array;
  link?: number;
  info?: number;
  align?: bigint;
  entsize?: bigint;
}

interface SynthSegment {
  type: number;
  flags: number;
  offset: bigint;
  vaddr: bigint;
  filesz: bigint;
  memsz: bigint;
  align: bigint;
}

interface SynthOptions {
  is64: boolean;
  littleEndian: boolean;
  machine: number;
  type?: number;
  osabi?: number;
  entry?: bigint;
  sections?: SynthSection[];
  segments?: SynthSegment[];
  /** Store the section count in section 0's sh_size and e_shnum = 0; e_shstrndx = SHN_XINDEX. */
  extendedNumbering?: boolean;
}

/** Little builder: header, program headers, section contents, .shstrtab, section headers. */
function buildElf(o: SynthOptions): Uint8Array {
  const is64 = o.is64;
  const ehsize = is64 ? 64 : 52;
  const phentsize = is64 ? 56 : 32;
  const shentsize = is64 ? 64 : 40;
  const segments = o.segments ?? [];
  const userSections = o.sections ?? [];
  const names = [''];
  const nameOffsets: number[] = [];
  let strtab = '\0';
  for (const s of [...userSections.map((x) => x.name), '.shstrtab']) {
    nameOffsets.push(strtab.length);
    strtab += `${s}\0`;
    names.push(s);
  }
  const shstrtabData = new TextEncoder().encode(strtab);
  const all: SynthSection[] = [...userSections, { name: '.shstrtab', type: 3, data: shstrtabData, align: 1n }];
  let at = ehsize + segments.length * phentsize;
  const offsets: number[] = [];
  for (const s of all) {
    at = (at + 7) & ~7;
    offsets.push(at);
    if (s.type !== 8) at += s.data?.length ?? 0;
  }
  const shoff = (at + 7) & ~7;
  const shnum = all.length + 1;
  const size = shoff + shnum * shentsize;
  const bytes = new Uint8Array(size);
  const v = new DataView(bytes.buffer);
  const le = o.littleEndian;
  const u16 = (p: number, x: number) => v.setUint16(p, x, le);
  const u32 = (p: number, x: number) => v.setUint32(p, x, le);
  const word = (p: number, x: bigint) => (is64 ? v.setBigUint64(p, x, le) : v.setUint32(p, Number(x), le));
  bytes.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, le ? 1 : 2, 1, o.osabi ?? 0]);
  u16(16, o.type ?? 2);
  u16(18, o.machine);
  u32(20, 1);
  const w = is64 ? 8 : 4;
  word(24, o.entry ?? 0x1000n);
  word(24 + w, segments.length ? BigInt(ehsize) : 0n);
  word(24 + 2 * w, BigInt(shoff));
  const f = 24 + 3 * w;
  u32(f, 0);
  u16(f + 4, ehsize);
  u16(f + 6, phentsize);
  u16(f + 8, segments.length);
  u16(f + 10, shentsize);
  u16(f + 12, o.extendedNumbering ? 0 : shnum);
  u16(f + 14, o.extendedNumbering ? 0xffff : shnum - 1);
  segments.forEach((p, i) => {
    const b = ehsize + i * phentsize;
    if (is64) {
      u32(b, p.type); u32(b + 4, p.flags); word(b + 8, p.offset); word(b + 16, p.vaddr); word(b + 24, p.vaddr);
      word(b + 32, p.filesz); word(b + 40, p.memsz); word(b + 48, p.align);
    } else {
      u32(b, p.type); word(b + 4, p.offset); word(b + 8, p.vaddr); word(b + 12, p.vaddr); word(b + 16, p.filesz);
      word(b + 20, p.memsz); u32(b + 24, p.flags); word(b + 28, p.align);
    }
  });
  const section = (i: number, nameOffset: number, s: SynthSection | undefined, offset: number) => {
    const b = shoff + i * shentsize;
    const sz = s ? BigInt(s.data?.length ?? 0) : o.extendedNumbering ? BigInt(shnum) : 0n;
    u32(b, nameOffset);
    u32(b + 4, s?.type ?? 0);
    if (is64) {
      word(b + 8, s?.flags ?? 0n); word(b + 16, s?.addr ?? 0n); word(b + 24, BigInt(offset)); word(b + 32, sz);
      u32(b + 40, s ? (s.link ?? 0) : o.extendedNumbering ? shnum - 1 : 0); u32(b + 44, s?.info ?? 0);
      word(b + 48, s?.align ?? 0n); word(b + 56, s?.entsize ?? 0n);
    } else {
      word(b + 8, s?.flags ?? 0n); word(b + 12, s?.addr ?? 0n); word(b + 16, BigInt(offset)); word(b + 20, sz);
      u32(b + 24, s ? (s.link ?? 0) : o.extendedNumbering ? shnum - 1 : 0); u32(b + 28, s?.info ?? 0);
      word(b + 32, s?.align ?? 0n); word(b + 36, s?.entsize ?? 0n);
    }
  };
  section(0, 0, undefined, 0);
  all.forEach((s, i) => {
    section(i + 1, nameOffsets[i]!, s, offsets[i]!);
    if (s.data && s.type !== 8) bytes.set(s.data, offsets[i]!);
  });
  return bytes;
}

/** A symbol table's bytes: [null symbol, ...symbols]. */
function symtab(is64: boolean, le: boolean, symbols: { name: number; value: bigint; size: bigint; info: number; shndx: number }[]): Uint8Array {
  const entsize = is64 ? 24 : 16;
  const bytes = new Uint8Array(entsize * (symbols.length + 1));
  const v = new DataView(bytes.buffer);
  symbols.forEach((s, i) => {
    const b = (i + 1) * entsize;
    v.setUint32(b, s.name, le);
    if (is64) {
      v.setUint8(b + 4, s.info); v.setUint16(b + 6, s.shndx, le); v.setBigUint64(b + 8, s.value, le); v.setBigUint64(b + 16, s.size, le);
    } else {
      v.setUint32(b + 4, Number(s.value), le); v.setUint32(b + 8, Number(s.size), le); v.setUint8(b + 12, s.info); v.setUint16(b + 14, s.shndx, le);
    }
  });
  return bytes;
}

const strings = (...list: string[]) => new TextEncoder().encode(`\0${list.join('\0')}\0`);

async function open(bytes: Uint8Array): Promise<ElfFile> {
  return ElfFile.open(new MemoryFileAccess('synthetic', bytes));
}

/** A small but complete file: .text, .data, .bss, .symtab/.strtab and two LOAD segments. */
function sample(is64: boolean, littleEndian: boolean, machine: number, extendedNumbering = false): Uint8Array {
  const text = new Uint8Array(16).fill(0x90);
  const data = new Uint8Array(8).fill(1);
  const ehsize = is64 ? 64 : 52;
  const phentsize = is64 ? 56 : 32;
  const first = (ehsize + 2 * phentsize + 7) & ~7; // .text's offset (see buildElf's layout)
  return buildElf({
    is64, littleEndian, machine, entry: 0x401000n, extendedNumbering,
    segments: [
      { type: 1, flags: 5, offset: BigInt(first), vaddr: 0x401000n, filesz: 16n, memsz: 16n, align: 0x1000n },
      { type: 1, flags: 6, offset: BigInt(first + 16), vaddr: 0x402000n, filesz: 8n, memsz: 0x108n, align: 0x1000n },
    ],
    sections: [
      { name: '.text', type: 1, flags: 6n, addr: 0x401000n, data: text, align: 16n },
      { name: '.data', type: 1, flags: 3n, addr: 0x402000n, data: data, align: 8n },
      { name: '.bss', type: 8, flags: 3n, addr: 0x402008n, data: new Uint8Array(0x100), align: 8n },
      { name: '.symtab', type: 2, link: 5, info: 1, data: symtab(is64, littleEndian, [
        { name: 1, value: 0x401000n, size: 16n, info: 0x12, shndx: 1 },
        { name: 8, value: 0x402000n, size: 8n, info: 0x11, shndx: 2 },
        { name: 14, value: 0n, size: 0n, info: 0x10, shndx: 0 },
      ]), align: 8n, entsize: is64 ? 24n : 16n },
      { name: '.strtab', type: 3, data: strings('_start', 'value', 'puts'), align: 1n },
    ],
  });
}

describe('synthetic files in both classes and byte orders', () => {
  const cases = [
    { label: 'ELF32 big-endian PowerPC', is64: false, le: false, machine: 20, name: 'PowerPC' },
    { label: 'ELF32 big-endian MIPS', is64: false, le: false, machine: 8, name: 'MIPS R3000' },
    { label: 'ELF64 big-endian s390x', is64: true, le: false, machine: 22, name: 'IBM S/390' },
    { label: 'ELF64 big-endian PowerPC64', is64: true, le: false, machine: 21, name: 'PowerPC64' },
    { label: 'ELF32 little-endian i386', is64: false, le: true, machine: 3, name: 'Intel 80386' },
    { label: 'ELF32 little-endian ARM', is64: false, le: true, machine: 40, name: 'ARM' },
    { label: 'ELF64 little-endian x86-64', is64: true, le: true, machine: 62, name: 'Advanced Micro Devices X86-64' },
    { label: 'ELF64 little-endian AArch64', is64: true, le: true, machine: 183, name: 'AArch64' },
    { label: 'ELF64 little-endian RISC-V', is64: true, le: true, machine: 243, name: 'RISC-V' },
  ];

  it.each(cases)('$label', async ({ is64, le, machine, name }) => {
    const d = await describeElf(await open(sample(is64, le, machine)));
    expect(d.header).toMatchObject({
      class: is64 ? 'ELF64' : 'ELF32',
      data: le ? "2's complement, little endian" : "2's complement, big endian",
      machine,
      machineName: name,
      typeName: 'EXEC (Executable file)',
      entry: '0x401000',
      phnum: 2,
      shnum: 7,
      shstrndx: 6,
    });
    expect(d.sections.map((s) => s.name)).toEqual(['', '.text', '.data', '.bss', '.symtab', '.strtab', '.shstrtab']);
    expect(d.sections.map((s) => s.flagLetters)).toEqual(['', 'AX', 'WA', 'WA', '', '', '']);
    expect(d.programHeaders.map((p) => [p.typeName, p.flagsText, p.vaddr, p.memsz])).toEqual([
      ['LOAD', 'R E', '0x401000', '0x10'],
      ['LOAD', 'RW ', '0x402000', '0x108'],
    ]);
    expect(d.segmentSections).toEqual([['.text'], ['.data', '.bss']]);
    const table = d.symbolTables[0]!;
    expect(table.name).toBe('.symtab');
    expect(table.count).toBe(4);
    expect(table.symbols.slice(1).map((s) => [s.name, s.value, s.size, s.type, s.bind, s.ndx])).toEqual([
      ['_start', '0x401000', 16, 'FUNC', 'GLOBAL', 1],
      ['value', '0x402000', 8, 'OBJECT', 'GLOBAL', 2],
      ['puts', '0x0', 0, 'NOTYPE', 'GLOBAL', 'UND'],
    ]);
    // The text renderer copes with every class and byte order.
    const parts: string[] = [];
    writeElfText(d, { write: (t) => parts.push(t) });
    const text = parts.join('');
    expect(text).toContain(`  Machine:                           ${name}\n`);
    expect(text).toContain("Symbol table '.symtab' contains 4 entries:");
    expect(text).toMatch(is64 ? / {5}1: 0000000000401000 {4}16 FUNC {4}GLOBAL DEFAULT {4}1 _start/ : / {5}1: 00401000 {4}16 FUNC {4}GLOBAL DEFAULT {4}1 _start/);
  });

  it('reads the section count from section 0 when e_shnum is 0 (SHN_XINDEX)', async () => {
    for (const [is64, le] of [[true, true], [false, false]] as const) {
      const elf = await open(sample(is64, le, 62, true));
      expect(elf.header.shnumRaw).toBe(0);
      expect(elf.header.shstrndxRaw).toBe(0xffff);
      expect(elf.sectionCount).toBe(7);
      const d = await describeElf(elf);
      expect(d.header).toMatchObject({ shnum: 7, shnumRaw: 0, shstrndx: 6, shstrndxRaw: 0xffff });
      expect(d.sections.map((s) => s.name)).toEqual(['', '.text', '.data', '.bss', '.symtab', '.strtab', '.shstrtab']);
      const parts: string[] = [];
      writeElfText(d, { write: (t) => parts.push(t) });
      expect(parts.join('')).toContain('  Number of section headers:         0 (7)\n  Section header string table index: 65535 (6)\n');
    }
  });

  it('formats 64-bit values above 2^53 exactly', async () => {
    const bytes = buildElf({
      is64: true, littleEndian: true, machine: 62, entry: 0xffffffff81000000n,
      sections: [
        { name: '.symtab', type: 2, link: 2, data: symtab(true, true, [{ name: 1, value: 0xffffffff81234567n, size: 0x123456n, info: 0x12, shndx: 0xfff1 }]), align: 8n, entsize: 24n },
        { name: '.strtab', type: 3, data: strings('kernel_fn'), align: 1n },
      ],
    });
    const d = await describeElf(await open(bytes));
    expect(d.header.entry).toBe('0xffffffff81000000');
    expect(d.symbolTables[0]!.symbols[1]).toMatchObject({ value: '0xffffffff81234567', size: 0x123456, ndx: 'ABS', name: 'kernel_fn' });
  });
});

describe('bad input', () => {
  async function rejection(bytes: Uint8Array, read: (elf: ElfFile) => Promise<unknown> = describeElf): Promise<ElfError> {
    try {
      await read(await open(bytes));
    } catch (error) {
      expect(error).toBeInstanceOf(ElfError);
      return error as ElfError;
    }
    throw new Error('expected an ElfError');
  }

  const good = () => sample(true, true, 62);
  const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

  it('rejects a file that is not ELF', async () => {
    const e = await rejection(new TextEncoder().encode('#!/bin/sh\necho hello, this is not an ELF file at all\n'));
    expect(e.message).toMatch(/^offset 0x0: e_ident\[EI_MAG\]: not an ELF file/);
  });

  it('rejects a truncated header', async () => {
    const e = await rejection(good().subarray(0, 40));
    expect(e.message).toMatch(/^offset 0x28: Elf_Ehdr: file ends before the 64-byte header/);
    expect((await rejection(good().subarray(0, 8))).field).toBe('e_ident');
  });

  it('rejects e_phoff past the end of the file', async () => {
    const b = good();
    view(b).setBigUint64(32, 0x100000n, true);
    const e = await rejection(b);
    expect(e.field).toBe('program header table (e_phoff)');
    expect(e.message).toMatch(/^offset 0x[0-9a-f]+: program header table \(e_phoff\): 0x70 bytes at offset 0x100000 extend past the end of the file/);
  });

  it('rejects a huge e_phnum', async () => {
    const b = good();
    view(b).setUint16(56, 0xfff0, true);
    const e = await rejection(b);
    expect(e.message).toMatch(/^offset 0x[0-9a-f]+: program header table \(e_phoff\): 0x[0-9a-f]+ bytes at offset 0x40 extend past the end of the file/);
  });

  // Damaged parts are warnings (readelf shows the rest): the description still comes.
  const warningsOf = async (bytes: Uint8Array) => (await describeElf(await open(bytes))).warnings;

  it('warns of e_shstrndx out of range; the sections are <no-strings>', async () => {
    const b = good();
    view(b).setUint16(62, 200, true);
    const d = await describeElf(await open(b));
    expect(d.warnings.map((w) => w.message)).toEqual(['offset 0x3e: e_shstrndx: section 200 does not exist (7 sections)']);
    expect(d.sections.map((s) => s.name)).toEqual(Array.from({ length: 7 }, () => '<no-strings>'));
  });

  it('warns of a symbol table with sh_entsize 0', async () => {
    const b = good();
    const shoff = Number(view(b).getBigUint64(40, true));
    view(b).setBigUint64(shoff + 4 * 64 + 56, 0n, true); // section 4 is .symtab
    const [w] = await warningsOf(b);
    expect(w?.field).toBe('.symtab.sh_entsize');
    expect(w?.message).toMatch(/^offset 0x[0-9a-f]+: \.symtab\.sh_entsize: 0 is smaller than a symbol \(24\)/);
  });

  it('warns of a section whose contents lie past the end of the file', async () => {
    const b = good();
    const shoff = Number(view(b).getBigUint64(40, true));
    view(b).setBigUint64(shoff + 5 * 64 + 24, 0x7fff0000n, true); // .strtab's sh_offset
    const [w] = await warningsOf(b);
    expect(w?.message).toMatch(/^offset 0x[0-9a-f]+: section \[5\] \.strtab \(sh_offset\/sh_size\): /);
  });
});
