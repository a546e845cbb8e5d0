// `asx maps CORE` and the core summary of `asx elf CORE`.
import { ElfError } from '../elf/errors';
import type { FileAccess } from '../elf/file-access';
import { ET_CORE, hasElfMagic } from '../elf/header';
import { readCore, renderCoreMaps, type CoreAddress, type CoreDump } from '../live/core';
import { lastOption, UsageError, type ParsedArguments } from './arguments';
import type { Output } from './main';
import { NodeFileAccess, NodeFileSystem } from './node-file-access';

/** Whether PATH is an ELF file whose e_type is ET_CORE (false when it cannot be read: the caller reports that). */
export async function isCoreFilePath(path: string): Promise<boolean> {
  let file: NodeFileAccess;
  try {
    file = NodeFileAccess.open(path);
  } catch {
    return false;
  }
  if (file.size < 18) return false;
  const head = await file.read(0, 18);
  if (!hasElfMagic(head)) return false;
  const type = head[5] === 2 ? ((head[16] as number) << 8) | (head[17] as number) : (head[16] as number) | ((head[17] as number) << 8);
  return type === ET_CORE;
}

/** Reads a core, with the mapped files looked up under `sysroot` for the permissions gcore leaves out. */
export async function readCoreFile(path: string, sysroot = '/'): Promise<CoreDump> {
  const fs = new NodeFileSystem(sysroot);
  const openMappedFile = async (mapped: string): Promise<FileAccess | undefined> => {
    try {
      return (await fs.open(mapped)).access;
    } catch {
      return undefined;
    }
  };
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

function where(dump: CoreDump, a: CoreAddress): string {
  const r = a.region === undefined ? undefined : dump.regions[a.region];
  if (!r) return `${a.address} (in no mapping)`;
  const label = r.path ?? r.name ?? 'anonymous';
  return `${a.address} in ${r.start}-${r.end} ${r.perms} ${label} (+0x${(BigInt(a.address) - BigInt(r.start)).toString(16)})`;
}

/** The text `asx elf CORE` prints after the readelf-like part. */
export function coreSummaryText(dump: CoreDump): string {
  const lines = ['', `Core file (${dump.machine}, written by ${dump.producer === 'gdb' ? 'gdb gcore' : dump.producer}):`];
  const p = dump.process;
  if (p) {
    lines.push(`  Process: pid ${p.pid}, ppid ${p.ppid}, pgrp ${p.pgrp}, sid ${p.sid}, uid ${p.uid}, gid ${p.gid}, state ${p.state}`);
    lines.push(`  Command: ${p.fname}`, `  Command line: ${p.psargs}`);
  }
  if (dump.executable) lines.push(`  Executable: ${dump.executable}`);
  const s = dump.signal;
  if (s) lines.push(`  Signal: ${s.signo} (${s.name}), code ${s.code}${s.codeName ? ` (${s.codeName})` : ''}${s.errno ? `, errno ${s.errno}` : ''}${s.addr !== undefined ? `, address ${s.addr}` : ''}`);
  if (dump.crash) lines.push(`  Instruction pointer: ${where(dump, dump.crash)}`);
  if (dump.faultAddress) lines.push(`  Fault address: ${where(dump, dump.faultAddress)}`);
  lines.push(`  Regions: ${dump.regions.length}`);
  for (const t of dump.threads) {
    lines.push(`  Thread ${t.tid}${t.signal ? ` (signal ${t.signal})` : ''}:`);
    const names = Object.keys(t.registers);
    for (let i = 0; i < names.length; i += 4) {
      lines.push(`    ${names.slice(i, i + 4).map((n) => `${n.padEnd(9)} ${(t.registers[n] ?? '').padStart(18)}`).join('  ')}`);
    }
  }
  for (const w of dump.warnings) lines.push(`  Warning: ${w}`);
  return lines.join('\n') + '\n';
}
