import * as vscode from 'vscode';
import type { ScenarioRun } from '../../simulator/scenario/run';
import {
  parseWebviewMessage, type HostEvent, type Methods, type PanelEvent, type PanelFocus, type PanelStatus, type Prefetched, type RenderedReport, type Request, type TabName,
} from '../../webview/scenario/protocol';
import { WebviewChannel } from '../elf-editor/webview-channel';
import { SCENARIO_PANEL_VIEW_TYPE } from '../identifiers';
import { webviewHtml, webviewRoot } from '../elf-editor/webview-html';
import { revealLine } from '../scenario/reveal-line';
import type { ScenarioSession } from '../scenario/scenario-session';
import type { ScenarioSessions } from '../scenario/scenario-sessions';
import { prefetchViews } from './panel-prefetch';
import { onTheWire } from './panel-wire';
import { panelStatus } from './panel-status';
import { isViewMethod, RunViews, StaleRunError } from './panel-views';
import { applyPokeEdit } from './toy6-poke-edit';

export type PanelChannel = WebviewChannel<Request, PanelEvent, HostEvent>;

/** The panel's last paint, as it reported it, with the host's time of the report. */
export type PanelRender = RenderedReport & { readonly at: number };

/**
 * The scenario panel beside the editor: it follows the active scenario session and its step,
 * answers the webview's requests with view models of that step, and moves the step (and so the
 * editor's cursor) when the panel asks.
 */
/**
 * How long a text change or a run's progress waits before the panel hears of it: a keystroke's
 * re-run usually ends first, and then one status says it all.
 */
const COALESCE_MS = 50;

