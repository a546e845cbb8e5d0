import { execve } from '../loader/binfmt-elf';
import { dlMain, RtldError } from '../loader/rtld';
import { ExecError } from '../loader/exec-error';
import type { AslrMode } from '../loader/randomization';
import { RLIM_INFINITY } from '../loader/x86-64';
import { renderMaps } from '../proc/maps';
import { lastOption, parseArguments, UsageError } from './arguments';
import type { Output } from './main';
import { machineFromCpuinfo } from '../scenario/host-cpu';
import { NodeFileSystem, readHostFile } from './node-file-access';
import { runLiveMapsCommand, wantsLivePid } from './live-command';
import { isCoreFilePath, runCoreMapsCommand } from './core-command';

const ASLR_MODES: Readonly<Record<string, AslrMode>> = { off: 'off', '0': 'off', on: 'on', '1': 'on', full: 'full', '2': 'full' };

/**
 * asx maps FILE [ARGS...] [--aslr off|on|full] [--seed N] [--sysroot DIR] [--stack-limit SIZE|unlimited] [--env K=V]...
 *   [--at exec|entry] [--ld-library-path DIRS]
 */
export async function runMapsCommand(argv: readonly string[], out: Output, err?: Output): Promise<number> {
  const valued = ['--aslr', '--seed', '--sysroot', '--stack-limit', '--env', '--at', '--ld-library-path'];
  if (wantsLivePid(argv, valued)) return runLiveMapsCommand(argv, out);
  const args = parseArguments(argv, valued, [], true);
  const [file, ...programArgs] = args.positional;
  if (!file) throw new UsageError('asx maps needs a FILE');
  // A core file (ET_CORE) is an address space already: print it (core-command.ts).
  if (await isCoreFilePath(file)) return runCoreMapsCommand(file, programArgs, args, out, err);
  const aslrText = lastOption(args, '--aslr') ?? 'off';
  const aslr = ASLR_MODES[aslrText];
  if (!aslr) throw new UsageError(`--aslr must be off, on or full, not '${aslrText}'`);
  const seed = parseSeed(lastOption(args, '--seed') ?? '0');
  const stackRlimit = parseStackLimit(lastOption(args, '--stack-limit') ?? '8192');
  const envp = args.options.get('--env') ?? [];
  const at = lastOption(args, '--at') ?? 'exec';
  if (at !== 'exec' && at !== 'entry') throw new UsageError(`--at must be exec or entry, not '${at}'`);
  const ldLibraryPath = lastOption(args, '--ld-library-path');
  if (ldLibraryPath !== undefined && at !== 'entry') throw new UsageError('--ld-library-path needs --at entry (ld.so reads it)');
  const fs = new NodeFileSystem(lastOption(args, '--sysroot') ?? '/');
  try {
    const result = await execve(fs, file, { argv: [file, ...programArgs], envp, aslr, seed, stackRlimit });
    // A static program has no ld.so: its entry point is its first instruction.
    if (at === 'entry' && result.interpreter) {
      const { isaLevel, legacyHwcaps } = machineFromCpuinfo(readHostFile('/proc/cpuinfo'));
      await dlMain(fs, result, { ldLibraryPath, cwd: process.cwd(), isaLevel, legacyHwcaps });
    }
    out.write(renderMaps(result.mm));
    return 0;
  } catch (error) {
    if (error instanceof RtldError) throw new Error(`${file}: error while loading shared libraries: ${error.message}`, { cause: error });
    if (error instanceof ExecError) throw new Error(`${file}: ${error.message}`, { cause: error });
    if (error instanceof Error && error.name === 'ElfError') throw new Error(`${file}: ${error.message}`, { cause: error });
    throw error;
  }
}

function parseSeed(text: string): bigint {
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(text)) throw new UsageError(`--seed must be a number, not '${text}'`);
  return BigInt(text);
}

/** --stack-limit in KiB as `ulimit -s` takes it, or "unlimited". */
function parseStackLimit(text: string): bigint {
  if (text === 'unlimited') return RLIM_INFINITY;
  if (!/^\d+$/.test(text)) throw new UsageError(`--stack-limit must be KiB (as ulimit -s) or 'unlimited', not '${text}'`);
  return BigInt(text) * 1024n;
}
