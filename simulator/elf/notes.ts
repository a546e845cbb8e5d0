import { ByteView } from './byte-view';

export const NT_GNU_ABI_TAG = 1;
export const NT_GNU_HWCAP = 2;
export const NT_GNU_BUILD_ID = 3;
export const NT_GNU_GOLD_VERSION = 4;
export const NT_GNU_PROPERTY_TYPE_0 = 5;

export interface ElfNote {
  readonly owner: string;
  readonly type: number;
  readonly description: Uint8Array;
  /** Offset of the note header in the file. */
  readonly offset: number;
  /** What the note means, in readelf's words, when it is a known one. */
  readonly summary: string;
  readonly typeName: string;
}

const ascii = new TextDecoder('latin1');

/** Parses a note area (a PT_NOTE segment or SHT_NOTE section). Stops at the first malformed entry. */
export function parseNotes(view: ByteView, align: number, is64: boolean, machine: number): ElfNote[] {
  const notes: ElfNote[] = [];
  const pad = align === 8 ? 8 : 4;
  const up = (n: number) => Math.ceil(n / pad) * pad;
  let at = 0;
  while (at + 12 <= view.length) {
    const namesz = view.u32(at, 'n_namesz');
    const descsz = view.u32(at + 4, 'n_descsz');
    const type = view.u32(at + 8, 'n_type');
    const nameAt = at + 12;
    // binutils ELF_NOTE_DESC_OFFSET: the descriptor is aligned from the note header.
    const descAt = at + up(12 + namesz);
    if (namesz > view.length || descsz > view.length || descAt + descsz > view.length) break;
    const nameBytes = view.bytes.subarray(nameAt, nameAt + namesz);
    const nul = nameBytes.indexOf(0);
    const owner = ascii.decode(nul >= 0 ? nameBytes.subarray(0, nul) : nameBytes);
    const description = view.bytes.subarray(descAt, descAt + descsz);
    const { typeName, summary } = describeNote(owner, type, new ByteView(description, view.fileOffset + descAt, view.littleEndian), is64, machine);
    notes.push({ owner, type, description, offset: view.fileOffset + at, typeName, summary });
    at = descAt + up(descsz);
  }
  return notes;
}

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

const ABI_OS = ['Linux', 'Hurd', 'Solaris', 'FreeBSD', 'NetBSD', 'Syllable', 'NaCl'];

function describeNote(owner: string, type: number, desc: ByteView, is64: boolean, machine: number): { typeName: string; summary: string } {
  if (owner === 'GNU') {
    switch (type) {
      case NT_GNU_BUILD_ID:
        return { typeName: 'NT_GNU_BUILD_ID (unique build ID bitstring)', summary: `Build ID: ${hex(desc.bytes)}` };
      case NT_GNU_ABI_TAG: {
        if (desc.length < 16) return { typeName: 'NT_GNU_ABI_TAG (ABI version tag)', summary: '<corrupt GNU_ABI_TAG>' };
        const os = desc.u32(0, 'abi os');
        const v = [desc.u32(4, 'abi major'), desc.u32(8, 'abi minor'), desc.u32(12, 'abi patch')];
        return { typeName: 'NT_GNU_ABI_TAG (ABI version tag)', summary: `OS: ${ABI_OS[os] ?? `Unknown (${os})`}, ABI: ${v.join('.')}` };
      }
      case NT_GNU_PROPERTY_TYPE_0:
        return { typeName: 'NT_GNU_PROPERTY_TYPE_0', summary: describeGnuProperties(desc, is64, machine) };
      case NT_GNU_GOLD_VERSION:
        return { typeName: 'NT_GNU_GOLD_VERSION (gold version)', summary: `Version: ${ascii.decode(desc.bytes).replace(/\0+$/, '')}` };
      case NT_GNU_HWCAP:
        return { typeName: 'NT_GNU_HWCAP (DSO-supplied software HWCAP info)', summary: '' };
    }
  }
  const core = describeCoreNote(owner, type, desc, is64);
  if (core) return core;
  if (owner === 'stapsdt' && type === 3) return { typeName: 'NT_STAPSDT (SystemTap probe descriptors)', summary: '' };
  if (owner === 'FDO' && type === 0xcafe1a7e) return { typeName: 'FDO_PACKAGING_METADATA', summary: `Packaging Metadata: ${ascii.decode(desc.bytes).replace(/\0+$/, '')}` };
  return { typeName: `Unknown note type: (0x${type.toString(16).padStart(8, '0')})`, summary: desc.length ? `description data: ${hex(desc.bytes.subarray(0, 64)).replace(/(..)/g, '$1 ').trim()}` : '' };
}

/** Core-file notes (include/uapi/linux/elf.h), with readelf's names. */
const CORE_NOTES: Readonly<Record<number, string>> = {
  1: 'NT_PRSTATUS (prstatus structure)', 2: 'NT_FPREGSET (floating point registers)', 3: 'NT_PRPSINFO (prpsinfo structure)',
  4: 'NT_TASKSTRUCT (task structure)', 6: 'NT_AUXV (auxiliary vector)', 0x53494749: 'NT_SIGINFO (siginfo_t data)', 0x46494c45: 'NT_FILE (mapped files)',
};
const LINUX_NOTES: Readonly<Record<number, string>> = {
  0x46e62b7f: 'NT_PRXFPREG (user_xfpregs structure)', 0x202: 'NT_X86_XSTATE (x86 XSAVE extended state)', 0x204: 'NT_X86_SHSTK (x86 SHSTK state)', 0x205: 'NT_X86_XSAVE_LAYOUT (x86 XSAVE layout)',
};

