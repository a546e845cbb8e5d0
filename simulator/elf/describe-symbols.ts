// The symbols of `asx elf` and the webview's symbol grid, as readelf -sW prints them: values,
// section indexes and GNU symbol versions (.gnu.version, .gnu.version_d, .gnu.version_r).
import type { ElfFile } from './elf-file';
import type { Hex, SymbolDescription, SymbolVersionKind } from './describe';
import { SHT_DYNSYM, SHT_STRTAB, SYMBOL_BIND_NAMES, SYMBOL_TYPE_NAMES, SYMBOL_VISIBILITY_NAMES } from './names';
import type { SectionHeader } from './section-headers';
import { StringTable } from './string-table';
import { newRawSymbol, SHN_ABS, SHN_COMMON, SHN_UNDEF, type SymbolTable } from './symbols';

const TWO32 = 4294967296;

const SHN_LORESERVE = 0xff00;
const VERSYM_HIDDEN = 0x8000;
const VER_FLG_BASE = 1;
const SHT_GNU_VERDEF = 0x6ffffffd;
const SHT_GNU_VERNEED = 0x6ffffffe;
const SHT_GNU_VERSYM = 0x6fffffff;

/** "0x" + lowercase hex of the 64-bit value hi:lo, without BigInt. */
export function hex64(hi: number, lo: number): Hex {
  if (hi === 0) return '0x' + lo.toString(16);
  const low = lo.toString(16);
  return '0x' + hi.toString(16) + '00000000'.slice(low.length) + low;
}

/** Symbol versions of `.dynsym`, from .gnu.version, .gnu.version_d and .gnu.version_r. */
interface SymbolVersions {
  readonly versym: DataView;
  readonly littleEndian: boolean;
  /** Version index → name (from verdef), with VER_FLG_BASE entries marked. */
  readonly defined: Map<number, { name: string; base: boolean }>;
  /** vna_other → name (from verneed). */
  readonly needed: Map<number, string>;
}

export async function readVersions(elf: ElfFile, sections: readonly SectionHeader[]): Promise<SymbolVersions | undefined> {
  const dynsym = sections.find((s) => s.type === SHT_DYNSYM);
  if (!dynsym) return undefined;
  const versymSection = sections.find((s) => s.type === SHT_GNU_VERSYM && s.link === dynsym.index);
  if (!versymSection) return undefined;
  const le = elf.header.littleEndian;
  const versymBytes = await elf.sectionBytes(versymSection);
  const defined = new Map<number, { name: string; base: boolean }>();
  const needed = new Map<number, string>();
  // Only a few names are needed: slice them out rather than decoding the whole (large) .dynstr.
  const stringsOf = async (s: SectionHeader): Promise<{ at(offset: number): string }> => {
    const t = sections[s.link];
    if (!t || t.type !== SHT_STRTAB) return StringTable.EMPTY;
    const bytes = await elf.sectionBytes(t);
    return {
      at(offset: number): string {
        if (offset >= bytes.length) return '<corrupt>';
        const end = bytes.indexOf(0, offset);
        return new StringTable(bytes.subarray(offset, end < 0 ? bytes.length : end + 1)).at(0);
      },
    };
  };
  for (const s of sections) {
    if (s.type !== SHT_GNU_VERDEF && s.type !== SHT_GNU_VERNEED) continue;
    const bytes = await elf.sectionBytes(s);
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const strings = await stringsOf(s);
    const fits = (at: number, n: number) => at >= 0 && at + n <= bytes.length;
    let at = 0;
    // Bounded walks: a corrupt chain ends the walk instead of looping.
    for (let guard = 0; guard < 65536 && fits(at, 16); guard++) {
      if (s.type === SHT_GNU_VERDEF) {
        // Elf_Verdef: vd_version u16, vd_flags u16, vd_ndx u16, vd_cnt u16, vd_hash u32, vd_aux u32, vd_next u32
        if (!fits(at, 20)) break;
        const flags = v.getUint16(at + 2, le);
        const ndx = v.getUint16(at + 4, le);
        const aux = at + v.getUint32(at + 12, le);
        if (fits(aux, 8)) defined.set(ndx, { name: strings.at(v.getUint32(aux, le)), base: (flags & VER_FLG_BASE) !== 0 && ndx === 1 });
        const next = v.getUint32(at + 16, le);
        if (next === 0) break;
        at += next;
      } else {
        // Elf_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32
        const cnt = v.getUint16(at + 2, le);
        let aux = at + v.getUint32(at + 8, le);
        for (let j = 0; j < cnt && fits(aux, 16) && guard < 65536; j++, guard++) {
          // Elf_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32
          needed.set(v.getUint16(aux + 6, le), strings.at(v.getUint32(aux + 8, le)));
          const next = v.getUint32(aux + 12, le);
          if (next === 0) break;
          aux += next;
        }
        const next = v.getUint32(at + 12, le);
        if (next === 0) break;
        at += next;
      }
    }
  }
  return { versym: new DataView(versymBytes.buffer, versymBytes.byteOffset, versymBytes.byteLength), littleEndian: le, defined, needed };
}

