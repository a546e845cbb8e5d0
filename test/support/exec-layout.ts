import { resolve } from 'node:path';
import { NodeFileSystem } from '../../simulator/cli/node-file-access';
import type { FileSystem } from '../../simulator/loader/file-system';
import { execve, type ExecveOptions } from '../../simulator/loader/binfmt-elf';
import { renderMaps } from '../../simulator/proc/maps';

export const REPO_ROOT = resolve(__dirname, '../..');
export const SYSROOT = resolve(REPO_ROOT, 'test/fixtures/sysroot');
export const FIXTURE_BIN = resolve(REPO_ROOT, 'test/fixtures/elf/bin');

/** asx maps, as a function: the maps text of `prog` stopped after execve. */
export async function simulateMaps(prog: string, args: readonly string[], options: Partial<ExecveOptions> & { sysroot?: string; fileSystem?: FileSystem } = {}): Promise<string> {
  const fs = options.fileSystem ?? new NodeFileSystem(options.sysroot ?? '/');
  const result = await execve(fs, prog, { argv: [prog, ...args], envp: [], aslr: 'off', seed: 0n, ...options });
  return renderMaps(result.mm);
}
