import type { RegionRow } from '../../simulator/inspect/view-models';
import { h } from '../dom';
import type { PanelStatus } from '../scenario/protocol';
import { pickRegion } from '../scenario/selection';
import { ProcessesView } from '../scenario/views/processes-view';
import type { PanelActions, TabContext } from '../scenario/views/tab-view';
import { TimelineChartView } from '../scenario/views/timeline-view';
import { NO_LINKS } from '../selection';
import { AddressMapView } from '../views/address-map-view';
import type { VsCodeApi } from '../vscode-api';
import { borrowedViewClient, type LiveClient } from './live-client';
import { liveLayout } from './live-map';
import { LIVE_TABS, MAX_REPORTED, type LiveReveal, type LiveTab, type LiveViewStatus } from './protocol';
import { DebugBanner } from './views/debug-banner';
import { DiffPane } from './views/diff-view';
import { LiveHeader } from './views/live-header';
import { LivePagesPane } from './views/live-pages-view';
import { LiveSmapsPane } from './views/live-smaps-view';

const TAB_TITLES: Readonly<Record<LiveTab, string>> = { maps: 'Maps', smaps: 'smaps', pages: 'Pages', timeline: 'Timeline', diff: 'Diff' };
/** Above this many VMAs the address-space map (one element per VMA) is left out; the maps table is virtualized. */
const MAP_LIMIT = 4000;

interface SavedLiveState {
  readonly tab: LiveTab;
  /** The selected region, by an address in it (VMAs come and go between readings). */
  readonly region: string | null;
}

const afterPaint = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
const time = (ms: number) => new Date(ms).toLocaleTimeString('en-GB');

function loadState(api: VsCodeApi): SavedLiveState {
  const s = api.getState() as Partial<SavedLiveState> | undefined;
  return {
    tab: s && (LIVE_TABS as readonly unknown[]).includes(s.tab) ? (s.tab as LiveTab) : 'maps',
    region: typeof s?.region === 'string' && /^0x[0-9a-f]{1,16}$/.test(s.region) ? s.region : null,
  };
}

/**
 * The live view of a real process: the header (Refresh, auto-refresh, freeze, snapshot), the
 * address-space map, and the tabs: the maps table and the timeline are the scenario panel's own
 * views fed with live view models; smaps, pages and diff are live panes.
 */
export class LiveApp {
  private state: SavedLiveState;
  private status?: LiveViewStatus;
  private rows: RegionRow[] = [];
  private rowsRun = 0;
  private generation = 0;
  private readonly header: LiveHeader;
  private readonly map: AddressMapView;
  private readonly mapNote = h('p', { class: 'hint', hidden: true });
  private readonly maps: ProcessesView;
  private readonly smaps = new LiveSmapsPane();
  private readonly pages = new LivePagesPane();
  private readonly timeline: TimelineChartView;
  private readonly diff = new DiffPane();
  private readonly debugBanner = new DebugBanner(() => this.showTab('diff'));
  private readonly panels = Object.fromEntries(LIVE_TABS.map((t) => [t, h('vscode-tab-panel', { 'data-tab': t }) as HTMLElement])) as Record<LiveTab, HTMLElement>;
  private readonly tabs: HTMLElement & { selectedIndex: number };
  private readonly borrowed: ReturnType<typeof borrowedViewClient>;