/** The hot loop: one object per symbol, no BigInt, no closures. */
export function describeSymbols(table: SymbolTable, versions: SymbolVersions | undefined): SymbolDescription[] {
  const count = table.count;
  const out: SymbolDescription[] = new Array(count);
  const raw = newRawSymbol();
  const versymCount = versions ? versions.versym.byteLength >> 1 : 0;
  let lastValueHi = -1;
  let lastValueLo = -1;
  let lastValue = '';
  for (let i = 0; i < count; i++) {
    table.readRaw(i, raw);
    const shndx = raw.shndx;
    let value: string;
    if (raw.valueLo === lastValueLo && raw.valueHi === lastValueHi) value = lastValue;
    else {
      value = hex64(raw.valueHi, raw.valueLo);
      lastValueHi = raw.valueHi;
      lastValueLo = raw.valueLo;
      lastValue = value;
    }
    const name = table.name(raw.nameOffset);
    let version: string | undefined;
    let versionKind: SymbolVersionKind | undefined;
    let versionIndex: number | undefined;
    if (versions && i < versymCount) {
      const vers = versions.versym.getUint16(i * 2, versions.littleEndian);
      if (vers !== 0) {
        const index = vers & ~VERSYM_HIDDEN;
        if (shndx !== SHN_UNDEF && vers !== 0x8001) {
          const d = versions.defined.get(index);
          if (d && !d.base && d.name !== name) {
            version = d.name;
            versionKind = vers & VERSYM_HIDDEN ? 'hidden' : 'default';
            versionIndex = index;
          }
        }
        if (version === undefined) {
          const n = versions.needed.get(vers);
          if (n !== undefined) {
            version = n;
            versionKind = 'needed';
            versionIndex = vers;
          }
        }
      }
    }
    out[i] = {
      index: i,
      value,
      size: raw.sizeHi * TWO32 + raw.sizeLo,
      type: SYMBOL_TYPE_NAMES[raw.info & 0xf] as string,
      bind: SYMBOL_BIND_NAMES[raw.info >> 4] as string,
      visibility: SYMBOL_VISIBILITY_NAMES[raw.other & 3] as string,
      ndx: shndx === SHN_UNDEF ? 'UND' : shndx === SHN_ABS ? 'ABS' : shndx === SHN_COMMON ? 'COM' : shndx >= SHN_LORESERVE ? specialIndex(shndx) : shndx,
      name,
      version,
      versionKind,
      versionIndex,
    };
  }
  return out;
}

function specialIndex(shndx: number): string {
  const h = shndx.toString(16);
  if (shndx === 0xffff) return 'XIDX'; // SHN_XINDEX (the real index is in SHT_SYMTAB_SHNDX)
  if (shndx >= 0xff00 && shndx <= 0xff1f) return `PRC[0x${h}]`;
  if (shndx >= 0xff20 && shndx <= 0xff3f) return `OS [0x${h}]`;
  return `RSV[0x${h}]`;
}
