import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { NodeFileSystem } from '../../simulator/cli/node-file-access';
import type { FileSystem } from '../../simulator/loader/file-system';
import { execve, type ExecveOptions } from '../../simulator/loader/binfmt-elf';
import { dlMain, type RtldOptions, type RtldResult } from '../../simulator/loader/rtld';
import { renderMaps } from '../../simulator/proc/maps';

export interface EntryOptions extends Partial<ExecveOptions>, RtldOptions {
  readonly sysroot?: string;
  /** The simulated machine's files (default: this machine's, under `sysroot`). */
  readonly fileSystem?: FileSystem;
}

/** asx maps --at entry, as a function: the program after execve and ld.so, at AT_ENTRY. */
export async function simulateEntry(prog: string, args: readonly string[] = [], options: EntryOptions = {}): Promise<{ maps: string; rtld: RtldResult }> {
  const fs = options.fileSystem ?? new NodeFileSystem(options.sysroot ?? '/');
  const exec = await execve(fs, prog, { argv: [prog, ...args], envp: [], aslr: 'off', seed: 0n, ...options });
  const rtld = await dlMain(fs, exec, options);
  return { maps: renderMaps(rtld.mm), rtld };
}

/** The maps text of `asx maps --at entry`: a static program (no PT_INTERP) is at its entry point right after execve. */
export async function simulateEntryMaps(prog: string, options: EntryOptions = {}): Promise<string> {
  const fs = options.fileSystem ?? new NodeFileSystem(options.sysroot ?? '/');
  const exec = await execve(fs, prog, { argv: [prog], envp: [], aslr: 'off', seed: 0n, ...options });
  if (exec.interpreter) await dlMain(fs, exec, options);
  return renderMaps(exec.mm);
}

/** Whether gdb can stop real programs at their entry point here (x86-64 Linux with gdb). */
export function gdbAvailable(): boolean {
  return process.platform === 'linux' && process.arch === 'x64' && spawnSync('gdb', ['--version']).status === 0;
}

/** The real machine's maps of `prog` at AT_ENTRY: gdb, ASLR off, empty environment, 8 MiB stack limit. */
export function captureEntryMaps(prog: string): string {
  const out = join(mkdtempSync(join(tmpdir(), 'asx-entry-')), 'maps');
  spawnSync('bash', [resolve(__dirname, '../fixtures/capture/entry-maps.sh'), out, '--', prog]);
  if (!existsSync(out)) throw new Error(`gdb could not stop ${prog} at its entry point`);
  return readFileSync(out, 'utf8');
}
