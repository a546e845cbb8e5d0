import * as vscode from 'vscode';
import { DebuggeeState, type DapDirection, type DebuggeeAction } from '../../simulator/live/debuggee';
import type { LiveHost, LivePanels } from '../live/live-commands';
import { pickProcess } from '../live/process-pick';

export const OPEN_AT_STOP_SETTING = 'addressSpaceExplorer.debug.openAtStop';

/** One debug session followed by a tracker. */
export interface TrackedSession {
  readonly session: vscode.DebugSession;
  readonly state: DebuggeeState;
  /** The user was already asked to pick the process (once per session). */
  asked: boolean;
}

/**
 * A DebugAdapterTracker for every debug type: each session's debuggee (its PID from the `process`
 * event or the attach request), and at each `stopped` event its live view read again and told which
 * session and thread stopped it. The process is only read: never signalled, never stopped.
 */
export class DebuggeeTrackers implements vscode.DebugAdapterTrackerFactory, vscode.Disposable {
  private readonly sessions = new Map<string, TrackedSession>();
  private readonly stoppedEmitter = new vscode.EventEmitter<void>();
  /** Fired when a tracked session stops or runs again (the hover provider follows it). */
  readonly onDidChangeStopped = this.stoppedEmitter.event;

  constructor(
    private readonly panels: LivePanels,
    private readonly host: LiveHost,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  createDebugAdapterTracker(session: vscode.DebugSession): vscode.DebugAdapterTracker {
    const tracked: TrackedSession = { session, state: new DebuggeeState(session.name), asked: false };
    this.sessions.set(session.id, tracked);
    const observe = (message: unknown, direction: DapDirection) => {
      try {
        this.act(tracked, tracked.state.observe(message, direction));
      } catch (error) {
        this.log.warn(`debug session ${session.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    return {
      onWillReceiveMessage: (m: unknown) => observe(m, 'toAdapter'),
      onDidSendMessage: (m: unknown) => observe(m, 'fromAdapter'),
      onExit: () => this.end(tracked),
      onError: (error) => this.log.warn(`debug session ${session.name}: ${error.message}`),
    };
  }

  /** The tracked session of `id`, else the active one. */
  tracked(id?: string): TrackedSession | undefined {
    const active = vscode.debug.activeDebugSession;
    return (id ? this.sessions.get(id) : undefined) ?? (active ? this.sessions.get(active.id) : undefined);
  }

  /** Whether some tracked session is stopped with its process known. */
  get anyStopped(): boolean {
    return [...this.sessions.values()].some((t) => t.state.stopped && t.state.pid !== undefined);
  }

  /** The PID of a tracked session, asking the user to pick the process when the debugger did not say it. */
  async pidOf(tracked: TrackedSession): Promise<number | undefined> {
    if (tracked.state.pid !== undefined) return tracked.state.pid;
    const reader = this.host.reader() as ReturnType<LiveHost['reader']> & { close?(): void };
    try {
      const pid = await pickProcess(reader);
      if (pid !== undefined) tracked.state.setPid(pid, 'picked');
      return pid;
    } finally {
      reader.close?.();
    }
  }

  private act(tracked: TrackedSession, action: DebuggeeAction): void {
    switch (action.kind) {
      case 'stopped':
        this.stoppedEmitter.fire();
        // The reading blocks the extension host for a moment: after the message has gone on.
        setTimeout(() => void this.stopped(tracked), 0);
        return;
      case 'renamed':
        this.panels.get(tracked.state.pid ?? 0)?.debugUpdate({ renamed: action.stop });
        return;
      case 'continued':
        this.panels.get(tracked.state.pid ?? 0)?.debugUpdate({ continued: true });
        this.stoppedEmitter.fire();
        return;
      case 'ended':
        this.end(tracked);
        return;
      default:
    }
  }

  private async stopped(tracked: TrackedSession): Promise<void> {
    const { state } = tracked;
    const stop = state.lastStop;
    if (!stop || !state.stopped) return;
    if (state.pid === undefined) {
      if (state.remote || tracked.asked) return;
      tracked.asked = true;
      const pick = vscode.l10n.t('Pick the Process…');
      const choice = await vscode.window.showInformationMessage(
        vscode.l10n.t('The debugger of "{0}" did not say which process it debugs. Pick it to follow its address space at every stop.', tracked.session.name), pick);
      if (choice !== pick || (await this.pidOf(tracked)) === undefined) return;
      this.stoppedEmitter.fire();
    }
    const pid = state.pid as number;
    const open = this.panels.get(pid);
    if (!open && !vscode.workspace.getConfiguration().get<boolean>(OPEN_AT_STOP_SETTING, true)) return;
    const panel = open ?? this.panels.open(pid, true);
    if (open && !open.panel.visible) open.panel.reveal(undefined, true);
    panel.debugStop(state.lastStop ?? stop);
    this.log.info(`debug session ${tracked.session.name}: stop ${stop.stop} (${stop.reason}) of pid ${pid} read`);
  }

  private end(tracked: TrackedSession): void {
    if (!this.sessions.has(tracked.session.id)) return;
    this.sessions.delete(tracked.session.id);
    if (tracked.state.pid !== undefined) this.panels.get(tracked.state.pid)?.debugUpdate({ continued: true });
    this.stoppedEmitter.fire();
  }

  dispose(): void {
    this.sessions.clear();
    this.stoppedEmitter.dispose();
  }
}
