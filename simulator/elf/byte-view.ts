import { ElfError } from './errors';

/**
 * Bounds-checked, endian-aware reads over a chunk of a file. Offsets are
 * relative to the chunk; errors report absolute file offsets.
 */
export class ByteView {
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    readonly fileOffset: number,
    readonly littleEndian: boolean,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  private check(at: number, width: number, field: string): void {
    if (at < 0 || at + width > this.bytes.length) {
      throw new ElfError(this.fileOffset + at, field, `needs ${width} bytes but the data ends at offset 0x${(this.fileOffset + this.bytes.length).toString(16)}`);
    }
  }

  u8(at: number, field: string): number {
    this.check(at, 1, field);
    return this.bytes[at] as number;
  }

  u16(at: number, field: string): number {
    this.check(at, 2, field);
    return this.view.getUint16(at, this.littleEndian);
  }

  u32(at: number, field: string): number {
    this.check(at, 4, field);
    return this.view.getUint32(at, this.littleEndian);
  }

  i32(at: number, field: string): number {
    this.check(at, 4, field);
    return this.view.getInt32(at, this.littleEndian);
  }

  u64(at: number, field: string): bigint {
    this.check(at, 8, field);
    return this.view.getBigUint64(at, this.littleEndian);
  }

  i64(at: number, field: string): bigint {
    this.check(at, 8, field);
    return this.view.getBigInt64(at, this.littleEndian);
  }

  /** A word of the file's class: 4 bytes for ELF32, 8 for ELF64. */
  word(at: number, is64: boolean, field: string): bigint {
    return is64 ? this.u64(at, field) : BigInt(this.u32(at, field));
  }

  /** Unchecked fast reads for hot loops whose bounds were checked once. */
  raw(): DataView {
    return this.view;
  }
}
