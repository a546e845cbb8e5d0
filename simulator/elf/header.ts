import { ByteView } from './byte-view';
import { ElfError } from './errors';

export const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46] as const;
export const EI_NIDENT = 16;

export const ET_REL = 1;
export const ET_EXEC = 2;
export const ET_DYN = 3;
export const ET_CORE = 4;
export const EM_386 = 3;
export const EM_X86_64 = 62;

export interface ElfHeader {
  readonly ident: Uint8Array;
  readonly is64: boolean;
  readonly littleEndian: boolean;
  readonly identVersion: number;
  readonly osabi: number;
  readonly abiVersion: number;
  readonly type: number;
  readonly machine: number;
  readonly version: number;
  readonly entry: bigint;
  readonly phoff: bigint;
  readonly shoff: bigint;
  readonly flags: number;
  readonly ehsize: number;
  readonly phentsize: number;
  /** e_phnum as stored (PN_XNUM means "see section 0"). */
  readonly phnumRaw: number;
  readonly shentsize: number;
  readonly shnumRaw: number;
  readonly shstrndxRaw: number;
}

export function hasElfMagic(bytes: Uint8Array): boolean {
  return ELF_MAGIC.every((b, i) => bytes[i] === b);
}

/** Parses the file header from the first bytes of a file (at least 64 or the whole file). */
export function parseElfHeader(bytes: Uint8Array): ElfHeader {
  if (bytes.length < EI_NIDENT) {
    throw new ElfError(0, 'e_ident', `file is ${bytes.length} bytes, too short for an ELF identification (16)`);
  }
  if (!hasElfMagic(bytes)) {
    throw new ElfError(0, 'e_ident[EI_MAG]', 'not an ELF file (no \\x7fELF magic)');
  }
  const cls = bytes[4];
  if (cls !== 1 && cls !== 2) throw new ElfError(4, 'e_ident[EI_CLASS]', `invalid class ${cls}`);
  const data = bytes[5];
  if (data !== 1 && data !== 2) throw new ElfError(5, 'e_ident[EI_DATA]', `invalid data encoding ${data}`);
  const is64 = cls === 2;
  const headerSize = is64 ? 64 : 52;
  if (bytes.length < headerSize) {
    throw new ElfError(bytes.length, 'Elf_Ehdr', `file ends before the ${headerSize}-byte header`);
  }
  const v = new ByteView(bytes.subarray(0, headerSize), 0, data === 1);
  const w = is64 ? 8 : 4;
  const entryAt = 24;
  const phoffAt = entryAt + w;
  const shoffAt = phoffAt + w;
  const flagsAt = shoffAt + w;
  return {
    ident: bytes.slice(0, EI_NIDENT),
    is64,
    littleEndian: data === 1,
    identVersion: bytes[6] as number,
    osabi: bytes[7] as number,
    abiVersion: bytes[8] as number,
    type: v.u16(16, 'e_type'),
    machine: v.u16(18, 'e_machine'),
    version: v.u32(20, 'e_version'),
    entry: v.word(entryAt, is64, 'e_entry'),
    phoff: v.word(phoffAt, is64, 'e_phoff'),
    shoff: v.word(shoffAt, is64, 'e_shoff'),
    flags: v.u32(flagsAt, 'e_flags'),
    ehsize: v.u16(flagsAt + 4, 'e_ehsize'),
    phentsize: v.u16(flagsAt + 6, 'e_phentsize'),
    phnumRaw: v.u16(flagsAt + 8, 'e_phnum'),
    shentsize: v.u16(flagsAt + 10, 'e_shentsize'),
    shnumRaw: v.u16(flagsAt + 12, 'e_shnum'),
    shstrndxRaw: v.u16(flagsAt + 14, 'e_shstrndx'),
  };
}
