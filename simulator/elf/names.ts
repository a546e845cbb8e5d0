/** Human names for ELF enumerations, as readelf prints them. */

export const ELF_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'NONE (None)',
  1: 'REL (Relocatable file)',
  2: 'EXEC (Executable file)',
  3: 'DYN (Position-Independent Executable file)',
  4: 'CORE (Core file)',
};

export const MACHINE_NAMES: Readonly<Record<number, string>> = {
  0: 'None',
  2: 'Sparc',
  3: 'Intel 80386',
  4: 'MC68000',
  8: 'MIPS R3000',
  18: 'Sparc v8+',
  20: 'PowerPC',
  21: 'PowerPC64',
  22: 'IBM S/390',
  40: 'ARM',
  42: 'Renesas / SuperH SH',
  43: 'Sparc v9',
  50: 'Intel IA-64',
  62: 'Advanced Micro Devices X86-64',
  183: 'AArch64',
  243: 'RISC-V',
  247: 'Linux BPF',
  258: 'LoongArch',
};

export const OSABI_NAMES: Readonly<Record<number, string>> = {
  0: 'UNIX - System V',
  1: 'UNIX - HP-UX',
  2: 'UNIX - NetBSD',
  3: 'UNIX - GNU',
  6: 'UNIX - Solaris',
  9: 'UNIX - FreeBSD',
  12: 'UNIX - OpenBSD',
  97: 'ARM',
  255: 'Standalone App',
};

export const PT_LOAD = 1;
export const PT_DYNAMIC = 2;
export const PT_INTERP = 3;
export const PT_NOTE = 4;
export const PT_PHDR = 6;
export const PT_TLS = 7;
export const PT_GNU_EH_FRAME = 0x6474e550;
export const PT_GNU_STACK = 0x6474e551;
export const PT_GNU_RELRO = 0x6474e552;
export const PT_GNU_PROPERTY = 0x6474e553;

export const SEGMENT_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'NULL',
  [PT_LOAD]: 'LOAD',
  [PT_DYNAMIC]: 'DYNAMIC',
  [PT_INTERP]: 'INTERP',
  [PT_NOTE]: 'NOTE',
  5: 'SHLIB',
  [PT_PHDR]: 'PHDR',
  [PT_TLS]: 'TLS',
  [PT_GNU_EH_FRAME]: 'GNU_EH_FRAME',
  [PT_GNU_STACK]: 'GNU_STACK',
  [PT_GNU_RELRO]: 'GNU_RELRO',
  [PT_GNU_PROPERTY]: 'GNU_PROPERTY',
  0x6474e554: 'GNU_SFRAME',
  0x70000000: 'LOPROC+0x0',
  0x70000001: 'ARM_EXIDX',
  0x70000003: 'RISCV_ATTRIBUTES',
};

export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_DYNAMIC = 6;
export const SHT_NOTE = 7;
export const SHT_NOBITS = 8;
export const SHT_DYNSYM = 11;

export const SECTION_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'NULL',
  1: 'PROGBITS',
  [SHT_SYMTAB]: 'SYMTAB',
  [SHT_STRTAB]: 'STRTAB',
  4: 'RELA',
  5: 'HASH',
  [SHT_DYNAMIC]: 'DYNAMIC',
  [SHT_NOTE]: 'NOTE',
  [SHT_NOBITS]: 'NOBITS',
  9: 'REL',
  10: 'SHLIB',
  [SHT_DYNSYM]: 'DYNSYM',
  14: 'INIT_ARRAY',
  15: 'FINI_ARRAY',
  16: 'PREINIT_ARRAY',
  17: 'GROUP',
  18: 'SYMTAB SECTION INDICES',
  19: 'RELR',
  0x6ffffff5: 'GNU_ATTRIBUTES',
  0x6ffffff6: 'GNU_HASH',
  0x6ffffff7: 'GNU_LIBLIST',
  0x6ffffffd: 'VERDEF',
  0x6ffffffe: 'VERNEED',
  0x6fffffff: 'VERSYM',
  0x6fff4c00: 'LLVM_ODRTAB',
  0x70000001: 'X86_64_UNWIND',
  0x70000003: 'ARM_ATTRIBUTES',
};

export const SYMBOL_TYPE_NAMES: readonly string[] = [
  'NOTYPE', 'OBJECT', 'FUNC', 'SECTION', 'FILE', 'COMMON', 'TLS', '<unknown>: 7',
  '<unknown>: 8', '<unknown>: 9', 'IFUNC', '<OS specific>: 11', '<OS specific>: 12',
  '<processor specific>: 13', '<processor specific>: 14', '<processor specific>: 15',
];

export const SYMBOL_BIND_NAMES: readonly string[] = [
  'LOCAL', 'GLOBAL', 'WEAK', '<unknown>: 3', '<unknown>: 4', '<unknown>: 5', '<unknown>: 6',
  '<unknown>: 7', '<unknown>: 8', '<unknown>: 9', 'UNIQUE', '<OS specific>: 11',
  '<OS specific>: 12', '<processor specific>: 13', '<processor specific>: 14',
  '<processor specific>: 15',
];

