import type { ElfFile } from './elf-file';
import { ElfError } from './errors';
import {
  DT_FLAGS, DT_FLAGS_1, DT_FLAGS_1_NAMES, DT_FLAGS_NAMES, DT_NEEDED, DT_RPATH, DT_RUNPATH, DT_SONAME,
  DYNAMIC_TAG_NAMES, ELF_TYPE_NAMES, flagNames, MACHINE_NAMES, nameOf, OSABI_NAMES, PT_DYNAMIC,
  SECTION_TYPE_NAMES, SEGMENT_TYPE_NAMES, SHT_DYNAMIC,
} from './names';
import { segmentFlagString } from './program-headers';
import { describeSymbols, readVersions } from './describe-symbols';

/**
 * Everything `readelf -hlSsdnW` shows about a file, as a plain JSON-able
 * document. Addresses, offsets and other 64-bit quantities are hex strings
 * ("0x..." lowercase); counts and small fields are numbers.
 */
export interface ElfDescription {
  /** The file's name as the FileAccess gave it. */
  readonly file: string;
  readonly header: ElfHeaderDescription;
  readonly programHeaders: ProgramHeaderDescription[];
  /** The PT_INTERP path, or null. */
  readonly interpreter: string | null;
  readonly sections: SectionDescription[];
  /** For each program header, the names of the sections inside it (readelf's "Section to Segment mapping"). */
  readonly segmentSections: string[][];
  readonly dynamic: DynamicDescription | null;
  /** `.dynsym` first, then `.symtab`, as readelf prints them. */
  readonly symbolTables: SymbolTableDescription[];
  readonly notes: NoteAreaDescription[];
  /** Problems passed over, as readelf warns and shows what it can: each names its file offset and field. */
  readonly warnings: ElfWarning[];
}

export interface ElfWarning {
  readonly offset: number;
  readonly field: string;
  readonly problem: string;
  /** `offset 0x…: field: problem`. */
  readonly message: string;
}

export type Hex = string;

export interface ElfHeaderDescription {
  /** The 16 e_ident bytes as readelf prints them ("7f 45 4c 46 ..."). */
  readonly magic: string;
  readonly class: 'ELF32' | 'ELF64';
  readonly is64: boolean;
  readonly data: string;
  readonly littleEndian: boolean;
  readonly identVersion: number;
  readonly osabi: number;
  readonly osabiName: string;
  readonly abiVersion: number;
  readonly type: number;
  readonly typeName: string;
  readonly machine: number;
  readonly machineName: string;
  readonly version: Hex;
  readonly entry: Hex;
  readonly phoff: Hex;
  readonly shoff: Hex;
  readonly flags: Hex;
  readonly ehsize: number;
  readonly phentsize: number;
  /** The number of program headers (after the PN_XNUM escape). */
  readonly phnum: number;
  readonly phnumRaw: number;
  readonly shentsize: number;
  /** The number of section headers (after the e_shnum = 0 escape). */
  readonly shnum: number;
  readonly shnumRaw: number;
  /** The section-name string table's index (after the SHN_XINDEX escape). */
  readonly shstrndx: number;
  readonly shstrndxRaw: number;
}

export interface ProgramHeaderDescription {
  readonly index: number;
  readonly type: number;
  readonly typeName: string;
  readonly flags: number;
  /** readelf's "Flg" column, e.g. "R E". */
  readonly flagsText: string;
  readonly offset: Hex;
  readonly vaddr: Hex;
  readonly paddr: Hex;
  readonly filesz: Hex;
  readonly memsz: Hex;
  readonly align: Hex;
}

export interface SectionDescription {
  readonly index: number;
  readonly name: string;
  readonly type: number;
  readonly typeName: string;
  readonly flags: Hex;
  /** readelf's "Flg" letters, e.g. "AX". */
  readonly flagLetters: string;
  readonly addr: Hex;
  readonly offset: Hex;
  readonly size: Hex;
  readonly entsize: Hex;
  readonly addralign: Hex;
  readonly link: number;
  readonly info: number;
}

