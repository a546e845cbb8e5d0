import type * as vscode from 'vscode';
import type { RenderedParams, Reply } from '../webview/protocol';
import type { TabName } from '../webview/scenario/protocol';
import type { ElfView, ViewRegistry } from './elf-editor/view-registry';
import type { LivePanels } from './live/live-commands';
import type { LiveRender } from './live/live-panel';
import { scenarioPanelOf } from './scenario-panel/register-scenario-panel';
import type { PanelRender } from './scenario-panel/scenario-panel';
import type { ScenarioSessions } from './scenario/scenario-sessions';

/** An open ELF view as the API reports it. */
export interface ViewInfo {
  readonly uri: string;
  readonly active: boolean;
  /** The view's last paint of the header and the layout. */
  readonly rendered?: RenderedParams & { readonly at: number };
}

/**
 * What `activate` returns (`extensions.getExtension(…).exports`): the open views and what they
 * painted, and the host's end of their message channel. The integration tests and the
 * benchmark use it to watch real views without reaching into them.
 */
export interface AddressSpaceExplorerApi {
  views(): ViewInfo[];
  readonly onDidRender: vscode.Event<ViewInfo>;
  /** Delivers `message` to the view of `uri` as if its webview had sent it; resolves with the reply. */
  deliver(uri: vscode.Uri, message: unknown): Promise<Reply | undefined>;
  /** The scenario documents' sessions: their runs and current steps. */
  readonly scenarios: ScenarioSessions;
  /** The scenario panel: its last paint, and its channel as the webview would use it. */
  readonly scenarioPanel: ScenarioPanelProbe;
  /** The live views of processes (undefined in VS Code for the Web). */
  readonly live: LiveProbe | undefined;
}

export interface LiveProbe {
  /** The last paint of the live view of `pid`, if it is open. */
  lastRender(pid: number): LiveRender | undefined;
  readonly onDidRender: vscode.Event<LiveRender>;
  /** Delivers `message` to the host end of the view of `pid` as if its webview had sent it. */
  deliver(pid: number, message: unknown): Promise<Reply | undefined>;
  /** Reads the process of an open view again. */
  refresh(pid: number): void;
}

export interface ScenarioPanelProbe {
  lastRender(): PanelRender | undefined;
  readonly onDidRender: vscode.Event<PanelRender>;
  /** Delivers `message` to the panel's host end as if its webview had sent it; resolves with the reply. */
  deliver(message: unknown): Promise<Reply | undefined>;
  /** Switches the open panel to a tab. */
  showTab(tab: TabName): void;
}

const info = (v: ElfView): ViewInfo => ({
  uri: v.document.uri.toString(),
  active: v.panel.active,
  rendered: v.rendered,
});

export function makeApi(views: ViewRegistry, scenarios: ScenarioSessions, live?: LivePanels): AddressSpaceExplorerApi {
  const panel = () => {
    const p = scenarioPanelOf(scenarios);
    if (!p) throw new Error('the scenario panel is not registered');
    return p;
  };
  const liveView = (pid: number) => {
    const view = live?.get(pid);
    if (!view) throw new Error(`no live view of pid ${pid} is open`);
    return view;
  };
  return {
    scenarios,
    live: live && {
      lastRender: (pid) => live.get(pid)?.lastRender,
      onDidRender: (listener, thisArgs, disposables) => live.onDidRender(listener, thisArgs, disposables),
      deliver: async (pid, message) => liveView(pid).respond(message),
      refresh: (pid) => liveView(pid).refresh(),
    },
    scenarioPanel: {
      lastRender: () => panel().lastRender,
      onDidRender: (listener, thisArgs, disposables) => panel().onDidRender(listener, thisArgs, disposables),
      deliver: async (message) => panel().respond(message),
      showTab: (tab) => panel().showTab(tab),
    },
    views: () => views.all().map(info),
    onDidRender: (listener, thisArgs, disposables) => views.onDidRender((v) => listener.call(thisArgs, info(v)), undefined, disposables),
    deliver: async (uri, message) => {
      const view = views.all().find((v) => v.document.uri.toString() === uri.toString());
      if (!view) throw new Error(`no ELF view of ${uri.toString()} is open`);
      return view.channel.respond(message);
    },
  };
}
