import { ElfError } from './errors';
import { StringTable } from './string-table';

export interface ElfSymbol {
  readonly index: number;
  readonly name: string;
  readonly value: bigint;
  readonly size: bigint;
  readonly type: number;
  readonly bind: number;
  readonly visibility: number;
  /** st_shndx: a section index, or SHN_UNDEF/SHN_ABS/SHN_COMMON/SHN_XINDEX. */
  readonly shndx: number;
}

/**
 * A symbol's fields as plain numbers, for scans over large tables that must not
 * allocate (no BigInt, no name). 64-bit fields are split into 32-bit halves.
 */
export interface RawSymbol {
  nameOffset: number;
  valueHi: number;
  valueLo: number;
  sizeHi: number;
  sizeLo: number;
  info: number;
  other: number;
  shndx: number;
}

export function newRawSymbol(): RawSymbol {
  return { nameOffset: 0, valueHi: 0, valueLo: 0, sizeHi: 0, sizeLo: 0, info: 0, other: 0, shndx: 0 };
}

export const SHN_UNDEF = 0;
export const SHN_ABS = 0xfff1;
export const SHN_COMMON = 0xfff2;

/** A symbol table read into memory; symbols are decoded only when asked for. */
export class SymbolTable {
  readonly count: number;
  private readonly view: DataView;

  constructor(
    readonly sectionName: string,
    private readonly bytes: Uint8Array,
    private readonly entsize: number,
    private readonly is64: boolean,
    private readonly littleEndian: boolean,
    private readonly strings: StringTable,
    fileOffset: number,
    /** SHT_DYNSYM: the table symbol versions belong to (found by type, as readelf does, not by name). */
    readonly dynamic = sectionName === '.dynsym',
  ) {
    const min = is64 ? 24 : 16;
    if (bytes.length > 0 && entsize < min) {
      throw new ElfError(fileOffset, `${sectionName}.sh_entsize`, `${entsize} is smaller than a symbol (${min})`);
    }
    this.count = entsize ? Math.floor(bytes.length / entsize) : 0;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  at(index: number): ElfSymbol {
    const v = this.view;
    const le = this.littleEndian;
    const at = index * this.entsize;
    let nameOffset: number, value: bigint, size: bigint, info: number, other: number, shndx: number;
    if (this.is64) {
      nameOffset = v.getUint32(at, le);
      info = v.getUint8(at + 4);
      other = v.getUint8(at + 5);
      shndx = v.getUint16(at + 6, le);
      value = v.getBigUint64(at + 8, le);
      size = v.getBigUint64(at + 16, le);
    } else {
      nameOffset = v.getUint32(at, le);
      value = BigInt(v.getUint32(at + 4, le));
      size = BigInt(v.getUint32(at + 8, le));
      info = v.getUint8(at + 12);
      other = v.getUint8(at + 13);
      shndx = v.getUint16(at + 14, le);
    }
    return {
      index,
      name: this.strings.at(nameOffset),
      value,
      size,
      type: info & 0xf,
      bind: info >> 4,
      visibility: other & 3,
      shndx,
    };
  }

  /** Decodes symbol `index` into `into` (reused by the caller) without allocating. */
  readRaw(index: number, into: RawSymbol): RawSymbol {
    const v = this.view;
    const le = this.littleEndian;
    const at = index * this.entsize;
    into.nameOffset = v.getUint32(at, le);
    if (this.is64) {
      into.info = v.getUint8(at + 4);
      into.other = v.getUint8(at + 5);
      into.shndx = v.getUint16(at + 6, le);
      const a = v.getUint32(at + 8, le);
      const b = v.getUint32(at + 12, le);
      const c = v.getUint32(at + 16, le);
      const d = v.getUint32(at + 20, le);
      if (le) {
        into.valueLo = a; into.valueHi = b; into.sizeLo = c; into.sizeHi = d;
      } else {
        into.valueHi = a; into.valueLo = b; into.sizeHi = c; into.sizeLo = d;
      }
    } else {
      into.valueHi = 0;
      into.valueLo = v.getUint32(at + 4, le);
      into.sizeHi = 0;
      into.sizeLo = v.getUint32(at + 8, le);
      into.info = v.getUint8(at + 12);
      into.other = v.getUint8(at + 13);
      into.shndx = v.getUint16(at + 14, le);
    }
    return into;
  }

  /** The name at `nameOffset` in this table's string table (see `readRaw`). */
  name(nameOffset: number): string {
    return this.strings.at(nameOffset);
  }

  *[Symbol.iterator](): IterableIterator<ElfSymbol> {
    for (let i = 0; i < this.count; i++) yield this.at(i);
  }
}
