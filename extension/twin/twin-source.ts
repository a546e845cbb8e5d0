// What "Simulate This Process" builds its twin from: a live process (read through a ProcReader) or a
// core file, and the one-line messages for what can go wrong. No vscode here: the unit tests drive it
// with recorded /proc files.
import type { CoreDump } from '../../simulator/live/core-types';
import { ProcFileError } from '../../simulator/live/proc-reader';
import { twinScenario, type TwinScenario } from '../../simulator/live/twin';
import { coreTwinInput, readTwinInput } from '../../simulator/live/twin-input';
import type { TwinInput } from '../../simulator/live/twin-model';
import type { ProcReader } from '../../simulator/live/types';

/** A twin and what it was made from. */
export interface TwinSource {
  readonly input: TwinInput;
  readonly twin: TwinScenario;
  /** The live process's pid; undefined for a core (nothing live to compare with). */
  readonly pid?: number;
  /** The twin document's title: "twin of live-target (4242)". */
  readonly title: string;
}

/** Why a twin could not be made, in one line. */
export class TwinError extends Error {
  override readonly name = 'TwinError';
}

/**
 * Reads process `pid` (smaps, pagemap, kpagecount; stopped while it is read when `freeze`) and writes
 * its twin. `program`: the executable (readlink /proc/PID/exe) when the host can tell.
 */
export function twinOfProcess(reader: ProcReader, pid: number, options: { program?: string; freeze: boolean }): TwinSource {
  try {
    const { input, live } = readTwinInput(reader, pid, { freeze: options.freeze, ...(options.program ? { program: options.program } : {}) });
    if (input.vmas.length === 0) throw new TwinError(`pid ${pid} has no address space (a kernel thread, or a zombie that has exited)`);
    return { input, twin: twinScenario(input), pid, title: `twin of ${live.command || 'pid'} (${pid})` };
  } catch (error) {
    throw new TwinError(twinFailure(error, pid));
  }
}

/** The twin of a core file: its mappings (a core records no page state). */
export function twinOfCore(dump: CoreDump, name: string): TwinSource {
  const input = coreTwinInput(dump, name);
  if (input.vmas.length === 0) throw new TwinError(`${name}: the core records no mappings (no NT_FILE note and no PT_LOAD)`);
  return { input, twin: twinScenario(input), title: `twin of ${name}` };
}

/** One line saying why process `pid` could not be read: it has exited, permission, or the reader's own message. */
export function twinFailure(error: unknown, pid: number): string {
  if (error instanceof TwinError) return error.message;
  const code = error instanceof ProcFileError ? error.code : (error as { code?: unknown } | null)?.code;
  const first = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  if (code === 'ENOENT' || code === 'ESRCH' || code === 'EMPTY') return `pid ${pid} has exited: there is no process to simulate (${first})`;
  if (code === 'EACCES' || code === 'EPERM') {
    return `pid ${pid}: permission denied: reading another user's process (its smaps and pagemap) or stopping it needs the same user or root (${first})`;
  }
  return first.startsWith(`pid ${pid}`) ? first : `pid ${pid}: ${first}`;
}

/** The 1-based line of the twin's end marker (what-ifs go after it), or undefined when it was removed. */
export function twinEndLine(text: string): number | undefined {
  const index = text.split('\n').findIndex((l) => l.startsWith('# --- end of the twin'));
  return index < 0 ? undefined : index + 1;
}