export interface SymbolTableDescription {
  readonly name: string;
  readonly count: number;
  readonly symbols: SymbolDescription[];
}

export type SymbolVersionKind = 'needed' | 'default' | 'hidden';

export interface SymbolDescription {
  readonly index: number;
  readonly value: Hex;
  /** st_size (a plain number; exact below 2^53). */
  readonly size: number;
  readonly type: string;
  readonly bind: string;
  readonly visibility: string;
  /** "UND", "ABS", "COM" or a section index. */
  readonly ndx: string | number;
  readonly name: string;
  /** The symbol version (`.dynsym` only): readelf shows `name@version (index)` (needed), `name@@version` (default) or `name@version` (hidden). */
  readonly version?: string;
  readonly versionKind?: SymbolVersionKind;
  readonly versionIndex?: number;
}

export interface DynamicDescription {
  /** File offset of the dynamic array. */
  readonly offset: Hex;
  readonly entries: DynamicEntryDescription[];
}

export interface DynamicEntryDescription {
  readonly tag: Hex;
  readonly tagName: string;
  readonly value: Hex;
  /** readelf's Name/Value column, e.g. "Shared library: [libc.so.6]", "Flags: NOW PIE", "24 (bytes)". */
  readonly text: string;
  /** The string a NEEDED/SONAME/RPATH/RUNPATH entry names. */
  readonly name?: string;
  /** Names of the FLAGS/FLAGS_1 bits. */
  readonly flags?: string[];
}

export interface NoteAreaDescription {
  /** The SHT_NOTE section's name, or null when the notes come from a PT_NOTE segment. */
  readonly section: string | null;
  readonly offset: Hex;
  readonly size: Hex;
  readonly notes: NoteDescription[];
}

export interface NoteDescription {
  readonly owner: string;
  readonly dataSize: number;
  readonly type: number;
  readonly typeName: string;
  /** readelf's decoded text (build ID, ABI tag, properties one per line); "" when unknown. */
  readonly summary: string;
}


export function hexOf(value: bigint | number): Hex {
  return '0x' + value.toString(16);
}

const SIZE_NAMES = new Set([2, 8, 9, 10, 11, 18, 19, 27, 28, 33, 35, 37, 0x6ffffdf5, 0x6ffffdf6, 0x6ffffdf7, 0x6ffffdfe, 0x6ffffdff]);
const COUNT_TAGS = new Set([0x6ffffff9, 0x6ffffffa, 0x6ffffffd, 0x6fffffff]);
const EMPTY_TAGS = new Set([24]); // BIND_NOW


