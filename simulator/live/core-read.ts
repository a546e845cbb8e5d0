// readCore: a core file (ET_CORE) read through elf/ as the address space it was dumped from.
import { ByteView } from '../elf/byte-view';
import { ElfFile } from '../elf/elf-file';
import { ElfError } from '../elf/errors';
import { MemoryFileAccess, type FileAccess, type FileIdentity } from '../elf/file-access';
import { EM_386, EM_X86_64, ET_CORE, type ElfHeader } from '../elf/header';
import type { ElfNote } from '../elf/notes';
import type { CoreAddress, CoreDump, CoreProcessInfo, CoreRegion, CoreSignal, CoreThread } from './core-types';
import { readOnlyByContent } from './core-content-perms';
import { permsFromMappedFiles } from './core-file-perms';
import { nameRegions } from './core-names';
import {
  AT_SYSINFO_EHDR, auxvName, NT_AUXV, NT_FILE, NT_PRPSINFO, NT_PRSTATUS, NT_SIGINFO,
  parseAuxv, parseFileNote, parsePrpsinfo, parsePrstatus, parseSiginfo, pointerRegisters, type FileNote,
} from './core-notes';
import { detectProducer, mergeRegions, regionIndexOf, type RawRegion } from './core-regions';

export interface ReadCoreOptions {
  /**
   * Opens a file the process had mapped, by its NT_FILE path, or resolves undefined. With it,
   * the permissions gcore leaves out come from the file's program headers, and dev:inode from
   * its identity(); without it (the web) they are guessed and marked so, and 00:00 0.
   */
  readonly openMappedFile?: (path: string) => Promise<FileAccess | undefined>;
}

/** Whether an ELF header is a core file's. */
export function isCoreFile(header: ElfHeader): boolean {
  return header.type === ET_CORE;
}

const hex = (v: bigint) => `0x${v.toString(16)}`;

