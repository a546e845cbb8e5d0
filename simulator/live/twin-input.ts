// The twin's input read from a live process (smaps, pagemap, kpagecount/kpageflags, stopped
// while it is read) or from a core file (the mappings only: a core records no page state).
import type { CoreDump } from './core-types';
import { readVmaPages } from './pages';
import { readLiveProcess } from './process';
import type { LiveProcess, ProcReader } from './types';
import type { TwinInput, TwinVma } from './twin-model';

export interface ReadTwinOptions {
  /** The executable (readlink /proc/PID/exe); by default the file mapped lowest. */
  readonly program?: string;
  /** SIGSTOP the process while it is read (not one that is already stopped). Default true. */
  readonly freeze?: boolean;
}

/** Reads process `pid` for its twin. Throws ProcFileError when it cannot be read at all. */
export function readTwinInput(reader: ProcReader, pid: number, options: ReadTwinOptions = {}): { input: TwinInput; live: LiveProcess } {
  let stopped = false;
  if (options.freeze !== false && reader.signal) {
    const state = reader.readText(`${pid}/stat`).replace(/^.*\) /s, '')[0];
    if (state !== 'T' && state !== 't') {
      reader.signal(pid, 'SIGSTOP');
      stopped = true;
      waitStopped(reader, pid);
    }
  }
  try {
    const live = readLiveProcess(reader, pid, { pages: true });
    const vmas: TwinVma[] = live.vmas.map((v) => {
      let pages = v.pages;
      // A VMA too large for the grid, but with pages in it: read its pages on their own.
      if (!pages && ((v.fields['Rss'] ?? 0) > 0 || (v.fields['Swap'] ?? 0) > 0)) pages = readVmaPages(reader, pid, v.start, v.end, v.perms[3] === 's');
      return { start: BigInt(v.start), end: BigInt(v.end), perms: v.perms, offset: BigInt(v.offset), path: v.path, fields: v.fields, vmFlags: v.vmFlags, ...(pages ? { states: pages.states, mapcounts: pages.mapcounts } : {}) };
    });
    const program = options.program ?? vmas.find((v) => v.path.startsWith('/'))?.path ?? live.cmdline[0] ?? live.command;
    const pagesUnknown = live.kpageAccess && live.kpageAccess !== 'full' ? `page-level reading was '${live.kpageAccess}': mapcounts and page kinds are partly unknown (run as root)` : undefined;
    const input: TwinInput = { origin: `pid ${pid} (${live.command})`, program, args: live.cmdline.slice(1), vmas, ...(pagesUnknown ? { pagesUnknown } : {}) };
    return { input, live };
  } finally {
    if (stopped) reader.signal?.(pid, 'SIGCONT');
  }
}

/** SIGSTOP is asynchronous: wait (bounded) until /proc says the process is stopped. */
function waitStopped(reader: ProcReader, pid: number): void {
  for (let i = 0; i < 2000; i++) {
    const state = reader.readText(`${pid}/stat`).replace(/^.*\) /s, '')[0];
    if (state === 'T' || state === 't') return;
  }
}

/** A core file's regions as the twin's input: mappings, no page states. */
export function coreTwinInput(dump: CoreDump, name: string): TwinInput {
  const vmas: TwinVma[] = dump.regions.map((r) => ({
    start: BigInt(r.start),
    end: BigInt(r.end),
    perms: r.perms,
    offset: BigInt(r.offset),
    path: r.path ?? r.name ?? '',
  }));
  const args = dump.process ? dump.process.psargs.split(' ').slice(1).filter((a) => a !== '') : [];
  const program = dump.executable ?? vmas.find((v) => v.path.startsWith('/'))?.path ?? dump.process?.fname ?? 'a.out';
  return { origin: `the core ${name}${dump.process ? ` (pid ${dump.process.pid}, ${dump.process.fname})` : ''}`, program, args, vmas, pagesUnknown: 'a core file records no page residency: the twin has the mappings, and no page made resident' };
}
