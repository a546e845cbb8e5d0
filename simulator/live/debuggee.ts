// The program being debugged, as the Debug Adapter Protocol tells of it: its PID (the `process`
// event's systemProcessId, or an attach request's pid/processId), its stops and resumes, and its
// threads' names. Pure: the extension's DebugAdapterTracker hands every message to a DebuggeeState.
// No vscode here; unit-tested with the messages real adapters send (lldb-vscode, cppdbg, CodeLLDB,
// gdb's DAP, debugpy).

/** Where a message went: to the adapter (VS Code's requests) or from it (events, responses). */
export type DapDirection = 'toAdapter' | 'fromAdapter';

/** How the PID was learned. */
export type PidSource = 'process event' | 'attach request' | 'picked';

/** What one DAP message says about the debuggee. */
export type DebuggeeFact =
  | { readonly kind: 'pid'; readonly pid: number; readonly source: PidSource; readonly name?: string }
  /** A `process` event for a process on another machine (isLocalProcess false): /proc here cannot show it. */
  | { readonly kind: 'remote'; readonly name?: string }
  | { readonly kind: 'stopped'; readonly reason: string; readonly threadId?: number; readonly description?: string; readonly allThreads: boolean }
  | { readonly kind: 'continued'; readonly threadId?: number; readonly allThreads: boolean }
  | { readonly kind: 'threads'; readonly threads: readonly { readonly id: number; readonly name: string }[] }
  | { readonly kind: 'thread'; readonly id: number; readonly name?: string; readonly exited: boolean }
  | { readonly kind: 'ended'; readonly exitCode?: number };

const MAX_PID = 1 << 22; // PID_MAX_LIMIT on 64-bit (include/linux/threads.h)
const MAX_TEXT = 200;

type Fields = Readonly<Record<string, unknown>>;
const record = (v: unknown): Fields | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Fields) : undefined);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v.slice(0, MAX_TEXT) : undefined);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined);

/** A PID as debuggers write it: a number, or a string of digits (cppdbg's processId, CodeLLDB's pid after ${command:pickProcess}). */
export function pidValue(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d{1,8}\s*$/.test(v) ? Number(v) : undefined;
  return n !== undefined && Number.isSafeInteger(n) && n > 0 && n <= MAX_PID ? n : undefined;
}

/** The PID an attach request names: `pid` (lldb-dap, CodeLLDB, gdb's DAP) or `processId` (cppdbg, debugpy). */
export function attachPid(args: unknown): number | undefined {
  const a = record(args);
  return a ? (pidValue(a.pid) ?? pidValue(a.processId)) : undefined;
}

/** What one DAP message says about the debuggee, or undefined when it says nothing of interest. */
export function debuggeeFact(message: unknown, direction: DapDirection): DebuggeeFact | undefined {
  const m = record(message);
  if (!m) return undefined;
  if (direction === 'toAdapter') {
    if (m.type !== 'request' || m.command !== 'attach') return undefined;
    const pid = attachPid(m.arguments);
    return pid === undefined ? undefined : { kind: 'pid', pid, source: 'attach request' };
  }
  const body = record(m.body) ?? {};
  if (m.type === 'response') {
    if (m.command !== 'threads' || m.success !== true || !Array.isArray(body.threads)) return undefined;
    const threads = body.threads.slice(0, 4096).flatMap((t) => {
      const r = record(t);
      const id = int(r?.id);
      return id === undefined ? [] : [{ id, name: text(r?.name) ?? '' }];
    });
    return { kind: 'threads', threads };
  }
  if (m.type !== 'event') return undefined;
  switch (m.event) {
    case 'process': {
      const name = text(body.name);
      if (body.isLocalProcess === false) return { kind: 'remote', ...(name ? { name } : {}) };
      const pid = pidValue(body.systemProcessId);
      return pid === undefined ? undefined : { kind: 'pid', pid, source: 'process event', ...(name ? { name } : {}) };
    }
    case 'stopped': {
      const threadId = int(body.threadId);
      const description = text(body.description) ?? text(body.text);
      return {
        kind: 'stopped', reason: text(body.reason) ?? 'stopped', allThreads: body.allThreadsStopped === true,
        ...(threadId !== undefined ? { threadId } : {}), ...(description ? { description } : {}),
      };
    }
    case 'continued': {
      const threadId = int(body.threadId);
      return { kind: 'continued', allThreads: body.allThreadsContinued !== false, ...(threadId !== undefined ? { threadId } : {}) };
    }
    case 'thread': {
      const id = int(body.threadId);
      return id === undefined ? undefined : { kind: 'thread', id, exited: body.reason === 'exited' };
    }
    case 'exited': {
      const exitCode = int(body.exitCode);
      return { kind: 'ended', ...(exitCode !== undefined ? { exitCode } : {}) };
    }
    case 'terminated':
      return { kind: 'ended' };
    default:
      return undefined;
  }
}