/** Reads a core file. Throws ElfError when it is not an x86-64 or i386 core or its headers are unreadable; a malformed note becomes a warning. */
export async function readCore(file: FileAccess, options: ReadCoreOptions = {}): Promise<CoreDump> {
  const elf = await ElfFile.open(file);
  const h = elf.header;
  if (h.type !== ET_CORE) throw new ElfError(16, 'e_type', `${h.type} is not ET_CORE (4): not a core file`);
  if (!(h.is64 && h.machine === EM_X86_64) && !(!h.is64 && h.machine === EM_386)) {
    throw new ElfError(18, 'e_machine', `a ${h.is64 ? '64' : '32'}-bit core of machine ${h.machine}: only x86-64 (62, ELFCLASS64) and i386 (3, ELFCLASS32) cores are read`);
  }
  const warnings: string[] = [];
  const notes: string[] = [];
  const coreNotes = await readCoreNotes(elf, warnings);
  const decode = <T>(note: ElfNote, what: string, parse: (v: ByteView) => T): T | undefined => {
    try {
      return parse(new ByteView(note.description, note.offset, h.littleEndian));
    } catch (error) {
      if (!(error instanceof ElfError)) throw error;
      warnings.push(`${what} at offset 0x${note.offset.toString(16)}: ${error.message}`);
      return undefined;
    }
  };
  const threads: CoreThread[] = [];
  let process: CoreProcessInfo | undefined;
  let signal: CoreSignal | undefined;
  let auxv = new Map<number, bigint>();
  let fileNote: FileNote = { pageSize: 4096n, entries: [] };
  for (const note of coreNotes) {
    if (note.owner !== 'CORE') continue;
    if (note.type === NT_PRSTATUS) {
      const t = decode(note, 'NT_PRSTATUS', (v) => parsePrstatus(v, h.is64));
      if (t) threads.push(t);
    } else if (note.type === NT_PRPSINFO && !process) process = decode(note, 'NT_PRPSINFO', (v) => parsePrpsinfo(v, h.is64));
    else if (note.type === NT_SIGINFO && !signal) signal = decode(note, 'NT_SIGINFO', (v) => parseSiginfo(v, h.is64));
    else if (note.type === NT_AUXV && !auxv.size) auxv = decode(note, 'NT_AUXV', (v) => parseAuxv(v, h.is64)) ?? auxv;
    else if (note.type === NT_FILE && !fileNote.entries.length) fileNote = decode(note, 'NT_FILE', (v) => parseFileNote(v, h.is64)) ?? fileNote;
  }
  let pageSize = fileNote.pageSize;
  if (pageSize < 1n || pageSize > 1n << 30n) {
    warnings.push(`NT_FILE page_size ${pageSize} is implausible; 4096 is used`);
    pageSize = 4096n;
  }
  const loads = elf.loadSegments;
  const producer = detectProducer(loads, fileNote.entries);
  const addressLimit = h.is64 ? 1n << 64n : 1n << 32n;
  const raw = mergeRegions(loads, fileNote.entries, pageSize, producer, addressLimit, warnings);
  const { ip, sp } = pointerRegisters(h.is64);
  const mainFirst = [...threads].sort((a, b) => Number(b.tid === process?.pid) - Number(a.tid === process?.pid));
  const stackPointers = mainFirst.map((t) => BigInt(t.registers[sp] ?? '0'));
  const kernelVersion = await vdsoKernelVersion(elf, raw, auxv.get(AT_SYSINFO_EHDR));
  const executable = nameRegions({ regions: raw, auxv, stackPointers, producer, is64: h.is64, notes, kernelVersion });
  // x86 pages are 4 KiB; gdb writes NT_FILE's page_size as 1 (offsets in bytes).
  if (producer !== 'kernel') {
    const readOnly = await readOnlyByContent(elf, raw);
    if (readOnly.length) notes.push(`r-- is inferred for ${readOnly.length} anonymous region${readOnly.length === 1 ? '' : 's'} that gcore marks neither writable nor executable but that hold data (a PROT_NONE guard is never written): ${readOnly.slice(0, 6).map((r) => `${r.start.toString(16)}-${r.end.toString(16)}`).join(' ')}`);
    await inferFilePerms(raw, options, 0x1000n, notes);
  }
  const identities = await identitiesOf(raw, options);
  notes.unshift(
    'a core does not record the p/s column: p is shown, s only for /dev/zero (deleted) and /SYSV… (shared memory by name)',
    identities.size
      ? 'a core does not record device and inode numbers: those of the files now at the mapped paths are shown (stat), 00:00 0 for files that are gone'
      : 'a core does not record device and inode numbers: 00:00 0 is shown',
  );
  if (!fileNote.entries.length && raw.length && producer === 'kernel') {
    // fill_files_note gives up past kernel.core_file_note_size_limit (4 MiB: about 65,000 files).
    notes.push('the core has no NT_FILE note (the kernel leaves it out when it would pass kernel.core_file_note_size_limit, 4 MiB by default): no region has a path or an offset');
  }
  const regions = raw.map((r) => toCoreRegion(r, r.path === undefined ? undefined : identities.get(r.path)));
  const locate = (address: bigint): CoreAddress => {
    const region = regionIndexOf(raw, address);
    return region === undefined ? { address: hex(address) } : { address: hex(address), region };
  };
  const rip = threads[0]?.registers[ip];
  return {
    machine: h.is64 ? 'x86-64' : 'i386',
    producer,
    regions,
    threads,
    ...(process ? { process } : {}),
    ...(signal ? { signal } : {}),
    auxv: Object.fromEntries([...auxv].map(([type, value]) => [auxvName(type), hex(value)])),
    ...(executable ? { executable } : {}),
    ...(rip !== undefined ? { crash: locate(BigInt(rip)) } : {}),
    ...(signal?.addr !== undefined ? { faultAddress: locate(BigInt(signal.addr)) } : {}),
    ...(kernelVersion !== undefined ? { kernelVersion: `${kernelVersion >> 16}.${(kernelVersion >> 8) & 0xff}.${kernelVersion & 0xff}` } : {}),
    pageSize: Number(pageSize),
    notes,
    warnings,
  };
}

/** The vDSO is an ELF file whose "Linux" note (type 0) holds LINUX_VERSION_CODE; read from its dumped bytes. */
async function vdsoKernelVersion(elf: ElfFile, raw: readonly RawRegion[], ehdr: bigint | undefined): Promise<number | undefined> {
  const i = ehdr === undefined ? undefined : regionIndexOf(raw, ehdr);
  const seg = i === undefined ? undefined : raw[i]?.segment;
  if (!seg || ehdr === undefined || seg.filesz < 64n || seg.filesz > 1n << 20n || ehdr - seg.vaddr >= seg.filesz) return undefined;
  try {
    const bytes = await elf.readRange(seg.offset + (ehdr - seg.vaddr), seg.filesz - (ehdr - seg.vaddr), 'the vDSO');
    const vdso = await ElfFile.open(new MemoryFileAccess('[vdso]', bytes));
    const note = (await vdso.notes()).flatMap((a) => a.notes).find((n) => n.owner === 'Linux' && n.type === 0 && n.description.length >= 4);
    return note ? new DataView(note.description.buffer, note.description.byteOffset, 4).getUint32(0, elf.header.littleEndian) : undefined;
  } catch {
    return undefined;
  }
}

