import { ByteView } from './byte-view';
import { ElfError } from './errors';
import type { FileAccess } from './file-access';
import { parseElfHeader, type ElfHeader } from './header';
import {
  DT_NEEDED, DT_NULL, DT_RPATH, DT_RUNPATH, DT_SONAME, DT_STRSZ, DT_STRTAB,
  PT_DYNAMIC, PT_GNU_RELRO, PT_GNU_STACK, PT_INTERP, PT_LOAD, PT_NOTE,
  SHT_DYNAMIC, SHT_DYNSYM, SHT_NOBITS, SHT_NOTE, SHT_STRTAB, SHT_SYMTAB,
} from './names';
import { parseNotes, type ElfNote } from './notes';
import { parseProgramHeaders, PHDR_SIZE_32, PHDR_SIZE_64, type ProgramHeader } from './program-headers';
import { parseSectionHeaders, SHDR_SIZE_32, SHDR_SIZE_64, type SectionHeader } from './section-headers';
import { mapSectionsToSegments } from './segment-mapping';
import { StringTable } from './string-table';
import { SymbolTable } from './symbols';

const PN_XNUM = 0xffff;
const SHN_XINDEX = 0xffff;
const SHN_LORESERVE = 0xff00;
/** Far more than any real file has; stops a hostile count from costing time. */
const MAX_TABLE_ENTRIES = 1 << 20;
/** Section-to-segment comparisons (a real file has a few hundred); about 0.2 s. */
const MAX_SEGMENT_SECTION_PAIRS = 1 << 22;

export interface DynamicEntry {
  readonly tag: bigint;
  readonly value: bigint;
  /** The string a NEEDED/SONAME/RPATH/RUNPATH value points to. */
  readonly text?: string;
}

/**
 * An ELF file opened lazily: the header and program headers are read at once
 * (they are all execve needs); sections, symbols, dynamic entries and notes
 * are read on first use. Every offset and size is checked against the file.
 */
export class ElfFile {
  private sectionCache?: Promise<SectionHeader[]>;
  private readonly stringTables = new Map<number, Promise<StringTable>>();
  /** Problems passed over while reading, as readelf warns and goes on (each names its offset and field). */
  readonly warnings: ElfError[] = [];

  private constructor(
    readonly file: FileAccess,
    readonly header: ElfHeader,
    readonly programHeaders: readonly ProgramHeader[],
    /** Section count and name-table index after the PN_XNUM/SHN_XINDEX escapes. */
    private readonly sectionZero: SectionHeader | undefined,
  ) {}

  static async open(file: FileAccess): Promise<ElfFile> {
    const head = await file.read(0, Math.min(file.size, 64));
    const header = parseElfHeader(head);
    const elf0 = new ElfFile(file, header, [], undefined);
    const sectionZero = await elf0.readSectionZero();
    const phnum = header.phnumRaw === PN_XNUM && sectionZero ? sectionZero.info : header.phnumRaw;
    let programHeaders: ProgramHeader[] = [];
    if (phnum > 0) {
      const min = header.is64 ? PHDR_SIZE_64 : PHDR_SIZE_32;
      if (header.phentsize < min) throw new ElfError(header.is64 ? 54 : 42, 'e_phentsize', `${header.phentsize} is smaller than a program header (${min})`);
      if (phnum > MAX_TABLE_ENTRIES) throw new ElfError(header.is64 ? 56 : 44, 'e_phnum', `${phnum} program headers is implausible`);
      const bytes = await elf0.readRange(header.phoff, BigInt(phnum * header.phentsize), 'program header table (e_phoff)');
      programHeaders = parseProgramHeaders(new ByteView(bytes, Number(header.phoff), header.littleEndian), phnum, header.phentsize, header.is64);
    }
    return new ElfFile(file, header, programHeaders, sectionZero);
  }

  /** Reads a range of the file after checking that it lies inside it. */
  async readRange(offset: bigint, size: bigint, what: string): Promise<Uint8Array> {
    const fileSize = BigInt(this.file.size);
    if (offset > fileSize || size > fileSize - offset) {
      throw new ElfError(Number(offset > fileSize ? fileSize : offset), what, `0x${size.toString(16)} bytes at offset 0x${offset.toString(16)} extend past the end of the file (0x${fileSize.toString(16)} bytes)`);
    }
    return this.file.read(Number(offset), Number(size));
  }