/** Describes an ELF file for `asx elf` and the webview. Throws ElfError on malformed input. */
export async function describeElf(elf: ElfFile, options: { symbols?: boolean } = {}): Promise<ElfDescription> {
  const h = elf.header;
  // Each part that cannot be read is a warning and an empty part, as readelf goes on.
  const part = async <T>(fallback: T, read: () => Promise<T>): Promise<T> => {
    try {
      return await read();
    } catch (error) {
      if (!(error instanceof ElfError)) throw error;
      elf.warn(error);
      return fallback;
    }
  };
  const sections = await elf.sections();
  const dynamicEntries = await part([], () => elf.dynamic());
  const flags1 = dynamicEntries.find((e) => e.tag === BigInt(DT_FLAGS_1))?.value ?? 0n;
  let typeName = nameOf(ELF_TYPE_NAMES, h.type);
  if (h.type === 3 && (flags1 & 0x8000000n) === 0n) typeName = 'DYN (Shared object file)';

  const header: ElfHeaderDescription = {
    magic: Array.from(h.ident, (b) => b.toString(16).padStart(2, '0')).join(' '),
    class: h.is64 ? 'ELF64' : 'ELF32',
    is64: h.is64,
    data: h.littleEndian ? "2's complement, little endian" : "2's complement, big endian",
    littleEndian: h.littleEndian,
    identVersion: h.identVersion,
    osabi: h.osabi,
    osabiName: OSABI_NAMES[h.osabi] ?? `<unknown: ${h.osabi.toString(16)}>`,
    abiVersion: h.abiVersion,
    type: h.type,
    typeName,
    machine: h.machine,
    machineName: nameOf(MACHINE_NAMES, h.machine),
    version: hexOf(h.version),
    entry: hexOf(h.entry),
    phoff: hexOf(h.phoff),
    shoff: hexOf(h.shoff),
    flags: hexOf(h.flags),
    ehsize: h.ehsize,
    phentsize: h.phentsize,
    phnum: elf.programHeaders.length,
    phnumRaw: h.phnumRaw,
    shentsize: h.shentsize,
    shnum: elf.sectionCount,
    shnumRaw: h.shnumRaw,
    shstrndx: h.shstrndxRaw === 0xffff && sections[0] ? sections[0].link : h.shstrndxRaw,
    shstrndxRaw: h.shstrndxRaw,
  };

  const programHeaders = elf.programHeaders.map((p): ProgramHeaderDescription => ({
    index: p.index,
    type: p.type,
    typeName: nameOf(SEGMENT_TYPE_NAMES, p.type),
    flags: p.flags,
    flagsText: segmentFlagString(p.flags),
    offset: hexOf(p.offset),
    vaddr: hexOf(p.vaddr),
    paddr: hexOf(p.paddr),
    filesz: hexOf(p.filesz),
    memsz: hexOf(p.memsz),
    align: hexOf(p.align),
  }));

  const sectionDescriptions = sections.map((s): SectionDescription => ({
    index: s.index,
    name: s.name,
    type: s.type,
    typeName: nameOf(SECTION_TYPE_NAMES, s.type),
    flags: hexOf(s.flags),
    flagLetters: flagLetters(s.flags, h.osabi, h.machine),
    addr: hexOf(s.addr),
    offset: hexOf(s.offset),
    size: hexOf(s.size),
    entsize: hexOf(s.entsize),
    addralign: hexOf(s.addralign),
    link: s.link,
    info: s.info,
  }));

  const mapping = await part(elf.programHeaders.map((): number[] => []), () => elf.segmentSections());
  const segmentSections = mapping.map((indices) => indices.map((i) => sections[i]?.name ?? ''));

  let dynamic: DynamicDescription | null = null;
  if (dynamicEntries.length) {
    const p = elf.programHeaders.find((x) => x.type === PT_DYNAMIC);
    const s = sections.find((x) => x.type === SHT_DYNAMIC);
    dynamic = {
      offset: hexOf(p ? p.offset : (s?.offset ?? 0n)),
      entries: dynamicEntries.map((e) => describeDynamicEntry(e.tag, e.value, e.text)),
    };
  }

  // Without symbols (the first paint of a large binary), the tables are read later on demand.
  const tables = options.symbols === false ? [] : await part([], () => elf.symbolTables());
  const symbolTables: SymbolTableDescription[] = [];
  for (const table of tables) {
    const versions = table.dynamic ? await part(undefined, () => readVersions(elf, sections)) : undefined;
    symbolTables.push({ name: table.sectionName, count: table.count, symbols: describeSymbols(table, versions) });
  }

  const notes: NoteAreaDescription[] = (await part([], () => elf.notes())).map((area) => ({
    section: area.where.startsWith('phdr[') ? null : area.where,
    offset: hexOf(area.offset),
    size: hexOf(area.size),
    notes: area.notes.map((n): NoteDescription => ({
      owner: n.owner,
      dataSize: n.description.length,
      type: n.type,
      typeName: n.typeName,
      summary: n.summary,
    })),
  }));

  return {
    file: elf.file.name,
    header,
    programHeaders,
    interpreter: (await part(undefined, () => elf.interpreter())) ?? null,
    sections: sectionDescriptions,
    segmentSections,
    dynamic,
    symbolTables,
    notes,
    warnings: elf.warnings.map((w) => ({ offset: w.offset, field: w.field, problem: w.problem, message: w.message })),
  };
}

