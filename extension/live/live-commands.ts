import * as vscode from 'vscode';
import type { FileAccess } from '../../simulator/elf';
import type { ProcReader } from '../../simulator/live';
import { LIVE_VIEW_TYPE, OPEN_PROCESS } from '../identifiers';
import { LivePanel, liveOptionsFromSettings, type LiveRender } from './live-panel';
import { pickProcess } from './process-pick';

/** What a host that can read live processes (the desktop's Node host) provides. */
export interface LiveHost {
  reader(): ProcReader;
  /** Opens a file a process maps, for its symbols (Show in Address Space); closed after use. */
  openFile?(path: string): Promise<FileAccess & { close(): void }>;
  /** The executable of process `pid` (readlink /proc/PID/exe), when it can be read. */
  executable?(pid: number): string | undefined;
}

/** Said by the web host (VS Code for the Web), where the extension runs in a browser with no /proc. */
export const NEEDS_DESKTOP = 'Address Space: Open Process… needs VS Code on the desktop (or a remote window): live processes are read from /proc of the machine the extension runs on, and VS Code for the Web runs the extension in the browser, which has no /proc.';

/** The open live views, one per process. */
export class LivePanels implements vscode.Disposable {
  private readonly panels = new Map<number, LivePanel>();
  private readonly renderEmitter = new vscode.EventEmitter<LiveRender>();
  /** Fired when any live view reports a paint. */
  readonly onDidRender = this.renderEmitter.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly host: LiveHost,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /**
   * Opens (or reveals) the live view of `pid`. `beside`: in the column beside the editor, the focus
   * left where it is, and no reading now (a debug stop reads it itself).
   */
  open(pid: number, beside = false): LivePanel {
    const open = this.panels.get(pid);
    if (open) {
      open.panel.reveal(beside ? undefined : open.panel.viewColumn, beside);
      if (!beside) void open.refreshSoon();
      return open;
    }
    const show = beside ? { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true } : vscode.ViewColumn.Active;
    const webview = vscode.window.createWebviewPanel(LIVE_VIEW_TYPE, `pid ${pid}`, show, { enableScripts: true });
    const panel = new LivePanel(webview, this.extensionUri, this.host.reader(), pid, liveOptionsFromSettings(), this.log);
    this.panels.set(pid, panel);
    const rendered = panel.onDidRender((r) => this.renderEmitter.fire(r));
    webview.onDidDispose(() => {
      rendered.dispose();
      if (this.panels.get(pid) === panel) this.panels.delete(pid);
    });
    return panel;
  }

  get(pid: number): LivePanel | undefined {
    return this.panels.get(pid);
  }

  /** The live view in the active editor group's active tab, if it is one. */
  active(): LivePanel | undefined {
    return [...this.panels.values()].find((p) => p.panel.active);
  }

  dispose(): void {
    for (const panel of this.panels.values()) panel.dispose();
    this.panels.clear();
    this.renderEmitter.dispose();
  }
}

/** A pid from the command's argument (a number, or a numeric string), or undefined to ask. */
function pidArgument(arg: unknown): number | undefined {
  const n = typeof arg === 'number' ? arg : typeof arg === 'string' && /^\d+$/.test(arg.trim()) ? Number(arg) : undefined;
  return n !== undefined && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/**
 * Address Space: Open Process…: picks a process (or takes a pid argument) and opens its live view.
 * Without a live host (VS Code for the Web) the command says plainly that it needs the desktop.
 * Reading /proc does not depend on the workspace's content, so it stays available in Restricted Mode.
 */
export function registerLiveCommands(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, host: LiveHost | undefined): { panels?: LivePanels; disposables: vscode.Disposable[] } {
  if (!host) {
    return { disposables: [vscode.commands.registerCommand(OPEN_PROCESS, () => void vscode.window.showErrorMessage(NEEDS_DESKTOP))] };
  }
  const panels = new LivePanels(context.extensionUri, host, log);
  const open = async (arg?: unknown): Promise<number | undefined> => {
    let pid = pidArgument(arg);
    if (pid === undefined) {
      const reader: ProcReader & { close?(): void } = host.reader();
      try {
        pid = await pickProcess(reader);
      } finally {
        reader.close?.();
      }
    }
    if (pid === undefined) return undefined;
    panels.open(pid);
    return pid;
  };
  return { panels, disposables: [panels, vscode.commands.registerCommand(OPEN_PROCESS, open)] };
}
