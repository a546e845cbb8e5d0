import type { FileIdentity } from '../elf/file-access';
import { execve, type ExecResult } from '../loader/binfmt-elf';
import { ExecError } from '../loader/exec-error';
import { dlMain, planDlopen, RtldError, type DlopenPlan, type LinkMap, type RtldResult } from '../loader/rtld';
import type { FileSystem } from '../loader/file-system';
import { OpenRefusal } from '../loader/open-refusal';
import type { Statement } from './ast';
import type { ExecStop } from './ast-set';
import { DEFAULT_SETTINGS, type ScenarioSettings } from './state';

/** A file a scenario maps, resolved once so that replays need no I/O. */
export interface PreparedFile {
  readonly path: string;
  readonly identity: FileIdentity;
  readonly size: number;
  /** /dev/zero: mapped by mmap_zero (anonymous memory, or shmem when shared and writable). */
  readonly zero?: boolean;
}

/** What the asynchronous part of each statement found: exec layouts and mapped files. */
export interface Prepared {
  /** Each exec's layout at the program's entry point (after ld.so for a dynamic program). */
  readonly execs: Map<number, ExecResult>;
  /** For dynamic programs exec'd to their entry point: what ld.so did before the entry point. */
  readonly entries: Map<number, RtldResult>;
  /** Each dlopen's plan (the objects it loads), or why it fails (dlerror). */
  readonly dlopens: Map<number, DlopenPlan | { readonly error: string }>;
  readonly files: Map<number, PreparedFile>;
  /** The machine settings in force before the first exec (RAM and swap are fixed then). */
  readonly initialSettings: ScenarioSettings;
}

/** A statement that cannot run: the file could not be read or executed. */
export class ScenarioError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    message: string,
  ) {
    super(message);
  }
}

/** Resolves paths against the scenario's folder. */
export interface ScenarioFiles {
  readonly fs: FileSystem;
  /** The path of a scenario-relative PATH, as fs expects it. */
  resolve(path: string): string;
}

/** Runs every exec's loader and opens every mapped file, in statement order; `host` holds the host machine's defaults (its CPU's pkeys and ISA level). */
export async function prepare(statements: readonly Statement[], files: ScenarioFiles, host: Partial<ScenarioSettings> = {}): Promise<Prepared> {
  const execs = new Map<number, ExecResult>();
  const entries = new Map<number, RtldResult>();
  const dlopens = new Map<number, DlopenPlan | { readonly error: string }>();
  // The link maps of each process, as far as dlopen's search needs them (undefined: stopped before ld.so ran).
  const linked = new Map<string, { main: LinkMap; chain: LinkMap[] } | undefined>();
  let execStop: ExecStop = 'entry';
  const mapped = new Map<number, PreparedFile>();
  const settings = { ...DEFAULT_SETTINGS, ...host };
  for (const s of statements) if (s.kind === 'set' && s.setting === 'pkeys') settings.pkeys = s.value;
  let initialSettings: ScenarioSettings | undefined;
  let execCount = 0;
  for (const s of statements) {
    if (s.kind === 'set') {
      if (s.setting === 'aslr') settings.aslr = s.value;
      else if (s.setting === 'seed') settings.seed = s.value;
      else if (s.setting === 'ram') settings.ramBytes = s.value;
      else if (s.setting === 'exec') execStop = s.value;
      else if (s.setting === 'pkeys') continue; // the CPU's: read before the loop
      else if (s.setting === 'thp') continue; // a sysfs knob of the running kernel
      else if (s.setting === 'layout') settings.layout = s.value;
      else if (s.setting === 'fault_around') continue; // the running kernel's knob
      else if (s.setting === 'swap') settings.swapBytes = s.value;
    } else if (s.kind === 'exec') {
      initialSettings ??= { ...settings };
      const path = files.resolve(s.path.text);
      try {
        const result = await execve(files.fs, path, { argv: [path, ...s.args.map((a) => a.text)], envp: [], aslr: settings.aslr, seed: settings.seed + BigInt(execCount++), ...(settings.layout ? { layout: settings.layout } : {}) });
        // Unless `set exec start` is in force, exec runs the program to its entry point: ld.so maps its libraries first.
        const rtld = execStop === 'entry' && result.interpreter ? await dlMain(files.fs, result, { isaLevel: settings.isaLevel, legacyHwcaps: settings.legacyHwcaps }) : undefined;
        if (rtld) entries.set(s.line, rtld);
        linked.set(s.process.name, rtld && { main: rtld.main, chain: [...rtld.chain] });
        execs.set(s.line, result);
      } catch (error) {
        const why = error instanceof RtldError ? `error while loading shared libraries: ${error.message}` : messageOf(error);
        throw new ScenarioError(s.line, s.path.column, `cannot exec ${s.path.text}: ${why}`);
      }
    } else if (s.kind === 'fork') {
      const parent = linked.get(s.parent.name);
      linked.set(s.child.name, parent && { main: parent.main, chain: [...parent.chain] });
    } else if (s.kind === 'dlopen') {
      const process = linked.get(s.process.name);
      if (!process) {
        dlopens.set(s.line, { error: `${s.process.name} was not exec'd to its entry point: remove 'set exec start' before its exec, or put 'set exec entry' there` });
        continue;
      }
      const name = s.path.text.includes('/') ? files.resolve(s.path.text) : s.path.text;
      try {
        const plan = await planDlopen(files.fs, process, name, { isaLevel: settings.isaLevel, legacyHwcaps: settings.legacyHwcaps });
        process.chain.push(...plan.objects);
        dlopens.set(s.line, plan);
      } catch (error) {
        dlopens.set(s.line, { error: messageOf(error) });
      }
    } else if (s.kind === 'mmap' && s.backing.kind === 'file') {
      const path = files.resolve(s.backing.path.text);
      try {
        const opened = await files.fs.openProgram(path, 'map');
        const identity = (await opened.access.identity()) ?? { major: 0, minor: 0, inode: 0 };
        mapped.set(s.line, { path: opened.path, identity, size: opened.access.size, ...(opened.kind === 'dev/zero' ? { zero: true } : {}) });
      } catch (error) {
        throw new ScenarioError(s.line, s.backing.path.column, `cannot open ${s.backing.path.text}: ${messageOf(error)}`);
      }
    }
  }
  return { execs, entries, dlopens, files: mapped, initialSettings: initialSettings ?? settings };
}

function messageOf(error: unknown): string {
  if (error instanceof ExecError) return error.message;
  if (error instanceof RtldError) return error.message;
  if (error instanceof OpenRefusal) return `${error.reason} (${error.errno})`;
  if (error instanceof Error) {
    const code = (error as { code?: string }).code;
    return code === 'ENOENT' ? 'no such file (ENOENT)' : error.message.split('\n')[0] ?? 'error';
  }
  return String(error);
}
