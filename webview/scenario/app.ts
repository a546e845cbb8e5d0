import type { RegionRow } from '../../simulator/inspect/view-models';
import { h, icon } from '../dom';
import type { VsCodeApi } from '../vscode-api';
import type { PanelClient } from './panel-client';
import { INITIAL_PANEL_STATE, loadPanelState, savePanelState, type PanelState } from './panel-state';
import { TABS, type HostEvent, type PanelStatus, type TabName } from './protocol';
import { pickProcess, pickRegion, processClick } from './selection';
import { FaultsView } from './views/faults-view';
import { LruListsView } from './views/lru-view';
import { PagesView } from './views/pages-view';
import { PagetableView } from './views/pagetable-view';
import { PhysicalMemoryView } from './views/physical-view';
import { ProcessesView } from './views/processes-view';
import { SmapsView } from './views/smaps-view';
import { scrollableTabStrip } from './tab-strip';
import { StepHeader } from './views/step-header';
import { errorText, type PanelActions, type TabContext, type TabView } from './views/tab-view';
import { TimelineChartView } from './views/timeline-view';

const TAB_TITLES: Readonly<Record<TabName, string>> = {
  processes: 'Processes', smaps: 'smaps', pages: 'Pages', pagetable: 'Page table', physical: 'Physical memory', lru: 'LRU', timeline: 'Timeline', faults: 'Faults',
};

/** Paint times the benchmark reads: when each step's paint reached the screen (epoch ms, fractional). */
export interface PaintRecord {
  readonly run: number;
  readonly step: number;
  readonly tab: TabName;
  readonly at: number;
}

const afterPaint = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
const now = () => performance.timeOrigin + performance.now();

/**
 * The scenario panel: the step header and the tabs. Each step change renders only the visible
 * tab, from view models the host computes on demand; late answers for an older step are dropped.
 */
export class ScenarioApp {
  private state: PanelState;
  private readonly restored: boolean;
  private status?: PanelStatus;
  private readonly header: StepHeader;
  /** The tabs' views (the benchmark reads the pages grid's draw times through them). */
  readonly views: Readonly<Record<TabName, TabView>>;
  private readonly pagetable: PagetableView;
  private readonly smaps: SmapsView;
  private readonly panels = Object.fromEntries(TABS.map((t) => [t, h('vscode-tab-panel', { 'data-tab': t }) as HTMLElement])) as Record<TabName, HTMLElement>;
  private readonly tabs: HTMLElement & { selectedIndex: number };
  private readonly placeholder = h('div', { class: 'placeholder' });
  private generation = 0;
  private rows?: { run: number; step: number; process: string; rows: RegionRow[] };
  readonly paints: PaintRecord[] = [];

