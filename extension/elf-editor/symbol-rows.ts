import { hex64 } from '../../simulator/elf/describe-symbols';
import { SYMBOL_BIND_NAMES, SYMBOL_TYPE_NAMES, SYMBOL_VISIBILITY_NAMES } from '../../simulator/elf/names';
import { newRawSymbol, SHN_ABS, SHN_COMMON, SHN_UNDEF, type SymbolTable } from '../../simulator/elf/symbols';
import type { SymbolRow } from '../../webview/view-models';

const SHN_LORESERVE = 0xff00;
const raw = newRawSymbol();

function sectionIndex(shndx: number): string | number {
  if (shndx === SHN_UNDEF) return 'UND';
  if (shndx === SHN_ABS) return 'ABS';
  if (shndx === SHN_COMMON) return 'COM';
  return shndx >= SHN_LORESERVE ? `0x${shndx.toString(16)}` : shndx;
}

/** Symbol `index` of `table` as a row of the view (readelf's columns). */
export function symbolRow(table: SymbolTable, index: number): SymbolRow {
  table.readRaw(index, raw);
  return {
    index,
    value: hex64(raw.valueHi, raw.valueLo),
    size: hex64(raw.sizeHi, raw.sizeLo),
    type: SYMBOL_TYPE_NAMES[raw.info & 0xf] ?? String(raw.info & 0xf),
    bind: SYMBOL_BIND_NAMES[raw.info >> 4] ?? String(raw.info >> 4),
    visibility: SYMBOL_VISIBILITY_NAMES[raw.other & 3] ?? String(raw.other & 3),
    ndx: sectionIndex(raw.shndx),
    name: table.name(raw.nameOffset),
  };
}

/** The name of symbol `index`. */
export function symbolName(table: SymbolTable, index: number): string {
  return table.name(table.readRaw(index, raw).nameOffset);
}

/** Whether symbol `index` is defined and its value lies in [start, end), compared as 32-bit halves (no BigInt per symbol). */
export function symbolInRange(table: SymbolTable, index: number, range: AddressRange): boolean {
  table.readRaw(index, raw);
  if (raw.shndx === SHN_UNDEF) return false;
  const { valueHi: hi, valueLo: lo } = raw;
  const atOrAfterStart = hi > range.startHi || (hi === range.startHi && lo >= range.startLo);
  const beforeEnd = hi < range.endHi || (hi === range.endHi && lo < range.endLo);
  return atOrAfterStart && beforeEnd;
}

export interface AddressRange {
  readonly startHi: number;
  readonly startLo: number;
  readonly endHi: number;
  readonly endLo: number;
}

export function addressRange(start: string, end: string): AddressRange {
  const s = BigInt(start);
  const e = BigInt(end);
  return { startHi: Number(s >> 32n), startLo: Number(s & 0xffffffffn), endHi: Number(e >> 32n), endLo: Number(e & 0xffffffffn) };
}
