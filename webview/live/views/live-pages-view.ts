import { PageState } from '../../../simulator/inspect/view-models';
import type { LivePageDetail, LivePages } from '../../../simulator/live/types';
import { h, icon } from '../../dom';
import { pageAddress } from '../../scenario/format';
import { PAGE_SWATCHES, paletteColors, type Swatch } from '../../scenario/palette';
import { CellGrid } from '../../scenario/views/cell-grid';
import { CellTooltip } from '../../scenario/views/cell-tooltip';
import { legend } from '../../scenario/views/legend';
import type { LiveClient } from '../live-client';
import { colourValues, COLOURINGS, type Colouring } from '../live-math';
import type { SmapsRequest } from './live-smaps-view';

const SHARING_SWATCHES: readonly Swatch[] = [
  { value: 0, label: 'not present', description: 'no page: never touched, or reclaimed', variable: '--state-not-present' },
  { value: 1, label: 'exclusive', description: 'pagemap bit 56: mapped by this process only', variable: '--state-anon-private' },
  { value: 2, label: 'shared', description: 'present and not exclusive: other processes (or other mappings) map it too', variable: '--state-anon-shared' },
  { value: 3, label: 'swapped', description: 'on swap: the PTE holds a swap entry', variable: '--state-swapped' },
];
const SOFT_DIRTY_SWATCHES: readonly Swatch[] = [
  { value: 0, label: 'not present', description: 'no page: never touched, or reclaimed', variable: '--state-not-present' },
  { value: 1, label: 'clean', description: 'pagemap bit 55 clear: not written since soft-dirty was last cleared (echo 4 > /proc/PID/clear_refs)', variable: '--state-file-clean' },
  { value: 2, label: 'soft-dirty', description: 'pagemap bit 55 set: written (or newly mapped) since soft-dirty was last cleared', variable: '--state-file-dirty' },
];
/** The live states: the swap cache cannot be seen from pagemap. */
const LIVE_PAGE_SWATCHES = PAGE_SWATCHES.filter((s) => s.value !== PageState.SwapCache);
const SWATCHES: Readonly<Record<Colouring, readonly Swatch[]>> = { state: LIVE_PAGE_SWATCHES, sharing: SHARING_SWATCHES, 'soft-dirty': SOFT_DIRTY_SWATCHES };

/** The page-table-like detail of one page: the pagemap entry and what it says, and the page frame's count and flags. */
export function pageFacts(d: LivePageDetail): [string, string][] {
  const yes = (b: boolean) => (b ? 'yes' : 'no');
  return [
    ['address', d.address],
    ['pagemap entry', d.pagemap],
    ['present (bit 63)', yes(d.present)],
    ['swapped (bit 62)', d.swapped ? `yes: type ${d.swapType ?? '?'}, offset ${d.swapOffset ?? '?'}` : 'no'],
    ['file or shared anon (bit 61)', yes(d.fileOrShared)],
    ['exclusive (bit 56)', yes(d.exclusive)],
    ['soft-dirty (bit 55)', yes(d.softDirty)],
    ['PFN', d.pfn !== undefined ? `${d.pfn} (0x${d.pfn.toString(16)})` : d.present ? 'hidden (reads as 0 without CAP_SYS_ADMIN)' : '—'],
    ['mapcount (/proc/kpagecount)', d.mapcount !== undefined ? String(d.mapcount) : '—'],
    ['kpageflags', d.kpageflags !== undefined ? `${d.kpageflags} ${(d.kpageflagNames ?? []).join(' ')}` : '—'],
  ];
}

/**
 * The pages of the selected region as a grid coloured from pagemap (the page's state, exclusive or
 * shared, soft-dirty), and one page in detail on hover, click or Enter.
 */