  get is64(): boolean {
    return this.header.is64;
  }

  get sectionCount(): number {
    const raw = this.header.shnumRaw;
    return raw === 0 && this.sectionZero ? Number(this.sectionZero.size) : raw;
  }

  private get sectionNameIndex(): number {
    const raw = this.header.shstrndxRaw;
    return raw === SHN_XINDEX && this.sectionZero ? this.sectionZero.link : raw;
  }

  private async readSectionZero(): Promise<SectionHeader | undefined> {
    const h = this.header;
    if (h.shoff === 0n) return undefined;
    if (h.shnumRaw !== 0 && h.phnumRaw !== PN_XNUM && h.shstrndxRaw !== SHN_XINDEX) return undefined;
    const size = h.is64 ? SHDR_SIZE_64 : SHDR_SIZE_32;
    if (h.shentsize < size) throw new ElfError(h.is64 ? 58 : 46, 'e_shentsize', `${h.shentsize} is smaller than a section header (${size})`);
    const bytes = await this.readRange(h.shoff, BigInt(size), 'section header 0 (e_shoff)');
    return parseSectionHeaders(new ByteView(bytes, Number(h.shoff), h.littleEndian), 1, size, h.is64)[0];
  }

  /**
   * The section headers, with names resolved. A table that cannot be read (e_shentsize too
   * small, past the end of the file) is a warning and no sections, as readelf goes on without them.
   */
  sections(): Promise<SectionHeader[]> {
    this.sectionCache ??= this.readSections().catch((error: unknown) => {
      if (!(error instanceof ElfError)) throw error;
      this.warn(error);
      return [];
    });
    return this.sectionCache;
  }

  /** Records a problem passed over (once). */
  warn(problem: ElfError): void {
    if (!this.warnings.some((w) => w.message === problem.message)) this.warnings.push(problem);
  }

  private async readSections(): Promise<SectionHeader[]> {
    const h = this.header;
    const count = this.sectionCount;
    if (h.shoff === 0n || count === 0) return [];
    const min = h.is64 ? SHDR_SIZE_64 : SHDR_SIZE_32;
    if (h.shentsize < min) throw new ElfError(h.is64 ? 58 : 46, 'e_shentsize', `${h.shentsize} is smaller than a section header (${min})`);
    if (count > MAX_TABLE_ENTRIES) throw new ElfError(h.is64 ? 60 : 48, 'e_shnum', `${count} sections is implausible`);
    const bytes = await this.readRange(h.shoff, BigInt(count) * BigInt(h.shentsize), 'section header table (e_shoff)');
    const sections = parseSectionHeaders(new ByteView(bytes, Number(h.shoff), h.littleEndian), count, h.shentsize, h.is64);
    const nameIndex = this.sectionNameIndex;
    // readelf: with no name table (e_shstrndx SHN_UNDEF) every name is <no-strings>
    if (nameIndex === 0) for (const s of sections) s.name = '<no-strings>';
    if (nameIndex !== 0 && nameIndex < SHN_LORESERVE) {
      // readelf: a missing or unreadable name table is a warning, and the names are <no-strings>
      const names = sections[nameIndex];
      try {
        if (!names) throw new ElfError(h.is64 ? 62 : 50, 'e_shstrndx', `section ${nameIndex} does not exist (${count} sections)`);
        const table = await this.stringTableOf(names);
        for (const s of sections) s.name = table.at(s.nameOffset);
      } catch (error) {
        if (!(error instanceof ElfError)) throw error;
        this.warn(error);
        for (const s of sections) s.name = '<no-strings>';
      }
    }
    return sections;
  }

  /** The contents of a section; empty for SHT_NOBITS. */
  async sectionBytes(s: SectionHeader): Promise<Uint8Array> {
    if (s.type === SHT_NOBITS) return new Uint8Array(0);
    return this.readRange(s.offset, s.size, `section [${s.index}] ${s.name || ''} (sh_offset/sh_size)`.replace('  ', ' '));
  }