function describeCoreNote(owner: string, type: number, desc: ByteView, is64: boolean): { typeName: string; summary: string } | undefined {
  const typeName = owner === 'CORE' ? CORE_NOTES[type] : owner === 'LINUX' ? LINUX_NOTES[type] : owner === 'GDB' && type === 0xff000000 ? 'NT_GDB_TDESC (GDB XML target description)' : undefined;
  if (!typeName) return undefined;
  return { typeName, summary: owner === 'CORE' && type === 0x46494c45 ? describeFileNote(desc, is64) : '' };
}

/** NT_FILE as readelf prints it: the page size, then each range and its path. */
function describeFileNote(desc: ByteView, is64: boolean): string {
  const w = is64 ? 8 : 4;
  const digits = 2 * w;
  if (desc.length < 2 * w) return '    Malformed note - too short for header';
  const count = desc.word(0, is64, 'NT_FILE count');
  if (BigInt(2 * w) + count * BigInt(3 * w) > BigInt(desc.length)) return '    Malformed note - too short for supplied file count';
  const lines = [`Page size: ${desc.word(w, is64, 'NT_FILE page_size')}`, `    ${'Start'.padStart(digits + 2)}  ${'End'.padStart(digits + 2)}  ${'Page Offset'.padStart(digits + 2)}`];
  let name = 2 * w + Number(count) * 3 * w;
  for (let i = 0; i < Number(count); i++) {
    const at = 2 * w + i * 3 * w;
    const words = [0, 1, 2].map((k) => `0x${desc.word(at + k * w, is64, 'NT_FILE entry').toString(16).padStart(digits, '0')}`);
    const nul = desc.bytes.indexOf(0, name);
    if (nul < 0) return `${lines.join('\n')}\n    Malformed note - filenames end too early`;
    lines.push(`    ${words.join('  ')}`, `        ${ascii.decode(desc.bytes.subarray(name, nul))}`);
    name = nul + 1;
  }
  return lines.join('\n');
}

const GNU_PROPERTY_X86_ISA_1_NEEDED = 0xc0008002;
const GNU_PROPERTY_X86_FEATURE_1_AND = 0xc0000002;
const GNU_PROPERTY_X86_ISA_1_USED = 0xc0010002;
const GNU_PROPERTY_X86_FEATURE_2_USED = 0xc0010001;
const GNU_PROPERTY_STACK_SIZE = 1;
const GNU_PROPERTY_NO_COPY_ON_PROTECTED = 2;
const GNU_PROPERTY_AARCH64_FEATURE_1_AND = 0xc0000000;

const X86_FEATURE_1 = ['IBT', 'SHSTK', 'LAM_U48', 'LAM_U57'];
const X86_ISA = ['x86-64-baseline', 'x86-64-v2', 'x86-64-v3', 'x86-64-v4'];
const X86_FEATURE_2 = ['x86', 'x87', 'MMX', 'XMM', 'YMM', 'ZMM', 'FXSR', 'XSAVE', 'XSAVEOPT', 'XSAVEC', 'TMM', 'MASK'];
const AARCH64_FEATURE_1 = ['BTI', 'PAC', 'GCS'];

function bitNames(value: number, names: readonly string[]): string {
  const out: string[] = [];
  for (let i = 0; i < 32; i++) {
    if (value & (1 << i)) out.push(names[i] ?? `<unknown: ${(1 << i) >>> 0}>`);
  }
  return out.length ? out.join(', ') : '<None>';
}

/** Decodes the properties of an NT_GNU_PROPERTY_TYPE_0 note, one per line. */
function describeGnuProperties(desc: ByteView, is64: boolean, machine: number): string {
  const lines: string[] = [];
  const align = is64 ? 8 : 4;
  let at = 0;
  while (at + 8 <= desc.length) {
    const type = desc.u32(at, 'pr_type');
    const size = desc.u32(at + 4, 'pr_datasz');
    if (at + 8 + size > desc.length) {
      lines.push(`<corrupt length: 0x${size.toString(16)}>`);
      break;
    }
    const value = size >= 4 ? desc.u32(at + 8, 'pr_data') : 0;
    if (type === GNU_PROPERTY_X86_FEATURE_1_AND && machine !== 183) lines.push(`x86 feature: ${bitNames(value, X86_FEATURE_1)}`);
    else if (type === GNU_PROPERTY_X86_ISA_1_NEEDED) lines.push(`x86 ISA needed: ${bitNames(value, X86_ISA)}`);
    else if (type === GNU_PROPERTY_X86_ISA_1_USED) lines.push(`x86 ISA used: ${bitNames(value, X86_ISA)}`);
    else if (type === GNU_PROPERTY_X86_FEATURE_2_USED) lines.push(`x86 feature used: ${bitNames(value, X86_FEATURE_2)}`);
    else if (type === GNU_PROPERTY_AARCH64_FEATURE_1_AND && machine === 183) lines.push(`AArch64 feature: ${bitNames(value, AARCH64_FEATURE_1)}`);
    else if (type === GNU_PROPERTY_STACK_SIZE) lines.push(`stack size: 0x${(size >= 8 && is64 ? desc.u64(at + 8, 'pr_data') : BigInt(value)).toString(16)}`);
    else if (type === GNU_PROPERTY_NO_COPY_ON_PROTECTED) lines.push('no copy on protected');
    else if (type === 0xc0008001 || type === 0xc0000001) lines.push(type === 0xc0008001 ? 'x86 feature used: <None>' : 'x86 ISA: <None>');
    else lines.push(`<unknown type 0x${type.toString(16)} data size 0x${size.toString(16)}>`);
    at += 8 + Math.ceil(size / align) * align;
  }
  return lines.join('\n');
}