export const SYMBOL_VISIBILITY_NAMES: readonly string[] = ['DEFAULT', 'INTERNAL', 'HIDDEN', 'PROTECTED'];

export const DT_NULL = 0;
export const DT_NEEDED = 1;
export const DT_STRTAB = 5;
export const DT_STRSZ = 10;
export const DT_SONAME = 14;
export const DT_RPATH = 15;
export const DT_RUNPATH = 29;
export const DT_FLAGS = 30;
export const DT_FLAGS_1 = 0x6ffffffb;

export const DYNAMIC_TAG_NAMES: Readonly<Record<number, string>> = {
  0: 'NULL', 1: 'NEEDED', 2: 'PLTRELSZ', 3: 'PLTGOT', 4: 'HASH', 5: 'STRTAB', 6: 'SYMTAB',
  7: 'RELA', 8: 'RELASZ', 9: 'RELAENT', 10: 'STRSZ', 11: 'SYMENT', 12: 'INIT', 13: 'FINI',
  14: 'SONAME', 15: 'RPATH', 16: 'SYMBOLIC', 17: 'REL', 18: 'RELSZ', 19: 'RELENT',
  20: 'PLTREL', 21: 'DEBUG', 22: 'TEXTREL', 23: 'JMPREL', 24: 'BIND_NOW', 25: 'INIT_ARRAY',
  26: 'FINI_ARRAY', 27: 'INIT_ARRAYSZ', 28: 'FINI_ARRAYSZ', 29: 'RUNPATH', 30: 'FLAGS',
  32: 'PREINIT_ARRAY', 33: 'PREINIT_ARRAYSZ', 34: 'SYMTAB_SHNDX', 35: 'RELRSZ', 36: 'RELR',
  37: 'RELRENT',
  0x6ffffef5: 'GNU_HASH', 0x6ffffef6: 'TLSDESC_PLT', 0x6ffffef7: 'TLSDESC_GOT',
  0x6ffffff0: 'VERSYM', 0x6ffffff9: 'RELACOUNT', 0x6ffffffa: 'RELCOUNT',
  [DT_FLAGS_1]: 'FLAGS_1', 0x6ffffffc: 'VERDEF', 0x6ffffffd: 'VERDEFNUM',
  0x6ffffffe: 'VERNEED', 0x6fffffff: 'VERNEEDNUM', 0x7ffffffd: 'AUXILIARY',
  0x7fffffff: 'FILTER',
};

export const DT_FLAGS_NAMES: ReadonlyArray<readonly [bigint, string]> = [
  [0x1n, 'ORIGIN'], [0x2n, 'SYMBOLIC'], [0x4n, 'TEXTREL'], [0x8n, 'BIND_NOW'], [0x10n, 'STATIC_TLS'],
];

export const DT_FLAGS_1_NAMES: ReadonlyArray<readonly [bigint, string]> = [
  [0x1n, 'NOW'], [0x2n, 'GLOBAL'], [0x4n, 'GROUP'], [0x8n, 'NODELETE'], [0x10n, 'LOADFLTR'],
  [0x20n, 'INITFIRST'], [0x40n, 'NOOPEN'], [0x80n, 'ORIGIN'], [0x100n, 'DIRECT'],
  [0x200n, 'TRANS'], [0x400n, 'INTERPOSE'], [0x800n, 'NODEFLIB'], [0x1000n, 'NODUMP'],
  [0x2000n, 'CONFALT'], [0x4000n, 'ENDFILTEE'], [0x8000n, 'DISPRELDNE'], [0x10000n, 'DISPRELPND'],
  [0x20000n, 'NODIRECT'], [0x40000n, 'IGNMULDEF'], [0x80000n, 'NOKSYMS'], [0x100000n, 'NOHDR'],
  [0x200000n, 'EDITED'], [0x400000n, 'NORELOC'], [0x800000n, 'SYMINTPOSE'],
  [0x1000000n, 'GLOBAUDIT'], [0x2000000n, 'SINGLETON'], [0x4000000n, 'STUB'], [0x8000000n, 'PIE'],
];

/** Names of a bit set, lowest bit first; unknown bits shown in hex. */
export function flagNames(value: bigint, table: ReadonlyArray<readonly [bigint, string]>): string[] {
  const names: string[] = [];
  let rest = value;
  for (const [bit, name] of table) {
    if (value & bit) {
      names.push(name);
      rest &= ~bit;
    }
  }
  if (rest) names.push(`0x${rest.toString(16)}`);
  return names;
}

/** The name of an enumerated value, or a readelf-style fallback. */
export function nameOf(table: Readonly<Record<number, string>>, value: number): string {
  return table[value] ?? `<unknown>: 0x${value.toString(16)}`;
}
