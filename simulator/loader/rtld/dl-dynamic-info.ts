import type { ElfFile } from '../../elf/elf-file';
import { DT_NEEDED, DT_RPATH, DT_RUNPATH, DT_SONAME, SHT_DYNSYM } from '../../elf/names';
import { newRawSymbol, type SymbolTable } from '../../elf/symbols';

const DT_FLAGS_1 = 0x6ffffffbn;
const DT_VERDEF = 0x6ffffffcn;
const DT_VERDEFNUM = 0x6ffffffdn;
const DT_VERNEED = 0x6ffffffen;
const DT_VERNEEDNUM = 0x6fffffffn;
export const DF_1_NODEFLIB = 0x800n;
const SHT_RELA = 4;
const STB_GNU_UNIQUE = 10;
/** More version entries than any real object has; a hostile chain stops here. */
const MAX_VERSION_ENTRIES = 1 << 16;

/** What ld.so reads from an object's dynamic section (elf_get_dynamic_info). */
export interface DynamicInfo {
  readonly needed: readonly string[];
  readonly soname?: string;
  readonly rpath?: string;
  readonly runpath?: string;
  readonly flags1: bigint;
  /** ndx_high of _dl_check_map_versions: the highest version index needed or defined. */
  readonly versionIndexHigh: number;
}

/** elf_get_dynamic_info plus the version scan of _dl_check_map_versions (elf/dl-version.c). */
export async function dynamicInfo(elf: ElfFile): Promise<DynamicInfo> {
  const entries = await elf.dynamic();
  const needed: string[] = [];
  let soname: string | undefined;
  let rpath: string | undefined;
  let runpath: string | undefined;
  let flags1 = 0n;
  const value = (tag: bigint) => entries.find((e) => e.tag === tag)?.value;
  for (const e of entries) {
    if (e.tag === BigInt(DT_NEEDED) && e.text !== undefined) needed.push(e.text);
    else if (e.tag === BigInt(DT_SONAME)) soname ??= e.text;
    else if (e.tag === BigInt(DT_RPATH)) rpath ??= e.text;
    else if (e.tag === BigInt(DT_RUNPATH)) runpath ??= e.text;
    else if (e.tag === DT_FLAGS_1) flags1 = e.value;
  }
  let high = 0;
  const verneed = value(DT_VERNEED);
  if (verneed !== undefined) high = Math.max(high, await verneedHigh(elf, verneed, Number(value(DT_VERNEEDNUM) ?? 0n)));
  const verdef = value(DT_VERDEF);
  if (verdef !== undefined) high = Math.max(high, await verdefHigh(elf, verdef, Number(value(DT_VERDEFNUM) ?? 0n)));
  return { needed, soname, rpath, runpath, flags1, versionIndexHigh: high };
}

async function readAt(elf: ElfFile, vaddr: bigint, size: number): Promise<DataView | undefined> {
  const offset = elf.fileOffsetOf(vaddr);
  if (offset === undefined || offset + BigInt(size) > BigInt(elf.file.size)) return undefined;
  const bytes = await elf.file.read(Number(offset), size);
  return bytes.length === size ? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) : undefined;
}

/** Elf64_Verneed (16 bytes) chains with Elf64_Vernaux (16 bytes) children: the highest vna_other. */
async function verneedHigh(elf: ElfFile, start: bigint, count: number): Promise<number> {
  let high = 0;
  let at = start;
  for (let i = 0; i < Math.min(count, MAX_VERSION_ENTRIES); i++) {
    const need = await readAt(elf, at, 16);
    if (!need) break;
    let aux = at + BigInt(need.getUint32(8, true));
    for (let j = 0; j < Math.min(need.getUint16(2, true), MAX_VERSION_ENTRIES); j++) {
      const a = await readAt(elf, aux, 16);
      if (!a) break;
      high = Math.max(high, a.getUint16(6, true) & 0x7fff);
      const next = a.getUint32(12, true);
      if (!next) break;
      aux += BigInt(next);
    }
    const next = need.getUint32(12, true);
    if (!next) break;
    at += BigInt(next);
  }
  return high;
}

/** Elf64_Verdef (20 bytes) chain: the highest vd_ndx. */
async function verdefHigh(elf: ElfFile, start: bigint, count: number): Promise<number> {
  let high = 0;
  let at = start;
  for (let i = 0; i < Math.min(count, MAX_VERSION_ENTRIES); i++) {
    const def = await readAt(elf, at, 20);
    if (!def) break;
    high = Math.max(high, def.getUint16(4, true) & 0x7fff);
    const next = def.getUint32(16, true);
    if (!next) break;
    at += BigInt(next);
  }
  return high;
}

/** The names of the STB_GNU_UNIQUE symbols an object defines (C++ inline statics, typeinfo names). */
export async function uniqueDefinitions(elf: ElfFile): Promise<Set<string>> {
  const names = new Set<string>();
  const dynsym = await dynamicSymbols(elf);
  if (!dynsym) return names;
  const raw = newRawSymbol();
  for (let i = 1; i < dynsym.count; i++) {
    dynsym.readRaw(i, raw);
    if (raw.info >> 4 === STB_GNU_UNIQUE && raw.shndx !== 0) names.add(dynsym.name(raw.nameOffset));
  }
  return names;
}

/** The symbol names an object's relocations refer to (DT_RELA and DT_JMPREL, via their sections). */
export async function relocationSymbols(elf: ElfFile): Promise<string[]> {
  const dynsym = await dynamicSymbols(elf);
  if (!dynsym) return [];
  const out: string[] = [];
  for (const s of await elf.sections().catch(() => [])) {
    if (s.type !== SHT_RELA || s.entsize !== 24n) continue;
    const bytes = await elf.sectionBytes(s).catch(() => new Uint8Array(0));
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let at = 0; at + 24 <= bytes.length; at += 24) {
      const sym = view.getUint32(at + 12, true);
      if (sym && sym < dynsym.count) out.push(dynsym.name(dynsym.readRaw(sym, raw).nameOffset));
    }
  }
  return out;
}
const raw = newRawSymbol();

async function dynamicSymbols(elf: ElfFile): Promise<SymbolTable | undefined> {
  const sections = await elf.sections().catch(() => []);
  if (!sections.some((s) => s.type === SHT_DYNSYM)) return undefined;
  const tables = await elf.symbolTables().catch(() => []);
  return tables.find((t) => t.dynamic);
}