function describeDynamicEntry(tag: bigint, value: bigint, name: string | undefined): DynamicEntryDescription {
  const t = Number(tag);
  const tagName = DYNAMIC_TAG_NAMES[t] ?? (t >= 0 ? `0x${t.toString(16)}` : `0x${(BigInt.asUintN(64, tag)).toString(16)}`);
  const entry: { tag: Hex; tagName: string; value: Hex; text: string; name?: string; flags?: string[] } = {
    tag: hexOf(BigInt.asUintN(64, tag)),
    tagName,
    value: hexOf(value),
    text: '',
  };
  if (name !== undefined) {
    entry.name = name;
    const label = t === DT_NEEDED ? 'Shared library' : t === DT_SONAME ? 'Library soname' : t === DT_RPATH ? 'Library rpath' : t === DT_RUNPATH ? 'Library runpath' : 'Name';
    entry.text = `${label}: [${name}]`;
  } else if (t === DT_FLAGS) {
    entry.flags = flagNames(value, DT_FLAGS_NAMES);
    entry.text = entry.flags.join(' ');
  } else if (t === DT_FLAGS_1) {
    entry.flags = flagNames(value, DT_FLAGS_1_NAMES);
    entry.text = `Flags: ${entry.flags.join(' ')}`;
  } else if (t === 20) {
    entry.text = value === 7n ? 'RELA' : value === 17n ? 'REL' : hexOf(value);
  } else if (SIZE_NAMES.has(t)) {
    entry.text = `${value} (bytes)`;
  } else if (COUNT_TAGS.has(t)) {
    entry.text = `${value}`;
  } else if (EMPTY_TAGS.has(t)) {
    entry.text = '';
  } else {
    entry.text = hexOf(value);
  }
  return entry;
}

const FLAG_LETTERS: Readonly<Record<number, string>> = {
  0x1: 'W', 0x2: 'A', 0x4: 'X', 0x10: 'M', 0x20: 'S', 0x40: 'I', 0x80: 'L', 0x100: 'O', 0x200: 'G', 0x400: 'T', 0x800: 'C',
};

const SHF_MASKOS = 0x0ff00000n;
const SHF_MASKPROC = 0xf0000000n;

/**
 * readelf's "Flg" letters (get_elf_section_flags): one per set bit, lowest first; E for
 * SHF_EXCLUDE, l for x86-64's LARGE, y for ARM's PURECODE, R (GNU RETAIN) and D (GNU MBIND)
 * by EI_OSABI; any other OS bit prints one 'o' and clears the rest of SHF_MASKOS, any other
 * processor bit one 'p' (clearing SHF_MASKPROC), an unknown bit 'x'.
 */
export function flagLetters(flags: bigint, osabi: number, machine: number): string {
  let letters = '';
  let rest = BigInt.asUintN(64, flags);
  const gnu = osabi === 3 || osabi === 9;
  while (rest) {
    const bit = rest & -rest;
    rest ^= bit;
    const n = Number(bit);
    const known = FLAG_LETTERS[n];
    if (known) letters += known;
    else if (n === 0x80000000) letters += 'E';
    else if (n === 0x10000000 && (machine === 62 || machine === 180 || machine === 181)) letters += 'l';
    else if (n === 0x20000000 && machine === 40) letters += 'y';
    else if (bit & SHF_MASKOS) {
      if (n === 0x200000 && gnu) letters += 'R';
      else if (n === 0x1000000 && (gnu || osabi === 0)) letters += 'D';
      else {
        letters += 'o';
        rest &= ~SHF_MASKOS;
      }
    } else if (bit & SHF_MASKPROC) {
      letters += 'p';
      rest &= ~SHF_MASKPROC;
    } else letters += 'x';
  }
  return letters;
}
