import type { CoreView } from './core-view-model';
import { h, icon } from './dom';
import type { HostClient } from './host-client';
import type { HostEvent } from './protocol';
import { INITIAL_STATE, loadState, saveState, type SavedState } from './saved-state';
import { linksOf, type Selection } from './selection';
import type { AslrMode, ElfSummary, ExportFormat, LayoutResult, LinkedResult, SymbolRow } from './view-models';
import { AddressMapView } from './views/address-map-view';
import { coreView } from './views/core-view';
import { dynamicView } from './views/dynamic-view';
import { headerView } from './views/header-view';
import { LinkedView } from './views/linked-view';
import { MapsView } from './views/maps-view';
import { SegmentsView } from './views/segments-view';
import { SymbolsView } from './views/symbols-view';
import type { VsCodeApi } from './vscode-api';

const TABS = ['Maps', 'Linked', 'Segments & sections', 'Symbols', 'Dynamic & notes'];
const [MAPS_TAB, LINKED_TAB, SEGMENTS_TAB, SYMBOLS_TAB] = [0, 1, 2, 3];
/** A core file (ET_CORE) has one more tab: the process, the crash and the registers. */
const CORE_TAB = TABS.length;
const ET_CORE = 4;
const SAVE_DELAY_MS = 250;

/** A new random 64-bit seed, as a decimal string. */
function randomSeed(): string {
  const [hi, lo] = crypto.getRandomValues(new Uint32Array(2));
  return ((BigInt(hi ?? 0) << 32n) | BigInt(lo ?? 0)).toString();
}