  constructor(
    private readonly root: HTMLElement,
    private readonly client: LiveClient,
    private readonly api: VsCodeApi,
  ) {
    this.state = loadState(api);
    this.borrowed = borrowedViewClient(client);
    const actions: PanelActions = {
      selectProcess: () => undefined,
      selectRegion: (row) => this.selectRegion(row.start),
      reveal: () => undefined,
      walk: () => undefined,
      setStep: () => undefined,
      setLine: () => undefined,
    };
    this.header = new LiveHeader({
      refresh: () => void this.client.request('refresh', {}).catch((e: unknown) => console.warn(e)),
      setOptions: (options) => void this.client.request('setOptions', options).catch((e: unknown) => console.warn(e)),
      snapshot: (clear) => void this.client.request('snapshot', { clear }).catch((e: unknown) => console.warn(e)),
      simulate: () => void this.client.request('simulate', {}).catch((e: unknown) => console.warn(e)),
      compareTwin: () => void this.client.request('compareTwin', {}).catch((e: unknown) => console.warn(e)),
    });
    this.map = new AddressMapView((index) => {
      const row = this.rows[index];
      if (row) this.selectRegion(row.start);
    });
    this.maps = new ProcessesView(actions, false);
    this.timeline = new TimelineChartView(actions, (n) => `reading ${n}`);
    this.panels.maps.append(this.maps.element);
    this.panels.smaps.append(this.smaps.element);
    this.panels.pages.append(this.pages.element);
    this.panels.timeline.append(this.timeline.element);
    this.panels.diff.append(this.diff.element);
    this.tabs = h('vscode-tabs', { 'selected-index': LIVE_TABS.indexOf(this.state.tab), class: 'tabs' },
      ...LIVE_TABS.flatMap((t) => [h('vscode-tab-header', { slot: 'header', 'data-tab': t }, TAB_TITLES[t]), this.panels[t]]),
    ) as HTMLElement & { selectedIndex: number };
    this.tabs.addEventListener('vsc-tabs-select', (e) => {
      const tab = LIVE_TABS[(e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex];
      if (tab && tab !== this.state.tab) {
        this.save({ tab });
        void this.refresh();
      }
    });
    this.header.element.append(this.debugBanner.element);
    client.onEvent((e) => (e.event === 'reveal' ? this.onReveal(e.params) : this.onStatus(e.params)));
  }

  async start(): Promise<void> {
    this.root.replaceChildren(this.header.element, h('div', { class: 'workspace live-workspace' }, h('div', { class: 'live-map' }, this.mapNote, this.map.element), this.tabs));
    try {
      this.onStatus(await this.client.request('status', {}));
    } catch (error) {
      this.root.prepend(h('div', { class: 'banner error', role: 'alert' }, `The extension did not answer: ${error instanceof Error ? error.message : String(error)}`));
    }
  }

  private onStatus(status: LiveViewStatus): void {
    this.status = status;
    this.header.show(status);
    this.debugBanner.show(status.debug);
    void this.refresh();
  }

  /** Show in Address Space: the region selected, the translation said. */
  private onReveal(reveal: LiveReveal): void {
    this.debugBanner.reveal(reveal);
    this.selectRegion(reveal.start);
  }

  private showTab(tab: LiveTab): void {
    this.tabs.selectedIndex = LIVE_TABS.indexOf(tab);
    this.save({ tab });
    void this.refresh();
  }

  private save(change: Partial<SavedLiveState>): void {
    this.state = { ...this.state, ...change };
    this.api.setState(this.state);
  }

  private selectRegion(start: string): void {
    this.save({ region: start });
    void this.refresh();
  }

  /** A scenario-panel status for the borrowed views: one process, one step, the readings as the timeline's "lines". */
  private panelStatus(status: LiveViewStatus): PanelStatus {
    return {
      document: null, run: status.run, state: 'ready', progress: null, problems: [], stale: false, step: 0, steps: 1,
      line: status.samples, text: '', processes: status.processes, failures: [],
    };
  }

  /** Paints the map and the visible tab for the latest reading and the selection, then reports the paint. */
  private async refresh(): Promise<void> {
    const generation = ++this.generation;
    const current = () => generation === this.generation;
    const status = this.status;
    if (!status) return;
    if (status.run > 0 && this.rowsRun !== status.run) {
      try {
        const { rows } = await this.client.request('regions', { run: status.run, step: 0, process: status.name });
        if (!current()) return;
        this.rows = rows;
        this.rowsRun = status.run;
        const tooMany = rows.length > MAP_LIMIT;
        this.mapNote.hidden = !tooMany;
        this.mapNote.textContent = tooMany ? `${rows.length.toLocaleString('en-US')} VMAs: the map is left out; the Maps tab lists them all.` : '';
        this.map.show(tooMany ? { kind: 'not-executable', reason: '' } : liveLayout(rows));
      } catch {
        // A newer reading came meanwhile: its status repaints.
        return;
      }
    }
    const region = this.rows.length ? pickRegion(this.rows, this.state.region) : undefined;
    this.map.highlight(NO_LINKS, region ? region.index : -1);
    const at = status.run > 0 && region ? { run: status.run, process: status.name, region: region.index } : null;
    const tab = this.state.tab;
    switch (tab) {
      case 'maps': {
        const context: TabContext = { status: this.panelStatus(status), at: { run: status.run, step: 0 }, process: status.name, rows: this.rows, region, client: this.borrowed, current };
        await this.maps.update(context);
        break;
      }
      case 'smaps':
        await this.smaps.update(this.client, at, current);
        break;
      case 'pages':
        await this.pages.update(this.client, at, region?.mapsLine ?? '', region?.pages ?? 0, current);
        break;
      case 'timeline':
        if (status.run > 0) await this.timeline.update({ status: this.panelStatus(status), at: { run: status.run, step: 0 }, process: status.name, rows: this.rows, region, client: this.borrowed, current });
        break;
      case 'diff':
        await this.diff.update(this.client, status.run, current);
        break;
    }
    await afterPaint();
    if (!current()) return;
    document.body.dataset.painted = `${status.run}:${tab}`;
    document.title = `${status.name} (${status.pid}) read at ${status.readAt ? time(status.readAt) : '—'}`;
    this.client.rendered({
      pid: status.pid, run: status.run, tab, region: region?.start ?? null, regionCount: this.rows.length,
      regions: this.rows.slice(0, MAX_REPORTED).map((r) => [r.start, r.end] as const),
      smaps: tab === 'smaps' ? this.smaps.shown.map((f) => ({ name: f.name, kb: f.kb })) : [],
      error: this.header.errorText,
    });
  }
}