  /** The string table in section `s`, decoded once. */
  private stringTableOf(s: SectionHeader): Promise<StringTable> {
    let table = this.stringTables.get(s.index);
    if (!table) {
      table = this.readStringTable(s);
      this.stringTables.set(s.index, table);
    }
    return table;
  }

  private async readStringTable(s: SectionHeader): Promise<StringTable> {
    if (s.type !== SHT_STRTAB) throw new ElfError(Number(this.header.shoff) + s.index * this.header.shentsize, `section [${s.index}].sh_type`, `expected a string table (STRTAB), found type ${s.type}`);
    return new StringTable(await this.sectionBytes(s));
  }

  /** For each program header, the indices of the sections inside it. */
  async segmentSections(): Promise<number[][]> {
    const sections = await this.sections();
    // Only pairs whose ranges meet are compared (a core has thousands of both); a hostile file
    // with overlapping tables of many thousand entries would still take minutes.
    const mapping = mapSectionsToSegments(this.programHeaders, sections, MAX_SEGMENT_SECTION_PAIRS);
    if (!mapping) throw new ElfError(this.is64 ? 56 : 44, 'e_phnum', `${this.programHeaders.length} program headers by ${sections.length} sections is implausible`);
    return mapping;
  }

  /** `.symtab` then `.dynsym`, whichever exist, decoded lazily. */
  async symbolTables(): Promise<SymbolTable[]> {
    const sections = await this.sections();
    const tables: SymbolTable[] = [];
    // Tables that overlap could otherwise make a small file cost gigabytes: at most twice the file is read.
    const stringTables = new Map<number, StringTable>();
    const limit = 2n * BigInt(this.file.size);
    let total = 0n;
    for (const s of sections) {
      if (s.type !== SHT_SYMTAB && s.type !== SHT_DYNSYM) continue;
      const strings = sections[s.link];
      total += s.size + (strings && strings.type === SHT_STRTAB && !stringTables.has(s.link) ? strings.size : 0n);
      if (total > limit) throw new ElfError(Number(this.header.shoff) + s.index * this.header.shentsize, `section [${s.index}].sh_size`, 'symbol and string tables together are over twice the file size: they overlap');
      let table = stringTables.get(s.link);
      if (!table) {
        table = strings && strings.type === SHT_STRTAB ? await this.stringTableOf(strings) : StringTable.EMPTY;
        stringTables.set(s.link, table);
      }
      tables.push(new SymbolTable(s.name, await this.sectionBytes(s), Number(s.entsize), this.is64, this.header.littleEndian, table, Number(s.offset), s.type === SHT_DYNSYM));
    }
    tables.sort((a, b) => (a.dynamic ? 0 : 1) - (b.dynamic ? 0 : 1));
    return tables;
  }

  segmentsOfType(type: number): ProgramHeader[] {
    return this.programHeaders.filter((p) => p.type === type);
  }

  get loadSegments(): ProgramHeader[] {
    return this.segmentsOfType(PT_LOAD);
  }

  /** PT_GNU_STACK's flags, or undefined when the file has none. */
  get stackSegment(): ProgramHeader | undefined {
    return this.segmentsOfType(PT_GNU_STACK)[0];
  }

  get relroSegment(): ProgramHeader | undefined {
    return this.segmentsOfType(PT_GNU_RELRO)[0];
  }

  /** The PT_INTERP path (what the kernel opens as the interpreter), or undefined. */
  async interpreter(): Promise<string | undefined> {
    const p = this.segmentsOfType(PT_INTERP)[0];
    if (!p) return undefined;
    // fs/binfmt_elf.c: the size must be sane and the string NUL-terminated.
    if (p.filesz > 4096n || p.filesz < 2n) throw new ElfError(Number(this.header.phoff) + p.index * this.header.phentsize + (this.is64 ? 32 : 16), `phdr[${p.index}] PT_INTERP p_filesz`, `interpreter path length ${p.filesz} is not within 2..4096 (kernel refuses: ENOEXEC)`);
    const bytes = await this.readRange(p.offset, p.filesz, `phdr[${p.index}] PT_INTERP`);
    if (bytes[bytes.length - 1] !== 0) throw new ElfError(Number(p.offset + p.filesz - 1n), `phdr[${p.index}] PT_INTERP`, 'interpreter path is not NUL-terminated (kernel refuses: ENOEXEC)');
    return new TextDecoder().decode(bytes.subarray(0, bytes.indexOf(0)));
  }

