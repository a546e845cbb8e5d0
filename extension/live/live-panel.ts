import * as vscode from 'vscode';
import type { ProcReader } from '../../simulator/live';
import {
  parseLiveWebviewMessage, REFRESH_INTERVALS, type HostEvent, type LiveEvent, type LiveOptions, type LiveRenderedReport, type LiveReveal, type Request,
} from '../../webview/live/protocol';
import type { DebugStop } from '../../simulator/live/debuggee';
import { WebviewChannel } from '../elf-editor/webview-channel';
import { SIMULATE_PROCESS } from '../identifiers';
import { COMMANDS } from '../scenario/commands/command-ids';
import { webviewHtml, webviewRoot } from '../elf-editor/webview-html';
import { LiveSession, StaleReadingError } from './live-session';

export const REFRESH_SETTING = 'addressSpaceExplorer.live.refreshInterval';
export const FREEZE_SETTING = 'addressSpaceExplorer.live.freezeWhileReading';

/** The options a new view starts with: the user's settings. */
export function liveOptionsFromSettings(): LiveOptions {
  const config = vscode.workspace.getConfiguration();
  const interval = config.get<number>(REFRESH_SETTING, 5);
  return {
    intervalSec: (REFRESH_INTERVALS as readonly number[]).includes(interval) ? interval : 5,
    freeze: config.get<boolean>(FREEZE_SETTING, false),
  };
}

/** A live view's last paint, as it reported it, with the host's time of the report. */
export type LiveRender = LiveRenderedReport & { readonly at: number };

/**
 * The live view of one process: a webview panel whose requests the session answers, read again
 * on Refresh and every `intervalSec` seconds while the panel is visible.
 */
export class LivePanel implements vscode.Disposable {
  readonly session: LiveSession;
  private readonly channel: WebviewChannel<Request, LiveEvent, HostEvent>;
  private readonly disposables: vscode.Disposable[] = [];
  private timer?: ReturnType<typeof setTimeout>;
  /** How long the last reading took (ms): readings are synchronous, so the next waits at least 4 times that. */
  private lastReadMs = 0;
  private readonly renderEmitter = new vscode.EventEmitter<LiveRender>();
  readonly onDidRender = this.renderEmitter.event;
  lastRender?: LiveRender;
  private disposed = false;
  /** The last Show in Address Space, posted again to a webview that (re)loads: a hidden one is discarded and its events lost. */
  private lastReveal?: LiveReveal;

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly reader: ProcReader & { close?(): void },
    pid: number,
    options: LiveOptions,
    log: vscode.LogOutputChannel,
  ) {
    this.session = new LiveSession(reader, pid, options);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'aspace-file.svg');
    panel.webview.options = { enableScripts: true, localResourceRoots: [webviewRoot(extensionUri)] };
    this.channel = new WebviewChannel<Request, LiveEvent, HostEvent>(panel.webview, {
      parse: parseLiveWebviewMessage,
      handle: (request) => this.handle(request),
      onEvent: (event) => {
        this.lastRender = { ...event.params, at: Date.now() };
        this.renderEmitter.fire(this.lastRender);
      },
      expected: (error) => error instanceof StaleReadingError,
    }, log);
    this.disposables.push(this.channel.listen(), this.renderEmitter, panel.onDidChangeViewState(() => this.schedule()));
    panel.onDidDispose(() => this.dispose());
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'live');
    this.refreshSoon();
    this.schedule();
  }

  /** Delivers a message as if the webview had sent it (tests); resolves with the reply. */
  respond(message: unknown) {
    return this.channel.respond(message);
  }

  /** Reads the process on the next tick (the read is synchronous: the command returns first). */
  refreshSoon(): Promise<void> {
    return new Promise((resolve) => setTimeout(() => {
      this.refresh();
      resolve();
    }, 0));
  }

  refresh(): void {
    if (this.disposed) return;
    const started = Date.now();
    this.session.read();
    this.lastReadMs = Date.now() - started;
    this.posted();
  }

  /** The title and the status after a reading. */
  private posted(): void {
    this.panel.title = `${this.session.name} (${this.session.pid})${this.session.exited ? ' · exited' : ''}`;
    void this.channel.post({ kind: 'event', event: 'status', params: this.session.status() });
    if (this.session.exited) this.stopTimer();
  }

  /** A debugger stopped the process (extension/debug/): read it now and say which session and thread. */
  debugStop(stop: DebugStop): void {
    if (this.disposed) return;
    this.session.markStop(stop);
    this.posted();
  }

  /** The stop's thread was named, or the debuggee runs again. */
  debugUpdate(update: { readonly renamed: DebugStop } | { readonly continued: true }): void {
    if (this.disposed) return;
    if ('renamed' in update) this.session.renameStop(update.renamed);
    else this.session.debugContinued();
    void this.channel.post({ kind: 'event', event: 'status', params: this.session.status() });
  }

  /** Show in Address Space: selects the region and shows the translation. */
  reveal(reveal: LiveReveal): void {
    this.lastReveal = reveal;
    if (!this.disposed) void this.channel.post({ kind: 'event', event: 'reveal', params: reveal });
  }

  /**
   * Auto-refresh runs while the panel is visible and the process is alive. A reading blocks the
   * extension host while it runs, so a large process is read at most a fifth of the time.
   */
  private schedule(): void {
    this.stopTimer();
    const seconds = this.session.options.intervalSec;
    if (seconds <= 0 || !this.panel.visible || this.session.exited || this.disposed) return;
    this.timer = setTimeout(() => {
      this.refresh();
      this.schedule();
    }, Math.max(seconds * 1000, this.lastReadMs * 4));
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async handle(request: Request): Promise<unknown> {
    const s = this.session;
    switch (request.method) {
      case 'status': {
        const reveal = this.lastReveal;
        if (reveal) setTimeout(() => void this.channel.post({ kind: 'event', event: 'reveal', params: reveal }), 0);
        return s.status();
      }
      case 'regions':
        return s.regions(request.params.run);
      case 'smaps':
        return s.smaps(request.params.run, request.params.region);
      case 'pages':
        return s.pages(request.params.run, request.params.region);
      case 'page':
        return s.page(request.params.run, request.params.address);
      case 'timeline':
        return s.timeline();
      case 'diff':
        return s.diff(request.params.run);
      case 'refresh':
        this.refresh();
        return {};
      case 'setOptions':
        s.options = request.params;
        this.schedule();
        void this.channel.post({ kind: 'event', event: 'status', params: s.status() });
        return {};
      case 'simulate':
        void vscode.commands.executeCommand(SIMULATE_PROCESS, s.pid);
        return {};
      case 'compareTwin':
        void vscode.commands.executeCommand(COMMANDS.compareWithRealSmaps, { pid: s.pid });
        return {};
      case 'snapshot':
        s.takeSnapshot(request.params.clear);
        void this.channel.post({ kind: 'event', event: 'status', params: s.status() });
        return {};
      default:
        throw new Error(`unhandled method ${(request as { method: string }).method}`);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stopTimer();
    for (const d of this.disposables.splice(0)) d.dispose();
    // The pagemap and kpage files the reader holds open.
    this.reader.close?.();
    this.panel.dispose();
  }
}