const afterPaint = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The ELF view: wires the views to the host and keeps the selection and the saved state. */
export class App {
  private state: SavedState;
  private readonly restored: boolean;
  private summary?: ElfSummary;
  private layout?: LayoutResult;
  private readonly map: AddressMapView;
  private readonly maps: MapsView;
  private segments?: SegmentsView;
  private symbols?: SymbolsView;
  private linked?: LinkedView;
  /** Counts 'linked' requests, so that only the latest answer is shown. */
  private linkedRequests = 0;
  private readonly panels = [...TABS, 'Core dump'].map(() => h('vscode-tab-panel'));
  /** The core file's process and crash, when the file is a core. */
  private core?: CoreView;
  private saveTimer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly root: HTMLElement,
    private readonly client: HostClient,
    private readonly api: VsCodeApi,
  ) {
    const saved = loadState(api);
    this.restored = saved !== undefined;
    this.state = saved ?? INITIAL_STATE;
    this.map = new AddressMapView((i) => this.selectRegion(i));
    this.maps = new MapsView({
      aslr: (mode) => this.setLayout({ aslr: mode }),
      reroll: () => this.setLayout({ seed: randomSeed() }),
      copy: () => void this.copy(),
      export: (format) => void this.export(format),
      select: (i) => this.selectRegion(i),
    });
    client.onEvent((e) => this.onHostEvent(e));
  }

  /** Paints the header and the layout first; everything else waits for its tab. */
  async start(): Promise<void> {
    this.root.replaceChildren(h('p', { class: 'loading' }, h('vscode-progress-ring'), ' Reading the ELF file…'));
    this.maps.setControls(this.state.aslr, this.state.seed);
    const [summary, layout] = await Promise.allSettled([this.client.request('summary', {}), this.fetchLayout()]);
    if (summary.status === 'rejected') {
      this.root.replaceChildren(h('div', { class: 'banner error', role: 'alert' }, icon('error'), ` This file cannot be shown: ${message(summary.reason)}`));
      return this.reportRendered(0);
    }
    this.summary = summary.value;
    this.layout = layout.status === 'fulfilled' ? layout.value : { kind: 'not-executable', reason: message(layout.reason) };
    if (summary.value.header.type === ET_CORE) await this.startCore();
    this.render(summary.value);
    await this.reportRenderedAfterPaint();
  }

  /** A core file opens on its Core tab, with the crashing instruction's region selected. */
  private async startCore(): Promise<void> {
    try {
      this.core = (await this.client.request('core', {})) ?? undefined;
    } catch (error) {
      this.core = undefined;
      console.warn(`core: ${message(error)}`);
    }
    if (!this.core || this.restored) return;
    this.save({ tab: CORE_TAB });
    const region = this.core.crash?.region ?? this.core.faultAddress?.region;
    const start = region !== null && region !== undefined && this.layout?.kind === 'layout' ? this.layout.regions[region]?.start : undefined;
    if (start) this.save({ selection: { kind: 'region', start } });
  }

  private render(summary: ElfSummary): void {
    const titles = this.core ? [...TABS, 'Core dump'] : TABS;
    const tabs = h('vscode-tabs', { 'selected-index': Math.min(this.state.tab, titles.length - 1), class: 'tabs' },
      ...titles.flatMap((title, i) => [
        h('vscode-tab-header', { slot: 'header', id: `tab-${i}` }, title, i === SYMBOLS_TAB ? h('vscode-badge', { variant: 'counter', slot: 'content-after' }, String(summary.symbolTables.reduce((n, t) => n + t.count, 0))) : null),
        this.panels[i] as HTMLElement,
      ]),
    );
    tabs.addEventListener('vsc-tabs-select', (e) => this.showTab((e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex));
    this.root.replaceChildren(headerView(summary), ...damageBanner(summary), h('div', { class: 'workspace' }, this.map.element, tabs));
    this.showLayout();
    this.showTab(this.state.tab);
  }

  /** Builds a tab's view the first time it is shown, so that the first paint builds only what is visible. */
  private showTab(index: number): void {
    this.save({ tab: index });
    const panel = this.panels[index];
    if (panel && !panel.firstChild && this.summary) {
      panel.append(this.buildPanel(index, this.summary));
      this.highlight();
    }
    if (index === SYMBOLS_TAB) this.symbols?.show();
  }

  private buildPanel(index: number, summary: ElfSummary): HTMLElement {
    switch (index) {
      case MAPS_TAB:
        return this.maps.element;
      case LINKED_TAB:
        // Computed only now: ld.so's walk reads every library.
        this.linked = new LinkedView({ copy: () => void this.copyEntryMaps() });
        void this.fetchLinked();
        return this.linked.element;
      case SEGMENTS_TAB:
        this.segments = new SegmentsView(summary, { segment: (i) => this.select({ kind: 'segment', index: i }), section: (i) => this.select({ kind: 'section', index: i }) });
        return this.segments.element;
      case CORE_TAB:
        return this.core ? coreView(this.core, { select: (i) => this.selectRegion(i), simulate: () => void this.client.request('simulateCore', {}).catch((e: unknown) => console.warn(e)) }) : dynamicView(summary);
      case SYMBOLS_TAB: {
        // A fresh view starts on .symtab, which has the program's own functions; .dynsym has its imports and exports.
        const table = this.restored ? this.state.symbolTable : Math.max(0, summary.symbolTables.findIndex((t) => t.name === '.symtab'));
        this.symbols = new SymbolsView(summary, this.client, { table, text: this.state.symbolText, scroll: this.state.symbolScroll }, {
          select: (t, row) => this.selectSymbol(t, row),
          clearRange: () => this.symbols?.setRange(null),
          changed: (s) => this.save({ symbolTable: s.table, symbolText: s.text, symbolScroll: s.scroll }, true),
        });
        return this.symbols.element;
      }
      default:
        return dynamicView(summary);
    }
  }

  private fetchLayout(): Promise<LayoutResult> {
    return this.client.request('layout', { aslr: this.state.aslr, seed: this.state.seed });
  }

  private async setLayout(change: { aslr?: AslrMode; seed?: string }): Promise<void> {
    this.save(change);
    this.maps.setControls(this.state.aslr, this.state.seed);
    try {
      this.layout = await this.fetchLayout();
    } catch (error) {
      this.layout = { kind: 'not-executable', reason: message(error) };
    }
    this.showLayout();
    void this.fetchLinked();
    await this.reportRenderedAfterPaint();
  }

  /** The layout at entry for the current ASLR settings, once the Linked tab exists. */
  private async fetchLinked(): Promise<void> {
    const view = this.linked;
    if (!view) return;
    const request = ++this.linkedRequests;
    view.loading();
    let result: LinkedResult;
    try {
      result = await this.client.request('linked', { aslr: this.state.aslr, seed: this.state.seed });
    } catch (error) {
      result = { kind: 'error', message: message(error), searched: [] };
    }
    if (request === this.linkedRequests) view.show(result);
  }

  private async copyEntryMaps(): Promise<void> {
    try {
      const { lines } = await this.client.request('copyEntryMaps', { aslr: this.state.aslr, seed: this.state.seed });
      this.linked?.say(`Copied ${lines} lines of /proc/PID/maps at entry.`);
    } catch (error) {
      this.linked?.say(`Copy failed: ${message(error)}`);
    }
  }

  private showLayout(): void {
    if (!this.layout) return;
    this.map.show(this.layout);
    this.maps.show(this.layout);
    this.highlight();
  }

  private selectRegion(index: number): void {
    const region = this.layout?.kind === 'layout' ? this.layout.regions[index] : undefined;
    if (region) this.select({ kind: 'region', start: region.start });
  }

  private selectSymbol(table: number, row: SymbolRow): void {
    this.select({ kind: 'symbol', table, index: row.index, value: row.value, size: row.size });
  }

  private select(selection: Selection): void {
    this.save({ selection });
    this.highlight();
  }

  /** Lights up everything linked to the selection; a region, segment or section also filters the symbols. */
  private highlight(): void {
    const selection = this.state.selection;
    const links = linksOf(selection, this.summary, this.layout);
    const regions = this.layout?.kind === 'layout' ? this.layout.regions : [];
    const selectedRegion = selection?.kind === 'region' ? regions.findIndex((r) => r.start === selection.start) : -1;
    this.map.highlight(links, selectedRegion);
    this.maps.highlight(links, selectedRegion);
    this.segments?.highlight(links, {
      segment: selection?.kind === 'segment' ? selection.index : -1,
      section: selection?.kind === 'section' ? selection.index : -1,
    });
    if (selection?.kind === 'symbol') this.symbols?.highlight({ table: selection.table, index: selection.index });
    else this.symbols?.setRange(links.range);
  }

  private async copy(): Promise<void> {
    try {
      const { lines } = await this.client.request('copyMaps', { aslr: this.state.aslr, seed: this.state.seed });
      this.maps.say(`Copied ${lines} lines of /proc/PID/maps.`);
    } catch (error) {
      this.maps.say(`Copy failed: ${message(error)}`);
    }
  }

  private async export(format: ExportFormat): Promise<void> {
    try {
      const { savedTo } = await this.client.request('export', { aslr: this.state.aslr, seed: this.state.seed, format });
      this.maps.say(savedTo ? `Saved ${savedTo}` : 'Export cancelled.');
    } catch (error) {
      this.maps.say(`Export failed: ${message(error)}`);
    }
  }

  private onHostEvent(event: HostEvent): void {
    if (event.event === 'setAslr') void this.setLayout({ aslr: event.params.aslr });
    else if (event.event === 'reroll') void this.setLayout({ seed: randomSeed() });
    else void this.setLayout({});
  }

  private async reportRenderedAfterPaint(): Promise<void> {
    await afterPaint();
    this.reportRendered(this.layout?.kind === 'layout' ? this.layout.regions.length : 0);
  }

  private reportRendered(regions: number): void {
    this.client.rendered({ aslr: this.state.aslr, seed: this.state.seed, regions, restored: this.restored });
  }

  /** Updates the state and saves it: at once, or soon for changes that come every frame (scrolling). */
  private save(change: Partial<SavedState>, soon = false): void {
    this.state = { ...this.state, ...change };
    clearTimeout(this.saveTimer);
    if (soon) this.saveTimer = setTimeout(() => saveState(this.api, this.state), SAVE_DELAY_MS);
    else saveState(this.api, this.state);
  }
}

/** A damaged or partial file (a separate debug file, a cut table): what could not be read, as readelf warns of it. */
function damageBanner(summary: ElfSummary): HTMLElement[] {
  if (!summary.warnings.length) return [];
  return [h('div', { class: 'banner damage', role: 'status' }, icon('warning'), ' Parts of this file could not be read; the rest is shown, as readelf shows it:',
    h('ul', {}, ...summary.warnings.map((w) => h('li', {}, w.message))))];
}