export class LivePagesPane {
  readonly element: HTMLElement;
  private readonly grid: CellGrid;
  private readonly title = h('p', { class: 'mono' });
  private readonly colouring: HTMLElement & { value: string };
  private readonly legendBox = h('div', {});
  private readonly tooltip = new CellTooltip<LivePageDetail>((index) => this.detailOf(index), (d) => `${d.address}: ${d.description}`);
  private readonly detail = h('div', { class: 'page-detail', 'aria-live': 'polite' });
  private pages?: LivePages;
  private at?: SmapsRequest;
  private client?: LiveClient;

  constructor() {
    this.grid = new CellGrid('Pages of the region', {
      hover: (index, x, y) => this.tooltip.hover(index, x, y),
      activate: (index) => void this.show(index),
      focus: (index) => void this.show(index),
    });
    this.colouring = h('vscode-single-select', { id: 'live-colouring', 'aria-label': 'Colour pages by', label: 'Colour pages by', class: 'live-colouring' },
      ...COLOURINGS.map((c) => h('vscode-option', { value: c }, c === 'state' ? 'state' : c === 'sharing' ? 'exclusive or shared' : 'soft-dirty')),
    ) as HTMLElement & { value: string };
    this.colouring.addEventListener('change', () => this.paint());
    this.element = h('section', { class: 'pages-view' },
      h('div', { class: 'toolbar' }, this.title, h('span', { class: 'spacer' }), h('span', { class: 'live-option' }, h('label', { class: 'live-label', for: 'live-colouring' }, 'Colour by'), this.colouring)),
      this.legendBox, this.grid.element, this.detail, this.tooltip.element,
    );
  }

  /** `regionPages`: how many pages the region has (the grid of a huge one holds its first pages only). */
  async update(client: LiveClient, at: SmapsRequest | null, mapsLine: string, regionPages: number, current: () => boolean): Promise<void> {
    this.client = client;
    this.at = at ?? undefined;
    if (!at) return this.empty('Select a region in the map or the maps table.');
    let pages: LivePages | null;
    try {
      pages = await client.request('pages', { run: at.run, step: 0, process: at.process, region: at.region });
    } catch (error) {
      if (current()) this.empty(`pages: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (!current()) return;
    if (!pages) return this.empty('This region is gone in this reading.');
    this.pages = pages;
    const count = pages.count.toLocaleString('en-US');
    this.title.textContent = `${mapsLine} · ${pages.count < regionPages ? `the first ${count} of ${regionPages.toLocaleString('en-US')} pages` : `${count} pages`}`;
    this.paint();
    if (this.grid.focusedIndex >= 0) void this.show(this.grid.focusedIndex);
  }

  private paint(): void {
    if (!this.pages) return;
    const colouring = (COLOURINGS as readonly string[]).includes(this.colouring.value) ? (this.colouring.value as Colouring) : 'state';
    const values = colourValues(this.pages, colouring);
    this.legendBox.replaceChildren(legend(SWATCHES[colouring], values, 'Page colours'));
    this.grid.show(values, paletteColors(SWATCHES[colouring]));
  }

  private empty(text: string): void {
    this.pages = undefined;
    this.title.textContent = '';
    this.legendBox.replaceChildren();
    this.grid.show(new Uint8Array(0), []);
    this.detail.replaceChildren(h('p', { class: 'empty' }, icon('info'), ` ${text}`));
  }

  private async detailOf(index: number): Promise<LivePageDetail | undefined> {
    const { pages, at, client } = this;
    if (!pages || !at || !client || index >= pages.count) return undefined;
    try {
      return (await client.request('page', { run: at.run, step: 0, process: at.process, address: pageAddress(pages.start, index) })) ?? undefined;
    } catch {
      return undefined;
    }
  }

  private async show(index: number): Promise<void> {
    const d = await this.detailOf(index);
    if (!d) return;
    this.detail.replaceChildren(
      h('p', {}, h('strong', {}, d.description)),
      h('table', { class: 'page-facts', 'aria-label': `Page ${d.address}` }, h('tbody', {}, ...pageFacts(d).map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', { class: 'mono' }, v))))),
    );
  }
}