export class ScenarioPanel implements vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  private channel?: PanelChannel;
  private session?: ScenarioSession;
  private sessionSubscriptions: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private readonly runViews = new WeakMap<ScenarioRun, RunViews>();
  private nextRunId = 1;
  private statusTimer?: ReturnType<typeof setTimeout>;
  private readonly renderEmitter = new vscode.EventEmitter<PanelRender>();
  /** Fired when the panel reports a paint. */
  readonly onDidRender = this.renderEmitter.event;
  lastRender?: PanelRender;
  /** What the panel shows (it reports every change): its views go with each status. */
  private focus?: PanelFocus;
  /** The last status posted, with the focus and visibility its views were chosen for. */
  private lastSaid?: string;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly sessions: ScenarioSessions,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      this.renderEmitter,
      sessions.onDidChangeActive((session) => session && this.follow(session)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.session && e.document.uri.toString() === this.session.uri.toString()) this.postStatusSoon(COALESCE_MS);
      }),
    );
    if (sessions.active) this.follow(sessions.active);
  }

  get visible(): boolean {
    return this.panel?.visible ?? false;
  }

  /** Shows the panel beside the editor, making it the first time. */
  show(): void {
    if (this.panel) {
      this.panel.reveal(undefined, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(SCENARIO_PANEL_VIEW_TYPE, 'Scenario', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [webviewRoot(this.extensionUri)],
    });
    this.attach(panel);
  }

  /** Takes over a panel: a new one, or one VS Code restored after a reload (WebviewPanelSerializer). */
  attach(panel: vscode.WebviewPanel): void {
    if (this.panel && this.panel !== panel) this.panel.dispose();
    this.panel = panel;
    this.focus = undefined;
    this.lastSaid = undefined;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'aspace-file.svg');
    panel.webview.options = { enableScripts: true, localResourceRoots: [webviewRoot(this.extensionUri)] };
    const channel: PanelChannel = new WebviewChannel<Request, PanelEvent, HostEvent>(panel.webview, {
      parse: parseWebviewMessage,
      handle: (request) => this.handle(request),
      onEvent: (event) => {
        if (event.event === 'focus') this.focus = event.params;
        else this.rendered(event.params);
      },
      expected: (error) => error instanceof StaleRunError,
    }, this.log);
    this.channel = channel;
    const listening = channel.listen();
    panel.onDidDispose(() => {
      listening.dispose();
      if (this.panel === panel) {
        this.panel = undefined;
        this.channel = undefined;
      }
    });
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, 'scenario');
    this.updateTitle();
  }

  /** The host's end of the channel, for tests: delivers a message as if the webview had sent it. */
  respond(message: unknown) {
    if (!this.channel) throw new Error('the scenario panel is not open');
    return this.channel.respond(message);
  }

  /** Walks an address in the panel's page-table tab (an address selected in an editor). */
  showAddress(address: string, process: string | null): void {
    void this.channel?.post({ kind: 'event', event: 'showAddress', params: { address, process } });
  }

  /** Switches the panel to a tab. */
  showTab(tab: TabName): void {
    void this.channel?.post({ kind: 'event', event: 'showTab', params: { tab } });
  }

  private follow(session: ScenarioSession): void {
    if (session === this.session) return;
    for (const d of this.sessionSubscriptions.splice(0)) d.dispose();
    this.session = session;
    this.sessionSubscriptions.push(
      // A finished run is posted at once, not after a timer (its status says all a keystroke changed).
      session.onDidRun(() => this.postStatus()),
      session.onDidProgress(() => this.postStatusSoon(COALESCE_MS)),
      // A step change is what the cursor moves; it is posted at once, not coalesced with a timer.
      session.onDidChangeStep(() => this.postStatus()),
    );
    this.updateTitle();
    this.postStatusSoon();
  }

  private updateTitle(): void {
    if (this.panel) this.panel.title = this.session ? `Scenario: ${this.session.uri.path.split('/').pop()}` : 'Scenario';
  }

  private viewsOf(session: ScenarioSession | undefined): RunViews | undefined {
    const run = session?.run;
    if (!run) return undefined;
    let views = this.runViews.get(run);
    if (!views) {
      views = new RunViews(this.nextRunId++, run);
      this.runViews.set(run, views);
    }
    return views;
  }

  status(): PanelStatus {
    const session = this.session;
    const document = session && this.sessions.documentOf(session);
    const stale = !!(session?.run && document && !session.isCurrent(document));
    return panelStatus(session, this.viewsOf(session), stale);
  }

  private postStatus(): void {
    clearTimeout(this.statusTimer);
    this.statusTimer = undefined;
    if (!this.channel) return;
    try {
      const status = this.status();
      // A run's end and the step it moves the cursor's line to say the same: one message is enough.
      const said = JSON.stringify([status, this.focus, this.visible]);
      if (said === this.lastSaid) return;
      this.lastSaid = said;
      void this.channel.post({ kind: 'event', event: 'status', params: status, views: this.prefetch(status) });
    } catch (error) {
      this.log.error(`scenario panel status: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }

  /** The visible tab's views of the status's step (none while the panel is hidden or has not said what it shows). */
  private prefetch(status: PanelStatus): Prefetched[] {
    const views = this.viewsOf(this.session);
    if (!this.focus || !this.visible || !views || views.id !== status.run) return [];
    try {
      return prefetchViews(views, status, this.focus).map((view) => ({ ...view, result: onTheWire(view.method, view.result) }) as Prefetched);
    } catch (error) {
      this.log.warn(`scenario panel prefetch: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  }

  /** Posts the status after `delayMs`, with whatever else changes meanwhile (a finished run or a step posts at once). */
  private postStatusSoon(delayMs = 0): void {
    if (this.statusTimer === undefined) this.statusTimer = setTimeout(() => this.postStatus(), delayMs);
  }

  private rendered(report: RenderedReport): void {
    this.lastRender = { ...report, at: Date.now() };
    this.renderEmitter.fire(this.lastRender);
  }

  private async handle(request: Request): Promise<unknown> {
    const session = this.session;
    switch (request.method) {
      case 'status':
        return this.status();
      case 'setStep': {
        const views = this.viewsOf(session);
        if (!session || !views || views.id !== request.params.run) throw new StaleRunError();
        session.setStep(request.params.step, 'panel');
        return { step: session.stepIndex } satisfies Methods['setStep']['result'];
      }
      case 'setLine': {
        const views = this.viewsOf(session);
        if (!session || !views || views.id !== request.params.run) throw new StaleRunError();
        session.setStep(session.stepAtLine(request.params.line), 'panel');
        return { step: session.stepIndex } satisfies Methods['setLine']['result'];
      }
      case 'reveal':
        if (!session) throw new Error('no scenario is followed');
        await revealLine(session.uri, request.params.line);
        return {};
      case 'runScenario':
        await this.runFollowed();
        return {};
      case 'editPte': {
        const views = this.viewsOf(session);
        const toy6 = views?.run.toy6;
        if (!session || !views || !toy6 || views.id !== request.params.run) throw new StaleRunError();
        await applyPokeEdit(session.uri, toy6, views.clamp(request.params.step), request.params.address, request.params.value);
        return {};
      }
      default: {
        if (!isViewMethod(request.method)) throw new Error(`unhandled method ${request.method}`);
        const views = this.viewsOf(session);
        if (!views) throw new StaleRunError();
        return onTheWire(request.method, views.answer(request.method, request.params as never));
      }
    }
  }

  /** Runs the followed scenario with progress in a notification (cancellable); the session reports it to the panel too. */
  async runFollowed(): Promise<void> {
    const session = this.session;
    if (!session) throw new Error('no scenario is followed: open a .aspace file');
    const document = this.sessions.documentOf(session) ?? (await vscode.workspace.openTextDocument(session.uri));
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Running {0}', session.uri.path.split('/').pop() ?? ''), cancellable: true }, (progress, token) =>
      session.runDocument(document, progress, token),
    );
  }

  dispose(): void {
    clearTimeout(this.statusTimer);
    for (const d of this.sessionSubscriptions.splice(0)) d.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel?.dispose();
  }
}
