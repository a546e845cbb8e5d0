import { ElfError } from '../elf/errors';
import { runElfCommand } from './elf-command';
import { runMapsCommand } from './maps-command';
import { runRunCommand } from './run-command';
import { runPsCommand, runSmapsCommand } from './live-command';
import { runTwinCommand } from './twin-command';
import { UsageError } from './arguments';
import { version } from '../../package.json';
import { terminalErrors } from './terminal-errors';

export const USAGE = `usage: asx <command> [options]

commands:
  asx elf FILE [--json]        the ELF file's headers, segments, sections, symbols, dynamic section and notes
                               (for a core file also its registers, command line, signal and crash region)
  asx maps FILE [ARGS...] [--aslr off|on|full] [--seed N] [--sysroot DIR]
           [--at exec|entry] [--ld-library-path DIRS]
                               /proc/PID/maps of FILE stopped at its first instruction after execve,
                               or at its entry point after ld.so mapped its libraries (--at entry)
  asx maps CORE [--sysroot DIR]
                               a core file's address space at the dump (kernel cores and gdb's gcore),
                               in /proc/PID/maps format; what a core cannot know goes to stderr
  asx maps --pid PID           the live /proc/PID/maps of a running process
  asx smaps --pid PID [--explain] [--json] [--freeze]
                               the live /proc/PID/smaps; --explain adds after each VMA where its Pss
                               comes from (# Pss: lines, pages by kind and mapcount, from pagemap and
                               /proc/kpagecount; exact as root); --freeze stops the process
                               (SIGSTOP/SIGCONT) while it is read
  asx ps [--sort rss|pss|uss|swap|pid] [--json]
                               every readable process's Rss, Pss, USS and Swap (smaps_rollup), like smem
  asx twin --pid PID | CORE [-o FILE] [--sharers N] [--compare [--json]] [--no-freeze]
                               the process (stopped while read) or core as a scenario that rebuilds it:
                               its program exec'd at the live addresses, every mapping at its address,
                               the resident, written and swapped pages, and up to N (3) forked
                               sharers for pages other processes map too; --compare runs it and
                               compares each VMA's smaps with the live one
  asx run SCENARIO.aspace [--json] [--pkeys on|off|host] [--zero-page on|off|host] [--thp MODE]
                               run a memory scenario; print each show statement's /proc output
                               (smaps' ProtectionKey line follows this CPU's protection keys
                               unless --pkeys or 'set pkeys' says otherwise; read faults map the
                               zero page unless --zero-page off, or --zero-page host on a kernel
                               booted with pvm_no_zero_page=1; transparent huge pages follow
                               this machine's /sys/kernel/mm/transparent_hugepage/enabled unless
                               --thp always|madvise|never or 'set thp' says otherwise, madvise
                               where it cannot be read); a scenario that starts with
                               'set machine toy6' runs on the 6-bit teaching machine instead
  asx help                     this text
  asx --version                the version of asx
`;

export interface Output {
  write(text: string): void;
  /** A terminal (stderr on a TTY): long runs show their progress on one line there, then clear it. */
  readonly isTerminal?: boolean;
  /** On a terminal: writes `text` over the status line, or clears it (undefined). See terminalErrors. */
  readonly status?: (text: string | undefined) => void;
}

/** Runs one asx command line; returns the exit status. Errors become one line on stderr. */
export async function main(argv: readonly string[], stdout: Output, rawStderr: Output): Promise<number> {
  const [command, ...rest] = argv;
  const stderr = terminalErrors(rawStderr);
  try {
    switch (command) {
      case 'elf':
        return await runElfCommand(rest, stdout, stderr);
      case 'maps':
        return await runMapsCommand(rest, stdout, stderr);
      case 'run':
        return await runRunCommand(rest, stdout, stderr);
      case 'ps':
        return runPsCommand(rest, stdout, stderr);
      case 'smaps':
        return runSmapsCommand(rest, stdout, stderr);
      case 'twin':
        return await runTwinCommand(rest, stdout, stderr);
      case '--version':
      case 'version':
        stdout.write(`asx ${version}\n`);
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (error) {
    stderr.write(`asx: ${describeError(error)}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
}

function describeError(error: unknown): string {
  if (error instanceof UsageError) return `${error.message} (see 'asx help')`;
  if (error instanceof ElfError) return error.message;
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const path = (error as NodeJS.ErrnoException).path;
    if (code && path) return `${path}: ${messageForErrno(code)} (${code})`;
    return error.message.split('\n')[0] ?? 'unknown error';
  }
  return String(error);
}

function messageForErrno(code: string): string {
  switch (code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    case 'ELOOP': return 'too many levels of symbolic links';
    case 'ENOTDIR': return 'not a directory';
    case 'ENOSPC': return 'no space left on device';
    case 'EROFS': return 'read-only file system';
    case 'EPERM': return 'operation not permitted';
    case 'EFBIG': return 'file too large';
    case 'EIO': return 'input/output error';
    default: return 'cannot open';
  }
}
