import type * as vscode from 'vscode';
import type { RenderedParams, Reply } from '../webview/protocol';
import type { TabName } from '../webview/scenario/protocol';
import type { ElfView, ViewRegistry } from './elf-editor/view-registry';
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

export function makeApi(views: ViewRegistry, scenarios: ScenarioSessions): AddressSpaceExplorerApi {
  const panel = () => {
    const p = scenarioPanelOf(scenarios);
    if (!p) throw new Error('the scenario panel is not registered');
    return p;
  };
  return {
    scenarios,
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