/** The notes of every PT_NOTE segment; an unreadable segment is a warning. */
async function readCoreNotes(elf: ElfFile, warnings: string[]): Promise<ElfNote[]> {
  try {
    return (await elf.notes()).flatMap((area) => area.notes);
  } catch (error) {
    if (!(error instanceof ElfError)) throw error;
    warnings.push(`the notes could not be read: ${error.message}`);
    return [];
  }
}

async function inferFilePerms(raw: RawRegion[], options: ReadCoreOptions, pageSize: bigint, notes: string[]): Promise<void> {
  const fileRegions = raw.filter((r) => r.path && r.permsSource !== 'core').length;
  if (options.openMappedFile && fileRegions) {
    const { fromFile, files } = await permsFromMappedFiles(raw, options.openMappedFile, pageSize);
    if (fromFile) notes.push(`gcore sets PF_R on every segment and leaves out file mappings it did not dump: the permissions of ${fromFile} file region${fromFile === 1 ? '' : 's'} come from the program headers of the ${files} mapped ELF file${files === 1 ? '' : 's'} as they are now`);
  }
  const list = (rs: RawRegion[]) => `${rs.slice(0, 6).map((r) => `${r.start.toString(16)}-${r.end.toString(16)}`).join(' ')}${rs.length > 6 ? ' …' : ''}`;
  const assumedRead = raw.filter((r) => r.permsSource === 'core-guess' && r.rwx !== '---');
  const none = raw.filter((r) => r.permsSource === 'core-guess' && r.rwx === '---');
  const unknown = raw.filter((r) => r.permsSource === 'guess' && r.path);
  if (assumedRead.length) notes.push(`gcore sets PF_R on every segment it writes: r is assumed for ${assumedRead.length} of them`);
  if (none.length) notes.push(`--- is assumed for ${none.length} region${none.length === 1 ? '' : 's'} neither writable nor executable (guard pages, reservations; a read-only one would look the same in a gcore): ${list(none)}`);
  if (unknown.length) notes.push(`the permissions of ${unknown.length} file region${unknown.length === 1 ? '' : 's'} gcore did not dump are unknown (the file is gone or not an ELF file whose program headers match), r-- is shown: ${list(unknown)}`);
}

/** At most this many files are stat'ed for their device and inode numbers. */
const MAX_IDENTITIES = 512;

/** dev:inode of the files now at the regions' paths (not " (deleted)" ones), where openMappedFile finds them. */
async function identitiesOf(raw: readonly RawRegion[], options: ReadCoreOptions): Promise<Map<string, FileIdentity>> {
  const found = new Map<string, FileIdentity>();
  const open = options.openMappedFile;
  if (!open) return found;
  const paths = [...new Set(raw.map((r) => r.path).filter((p): p is string => p !== undefined && !p.endsWith(' (deleted)')))].slice(0, MAX_IDENTITIES);
  for (const path of paths) {
    const identity = await (await open(path).catch(() => undefined))?.identity().catch(() => undefined);
    if (identity) found.set(path, identity);
  }
  return found;
}

function toCoreRegion(r: RawRegion, identity: FileIdentity | undefined): CoreRegion {
  const path = r.path;
  const shared = path !== undefined && (path === '/dev/zero (deleted)' || path.startsWith('/SYSV'));
  const permsKnown = r.permsSource === 'core' || r.permsSource === 'core+file' || r.permsSource === 'file';
  return {
    start: hex(r.start),
    end: hex(r.end),
    perms: `${r.rwx}${shared ? 's' : 'p'}`,
    offset: hex(r.offset),
    ...(path !== undefined ? { path } : {}),
    ...(r.name !== undefined ? { name: r.name } : {}),
    permsSource: r.permsSource,
    dev: identity ? `${identity.major.toString(16).padStart(2, '0')}:${identity.minor.toString(16).padStart(2, '0')}` : '00:00',
    inode: identity?.inode ?? 0,
    known: { perms: permsKnown, private: shared, devInode: identity !== undefined, name: path !== undefined || r.nameKnown },
    dumpedBytes: Number(r.dumpedBytes),
    ...(r.segment ? { segment: r.segment.index } : {}),
  };
}