  /** Translates a virtual address to a file offset through the PT_LOAD segments. */
  fileOffsetOf(vaddr: bigint): bigint | undefined {
    for (const p of this.loadSegments) {
      if (vaddr >= p.vaddr && vaddr < p.vaddr + p.filesz) return p.offset + (vaddr - p.vaddr);
    }
    return undefined;
  }

  /** The dynamic section's entries up to DT_NULL, with their strings. */
  async dynamic(): Promise<DynamicEntry[]> {
    const p = this.segmentsOfType(PT_DYNAMIC)[0];
    let bytes: Uint8Array;
    let at: bigint;
    if (p) {
      at = p.offset;
      bytes = await this.readRange(p.offset, p.filesz, `phdr[${p.index}] PT_DYNAMIC`);
    } else {
      const s = (await this.sections()).find((x) => x.type === SHT_DYNAMIC);
      if (!s) return [];
      at = s.offset;
      bytes = await this.sectionBytes(s);
    }
    const view = new ByteView(bytes, Number(at), this.header.littleEndian);
    const w = this.is64 ? 8 : 4;
    const raw: { tag: bigint; value: bigint }[] = [];
    for (let i = 0; i + 2 * w <= bytes.length; i += 2 * w) {
      const tag = this.is64 ? view.i64(i, 'd_tag') : BigInt(view.i32(i, 'd_tag'));
      const value = view.word(i + w, this.is64, 'd_val');
      raw.push({ tag, value });
      if (tag === BigInt(DT_NULL)) break;
    }
    const strings = await this.dynamicStrings(raw);
    const stringTags = new Set([DT_NEEDED, DT_SONAME, DT_RPATH, DT_RUNPATH].map(BigInt));
    return raw.map((e) => (stringTags.has(e.tag) ? { ...e, text: strings.at(Number(e.value)) } : e));
  }

  private async dynamicStrings(entries: readonly { tag: bigint; value: bigint }[]): Promise<StringTable> {
    const strtab = entries.find((e) => e.tag === BigInt(DT_STRTAB))?.value;
    const strsz = entries.find((e) => e.tag === BigInt(DT_STRSZ))?.value;
    if (strtab !== undefined && strsz !== undefined) {
      const offset = this.fileOffsetOf(strtab);
      if (offset !== undefined) return new StringTable(await this.readRange(offset, strsz, 'DT_STRTAB/DT_STRSZ'));
    }
    const sections = await this.sections().catch(() => []);
    const dynstr = sections.find((s) => s.name === '.dynstr' && s.type === SHT_STRTAB);
    return dynstr ? this.stringTableOf(dynstr) : StringTable.EMPTY;
  }

  /** Notes from the PT_NOTE segments, or from SHT_NOTE sections when there are none. */
  async notes(): Promise<{ where: string; offset: bigint; size: bigint; notes: ElfNote[] }[]> {
    const areas: { where: string; offset: bigint; size: bigint; align: bigint }[] = [];
    const sections = this.header.shoff ? await this.sections() : [];
    const noteSections = sections.filter((s) => s.type === SHT_NOTE);
    if (noteSections.length) for (const s of noteSections) areas.push({ where: s.name, offset: s.offset, size: s.size, align: s.addralign });
    else for (const p of this.segmentsOfType(PT_NOTE)) areas.push({ where: `phdr[${p.index}]`, offset: p.offset, size: p.filesz, align: p.align });
    const result = [];
    for (const a of areas) {
      const bytes = await this.readRange(a.offset, a.size, `notes in ${a.where}`);
      const notes = parseNotes(new ByteView(bytes, Number(a.offset), this.header.littleEndian), Number(a.align), this.is64, this.header.machine);
      result.push({ where: a.where, offset: a.offset, size: a.size, notes });
    }
    return result;
  }
}
