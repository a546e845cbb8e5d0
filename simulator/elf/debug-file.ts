// Separate debug files (objcopy --only-keep-debug, the *.debug files of /usr/lib/debug): what marks
// one, its build ID, and where the binary it belongs to may be (GDB's "Separate Debug Files" layouts).
import type { ElfFile } from './elf-file';
import { SHT_NOBITS } from './names';
import { NT_GNU_BUILD_ID } from './notes';

const SHF_ALLOC = 0x2n;
const DEBUG_ROOT = '/usr/lib/debug';

export interface DebugFileInfo {
  /** NT_GNU_BUILD_ID as lowercase hex, when the file has one. */
  readonly buildId?: string;
}

/** The build ID (NT_GNU_BUILD_ID) of an ELF file, as lowercase hex; undefined without one or when its notes cannot be read. */
export async function buildIdOf(elf: ElfFile): Promise<string | undefined> {
  const areas = await elf.notes().catch(() => []);
  for (const area of areas) {
    const note = area.notes.find((n) => n.owner === 'GNU' && n.type === NT_GNU_BUILD_ID);
    if (note) return [...note.description].map((b) => b.toString(16).padStart(2, '0')).join('');
  }
  return undefined;
}

/**
 * Whether `elf` is a separate debug file, as objcopy --only-keep-debug leaves one: its .text is NOBITS
 * (no other file has that), or, without a .text, it keeps symbols or DWARF while every allocated
 * section but the notes is NOBITS.
 */
export async function separateDebugFile(elf: ElfFile): Promise<DebugFileInfo | undefined> {
  const sections = await elf.sections().catch(() => []);
  const text = sections.find((s) => s.name === '.text');
  const allocated = sections.filter((s) => (s.flags & SHF_ALLOC) !== 0n && !s.name.startsWith('.note'));
  const keepsSymbols = sections.some((s) => s.name === '.symtab' || s.name.startsWith('.debug_') || s.name.startsWith('.zdebug_'));
  const stripped = text ? text.type === SHT_NOBITS : keepsSymbols && allocated.length > 0 && allocated.every((s) => s.type === SHT_NOBITS);
  if (!stripped) return undefined;
  const buildId = await buildIdOf(elf);
  return buildId ? { buildId } : {};
}

/**
 * Where the binary a debug file at `path` belongs to may be, most likely first: beside it without
 * `.debug`; under the by-path tree (/usr/lib/debug/usr/bin/ls.debug → /usr/bin/ls); the by-build-ID
 * link without `.debug` (/usr/lib/debug/.build-id/ab/cdef… → the binary, where a distribution makes it).
 * Paths are absolute and POSIX, inside the sysroot the caller opens them in.
 */
export function binaryCandidates(path: string, buildId?: string): string[] {
  const out: string[] = [];
  const bare = path.endsWith('.debug') ? path.slice(0, -'.debug'.length) : undefined;
  if (bare && !bare.includes(`${DEBUG_ROOT}/.build-id/`)) {
    if (bare.startsWith(`${DEBUG_ROOT}/`)) out.push(bare.slice(DEBUG_ROOT.length));
    out.push(bare);
  }
  if (buildId && buildId.length > 2) out.push(`${DEBUG_ROOT}/.build-id/${buildId.slice(0, 2)}/${buildId.slice(2)}`);
  return [...new Set(out)].filter((p) => p !== path);
}

/** An ELF file opened for a look, and how to close it. */
export interface OpenedElf {
  readonly elf: ElfFile | undefined;
  dispose(): void;
}

/**
 * The binary a debug file at `path` belongs to: the first candidate that opens as ELF, is not a debug
 * file itself, and has the same build ID (without one, the first at a conventional place).
 */
export async function findBinaryOf(path: string, info: DebugFileInfo, open: (path: string) => Promise<OpenedElf | undefined>): Promise<string | undefined> {
  for (const candidate of binaryCandidates(path, info.buildId)) {
    const opened = await open(candidate).catch(() => undefined);
    if (!opened) continue;
    try {
      const elf = opened.elf;
      if (elf && !(await separateDebugFile(elf)) && (!info.buildId || (await buildIdOf(elf)) === info.buildId)) return candidate;
    } finally {
      opened.dispose();
    }
  }
  return undefined;
}