  constructor(
    private readonly root: HTMLElement,
    private readonly client: PanelClient,
    private readonly api: VsCodeApi,
  ) {
    const saved = loadPanelState(api);
    this.restored = saved !== undefined;
    this.state = saved ?? INITIAL_PANEL_STATE;
    const actions: PanelActions = {
      selectProcess: (name) => this.select(processClick(name)),
      selectRegion: (row) => this.select({ region: row.start }),
      reveal: (line) => void this.client.request('reveal', { line }).catch((e: unknown) => console.warn(errorText(e))),
      walk: (address) => this.walk(address),
      setStep: (step) => this.setStep(step),
      setLine: (line) => {
        if (this.status?.run) void this.client.request('setLine', { run: this.status.run, line }).catch(() => undefined);
      },
    };
    this.header = new StepHeader({
      step: (delta) => this.status && this.setStep(this.status.step + delta),
      run: () => void this.client.request('runScenario', {}).catch((e: unknown) => console.warn(errorText(e))),
      reveal: actions.reveal,
    });
    this.smaps = new SmapsView(actions);
    this.pagetable = new PagetableView({ address: this.state.address, mode: this.state.mode }, () => this.save({ address: this.pagetable.address, mode: this.pagetable.mode }));
    this.views = {
      processes: new ProcessesView(actions),
      smaps: this.smaps,
      pages: new PagesView(actions),
      pagetable: this.pagetable,
      physical: new PhysicalMemoryView(),
      lru: new LruListsView(),
      timeline: new TimelineChartView(actions),
      faults: new FaultsView(actions),
    };
    for (const tab of TABS) this.panels[tab].append(this.views[tab].element);
    this.tabs = h('vscode-tabs', { 'selected-index': TABS.indexOf(this.state.tab), class: 'tabs' },
      ...TABS.flatMap((t) => [h('vscode-tab-header', { slot: 'header', 'data-tab': t }, TAB_TITLES[t]), this.panels[t]]),
    ) as HTMLElement & { selectedIndex: number };
    this.tabs.addEventListener('vsc-tabs-select', (e) => {
      const tab = TABS[(e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex];
      if (tab && tab !== this.state.tab) {
        this.save({ tab });
        void this.refresh();
      }
    });
    void scrollableTabStrip(this.tabs);
    client.onEvent((e) => this.onHostEvent(e));
    document.addEventListener('keydown', (e) => {
      // Alt+[ and Alt+] step through the statements from anywhere in the panel.
      if (!e.altKey || !this.status) return;
      if (e.key === '[') this.setStep(this.status.step - 1);
      else if (e.key === ']') this.setStep(this.status.step + 1);
    });
  }

  async start(): Promise<void> {
    this.root.replaceChildren(this.header.element, this.placeholder, this.tabs);
    this.client.focus(this.state);
    try {
      this.onStatus(await this.client.request('status', {}));
    } catch (error) {
      this.placeholder.replaceChildren(h('div', { class: 'banner error', role: 'alert' }, icon('error'), ` ${errorText(error)}`));
    }
  }

  private onHostEvent(event: HostEvent): void {
    if (event.event === 'status') this.onStatus(event.params);
    else if (event.event === 'showTab') this.showTab(event.params.tab);
    else this.walk(event.params.address, event.params.process);
  }

  private onStatus(status: PanelStatus): void {
    const before = this.status;
    this.status = status;
    this.header.show(status);
    // A toy6 scenario's machine is drawn in the Page table tab: go there when one comes into view.
    if (status.toy6 && (!before?.toy6 || before.document !== status.document) && this.state.tab !== 'pagetable') {
      this.showTab('pagetable');
      return;
    }
    // The same run and step (a status that says the text changed, or that a re-run started): the views are the same.
    if (before && before.run > 0 && before.run === status.run && before.step === status.step && before.document === status.document && !status.toy6) return;
    void this.refresh();
  }

  private save(change: Partial<PanelState>): void {
    const before = this.state;
    this.state = { ...before, ...change };
    savePanelState(this.api, this.state);
    if (Object.entries(change).some(([k, v]) => before[k as keyof PanelState] !== v)) this.client.focus(this.state);
  }

  private select(change: Partial<PanelState>): void {
    this.save(change);
    void this.refresh();
  }

  private setStep(step: number): void {
    const status = this.status;
    if (!status?.run || step < -1 || step >= status.steps || step === status.step) return;
    void this.client.request('setStep', { run: status.run, step }).catch(() => undefined);
  }

  private walk(address: string, process: string | null = null): void {
    if (process) this.save({ process });
    this.pagetable.setAddress(address);
    this.showTab('pagetable');
  }

  private showTab(tab: TabName): void {
    this.save({ tab });
    this.tabs.selectedIndex = TABS.indexOf(tab);
    void this.refresh();
  }

  private async regionRows(status: PanelStatus, process: string): Promise<RegionRow[]> {
    const cached = this.rows;
    if (cached && cached.run === status.run && cached.step === status.step && cached.process === process) return cached.rows;
    const { rows } = await this.client.request('regions', { run: status.run, step: status.step, process });
    this.rows = { run: status.run, step: status.step, process, rows };
    return rows;
  }

  /** Renders the visible tab for the current status and selection, then reports the paint. */
  private async refresh(): Promise<void> {
    const generation = ++this.generation;
    const status = this.status;
    if (!status) return;
    const tab = this.state.tab;
    const ready = status.run > 0;
    this.placeholder.hidden = ready;
    this.tabs.hidden = !ready;
    if (!ready) {
      this.placeholder.replaceChildren(h('p', { class: 'empty' }, status.state === 'running' ? 'The views appear when the run is done.' : 'Run the scenario to see its processes, smaps, pages, page tables and physical memory here.'));
      return this.reportPaint(generation, status, tab, null, null);
    }
    const view = this.views[tab];
    const process = pickProcess(status.processes, this.state.process);
    let rows: RegionRow[] = [];
    try {
      if (view.needsRegions && process) rows = await this.regionRows(status, process);
    } catch {
      rows = [];
    }
    if (generation !== this.generation) return;
    const region = pickRegion(rows, this.state.region);
    const context: TabContext = { status, at: { run: status.run, step: status.step }, process, rows, region, client: this.client, current: () => generation === this.generation };
    await view.update(context);
    await this.reportPaint(generation, status, tab, process, region?.index ?? null);
  }

  private async reportPaint(generation: number, status: PanelStatus, tab: TabName, process: string | null, region: number | null): Promise<void> {
    await afterPaint();
    if (generation !== this.generation) return;
    const record = { run: status.run, step: status.step, tab, at: now() };
    this.paints.push(record);
    if (this.paints.length > 5000) this.paints.splice(0, 2500);
    document.body.dataset.painted = `${status.run}:${status.step}:${tab}`;
    this.client.rendered({
      run: status.run, step: status.step, line: status.line, tab, process, region,
      smaps: tab === 'smaps' ? this.smaps.shown.map((f) => ({ name: f.name, kb: f.kb })) : [],
      restored: this.restored,
    });
  }
}
