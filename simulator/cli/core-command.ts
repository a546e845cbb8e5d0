// `asx maps CORE` and the core summary of `asx elf CORE`.
import { ElfError } from '../elf/errors';
import { ET_CORE, hasElfMagic } from '../elf/header';
import { readCore, renderCoreMaps, type CoreDump } from '../live/core';

export { coreSummaryText } from '../live/core-text';
import { lastOption, UsageError, type ParsedArguments } from './arguments';
import type { Output } from './main';
import { mappedFileOpener, NodeFileAccess } from './node-file-access';

const COMPRESSED: readonly [string, readonly number[]][] = [['zstd', [0x28, 0xb5, 0x2f, 0xfd]], ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]], ['lz4', [0x04, 0x22, 0x4d, 0x18]], ['gzip', [0x1f, 0x8b]]];

/** The compression a file's first bytes announce (how systemd-coredump and others store cores), or undefined. */
function compression(head: Uint8Array): string | undefined {
  return COMPRESSED.find(([, magic]) => magic.every((b, i) => head[i] === b))?.[0];
}

/** Whether PATH is an ELF file whose e_type is ET_CORE (false when it cannot be read: the caller reports that); throws for a compressed core. */
export async function isCoreFilePath(path: string): Promise<boolean> {
  let file: NodeFileAccess;
  try {
    file = NodeFileAccess.open(path);
  } catch {
    return false;
  }
  if (file.size < 18) return false;
  const head = await file.read(0, 18);
  const compressed = compression(head);
  if (compressed) throw new Error(`${path}: a ${compressed}-compressed file, not an ELF file (systemd-coredump stores cores so): decompress it first (coredumpctl dump PID > core, or ${compressed === 'zstd' ? 'unzstd' : compressed === 'xz' ? 'unxz' : compressed === 'lz4' ? 'unlz4' : 'gunzip'})`);
  if (!hasElfMagic(head)) return false;
  const type = head[5] === 2 ? ((head[16] as number) << 8) | (head[17] as number) : (head[16] as number) | ((head[17] as number) << 8);
  return type === ET_CORE;
}

/** Reads a core, with the mapped files looked up under `sysroot` for the permissions gcore leaves out. */
export async function readCoreFile(path: string, sysroot = '/'): Promise<CoreDump> {
  const openMappedFile = mappedFileOpener(sysroot);
  try {
    return await readCore(NodeFileAccess.open(path), { openMappedFile });
  } catch (error) {
    if (error instanceof ElfError) error.message = `${path}: ${error.message}`;
    throw error;
  }
}

/** `asx maps CORE [--sysroot DIR]`: the maps lines on stdout, what the core cannot know once on stderr. */
export async function runCoreMapsCommand(path: string, extra: readonly string[], args: ParsedArguments, out: Output, err: Output | undefined): Promise<number> {
  if (extra.length) throw new UsageError(`${path} is a core file: asx maps CORE takes no program arguments (got '${extra[0]}')`);
  const other = [...args.options.keys()].find((name) => name !== '--sysroot');
  if (other) throw new UsageError(`${path} is a core file: ${other} is for programs (asx maps CORE takes --sysroot only)`);
  const dump = await readCoreFile(path, lastOption(args, '--sysroot'));
  out.write(renderCoreMaps(dump));
  if (err) writeCoreNotes(path, dump, err);
  return 0;
}

/** The note on stderr: who wrote the core, what it cannot know, what was inferred, and any damage found. */
export function writeCoreNotes(path: string, dump: CoreDump, err: Output): void {
  const who = dump.producer === 'kernel' ? "the kernel's" : dump.producer === 'gdb' ? "gdb's gcore" : 'an unknown';
  err.write(`asx: note: ${path} is ${who} core${dump.process ? ` of pid ${dump.process.pid} (${dump.process.fname})` : ''}; what it cannot know, and what was inferred:\n`);
  for (const n of dump.notes) err.write(`  - ${n}\n`);
  for (const w of dump.warnings) err.write(`asx: warning: ${path}: ${w}\n`);
}
