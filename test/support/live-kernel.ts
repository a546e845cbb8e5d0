// Runs programs on the real kernel and captures /proc/PID/maps at the first
// instruction after execve (ptrace stop), for differential tests.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './exec-layout';

const WORK = join(tmpdir(), `asx-live-${process.getuid?.() ?? 0}`);
// Named after the source's options, so that a copy built from an older source is not reused.
const CAPTURE = join(WORK, 'capture-maps-proc-file');

/** Whether this machine can run the live comparisons: x86-64 Linux with gcc and ptrace. */
export function liveKernelAvailable(): boolean {
  if (process.platform !== 'linux' || process.arch !== 'x64') return false;
  if (spawnSync('gcc', ['--version']).status !== 0) return false;
  return buildCapture() && spawnSync(CAPTURE, ['--', '/bin/true']).status === 0;
}

function buildCapture(): boolean {
  if (existsSync(CAPTURE)) return true;
  mkdirSync(WORK, { recursive: true });
  return spawnSync('gcc', ['-O2', '-o', CAPTURE, join(REPO_ROOT, 'test/fixtures/capture/capture-maps.c')]).status === 0;
}

export interface LiveRun {
  readonly prog: string;
  readonly args?: readonly string[];
  readonly env?: readonly string[];
  readonly aslr?: boolean;
  /** `ulimit -s` value: KiB or 'unlimited'. */
  readonly stackLimit?: string;
  /** The /proc/PID file to read (default maps). */
  readonly procFile?: 'maps' | 'status' | 'smaps' | 'smaps_rollup';
}

/** The kernel's maps (or another /proc/PID file) for one run. */
export function captureMaps(run: LiveRun): string {
  const envFlags = (run.env ?? []).flatMap((e) => ['--env', e]);
  const command = [CAPTURE, ...(run.aslr ? ['--aslr'] : []), ...(run.procFile ? ['--proc-file', run.procFile] : []), ...envFlags, '--', run.prog, ...(run.args ?? [])];
  const quoted = command.map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');
  const result = spawnSync('bash', ['-c', `ulimit -S -s ${run.stackLimit ?? '8192'} && exec ${quoted}`], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (result.status !== 0) throw new Error(`capture failed: ${result.stderr}`);
  return result.stdout;
}

/** Compiles a C program with gcc into the work folder, once per name. */
export function compile(name: string, source: string, flags: readonly string[]): string {
  mkdirSync(WORK, { recursive: true });
  const out = join(WORK, name);
  if (existsSync(out)) return out;
  const src = join(WORK, `${name}.c`);
  writeFileSync(src, source);
  const result = spawnSync('gcc', ['-O2', '-o', out, src, ...flags], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`gcc ${name} failed: ${result.stderr}`);
  return out;
}