/** One stop, as the live view's header says it. */
export interface DebugStop {
  /** The debug session's name ("Launch mmap-stops"). */
  readonly session: string;
  /** "mmap-stops (#4711)", or "#4711" when the adapter did not name it, or "" when the event named no thread. */
  readonly thread: string;
  /** The stopped event's reason and description: "breakpoint", "step", "signal SIGSEGV". */
  readonly reason: string;
  /** 1 for the first stop of the session. */
  readonly stop: number;
}

/** What the tracker does after a message. */
export type DebuggeeAction =
  | { readonly kind: 'none' }
  | { readonly kind: 'pid'; readonly pid: number }
  | { readonly kind: 'stopped'; readonly stop: DebugStop; readonly pid: number | undefined }
  /** The stopped thread's name came (the threads response follows the stopped event). */
  | { readonly kind: 'renamed'; readonly stop: DebugStop }
  | { readonly kind: 'continued' }
  | { readonly kind: 'ended' };

const NONE: DebuggeeAction = { kind: 'none' };

/**
 * One debug session's debuggee: its PID once known, whether it is stopped, and its threads' names.
 * A PID from an attach request wins over none; a process event's PID replaces it (the adapter knows
 * best which process it runs, e.g. debugpy's attach to a launcher).
 */
export class DebuggeeState {
  pid: number | undefined;
  pidSource: PidSource | undefined;
  /** The process event said the process runs on another machine. */
  remote = false;
  stopped = false;
  ended = false;
  stops = 0;
  lastStop: DebugStop | undefined;
  private lastThreadId: number | undefined;
  private readonly threads = new Map<number, string>();

  constructor(readonly sessionName: string) {}

  /** Learns from one message; says what the tracker should do. */
  observe(message: unknown, direction: DapDirection): DebuggeeAction {
    const fact = debuggeeFact(message, direction);
    if (!fact || this.ended) return NONE;
    switch (fact.kind) {
      case 'pid':
        if (fact.source === 'attach request' && this.pid !== undefined) return NONE;
        return this.setPid(fact.pid, fact.source);
      case 'remote':
        this.remote = true;
        return NONE;
      case 'threads':
        for (const t of fact.threads) this.threads.set(t.id, t.name);
        return this.renamed();
      case 'thread':
        if (fact.exited) this.threads.delete(fact.id);
        return NONE;
      case 'stopped': {
        this.stopped = true;
        this.stops++;
        // lldb's description repeats the reason ("breakpoint 1.1"): then it says it alone.
        const d = fact.description;
        const reason = !d || d === fact.reason ? fact.reason : d.toLowerCase().startsWith(fact.reason.toLowerCase()) ? d : `${fact.reason} (${d})`;
        this.lastThreadId = fact.threadId;
        this.lastStop = { session: this.sessionName, thread: this.threadName(fact.threadId), reason, stop: this.stops };
        return { kind: 'stopped', stop: this.lastStop, pid: this.pid };
      }
      case 'continued':
        if (!this.stopped) return NONE;
        this.stopped = false;
        return { kind: 'continued' };
      case 'ended':
        this.ended = true;
        this.stopped = false;
        return { kind: 'ended' };
    }
  }

  /** The last stop again, when its thread now has a name it did not have. */
  private renamed(): DebuggeeAction {
    const stop = this.lastStop;
    if (!this.stopped || !stop) return NONE;
    const thread = this.threadName(this.lastThreadId);
    if (thread === stop.thread) return NONE;
    this.lastStop = { ...stop, thread };
    return { kind: 'renamed', stop: this.lastStop };
  }

  /** Sets the PID (learned from a message, or picked by the user). */
  setPid(pid: number, source: PidSource): DebuggeeAction {
    const changed = this.pid !== pid;
    this.pid = pid;
    this.pidSource = source;
    return changed ? { kind: 'pid', pid } : NONE;
  }

  /** "name (#id)", "#id" or "". */
  threadName(id: number | undefined): string {
    if (id === undefined) return '';
    const name = this.threads.get(id);
    return name ? `${name} (#${id})` : `#${id}`;
  }
}
