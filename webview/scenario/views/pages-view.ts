import type { PageDetail, RegionPages } from '../../../simulator/inspect/view-models';
import { h, icon } from '../../dom';
import { pageAddress } from '../format';
import { PAGE_SWATCHES, paletteColors } from '../palette';
import { CellGrid } from './cell-grid';
import { CellTooltip } from './cell-tooltip';
import { legend } from './legend';
import { errorText, type PanelActions, type TabContext, type TabView } from './tab-view';

/** Pages in a PMD-mapped huge page (HPAGE_PMD_NR). */
const HPAGE_PAGES = 512;

function describe(detail: PageDetail): string {
  const parts = [`${detail.address}: ${detail.description}`];
  if (detail.pfn !== undefined) parts.push(`frame ${detail.pfn} (0x${detail.pfn.toString(16)})`);
  if (detail.swapSlot !== undefined) parts.push(`swap slot ${detail.swapSlot}`);
  parts.push(`PTE ${detail.pte}`);
  if (detail.line !== undefined) parts.push(`last changed on line ${detail.line}`);
  return parts.join(' · ');
}

/**
 * The pages of the selected VMA as a canvas grid coloured by state. Hover shows a page's detail,
 * a click (or Enter) shows it and reveals the line that last changed it.
 */
export class PagesView implements TabView {
  readonly element: HTMLElement;
  readonly needsRegions = true;
  private readonly grid: CellGrid;
  private readonly title = h('p', { class: 'mono' });
  private readonly legendBox = h('div', {});
  private readonly tooltip = new CellTooltip((index) => this.detailOf(index), describe);
  private readonly detail = h('div', { class: 'page-detail', 'aria-live': 'polite' });
  private pages?: RegionPages;
  private context?: TabContext;

  constructor(private readonly actions: PanelActions) {
    this.grid = new CellGrid('Pages of the region', {
      hover: (index, x, y) => this.tooltip.hover(index, x, y),
      activate: (index) => void this.activate(index, true),
      focus: (index) => void this.activate(index, false),
    });
    this.element = h('section', { class: 'pages-view' }, h('div', { class: 'toolbar' }, this.title), this.legendBox, this.grid.element, this.detail, this.tooltip.element);
  }

  /** The grid, for the benchmark's frame timing. */
  get cells(): CellGrid {
    return this.grid;
  }

  async update(context: TabContext): Promise<void> {
    this.context = context;
    const region = context.region;
    if (!region || !context.process) return this.empty('Select a region in Processes.');
    let pages: RegionPages | null;
    try {
      pages = await context.client.request('pages', { ...context.at, process: context.process, region: region.index });
    } catch (error) {
      if (context.current()) this.empty(`pages: ${errorText(error)}`);
      return;
    }
    if (!context.current()) return;
    if (!pages) return this.empty('This region is gone at this step.');
    this.pages = pages;
    const huge = pages.hugePages?.length ?? 0;
    const hugeText = huge ? ` · ${huge} huge page${huge === 1 ? '' : 's'} (2 MiB each, mapped by one PMD: drawn as one block)` : '';
    this.title.textContent = `${region.mapsLine} · ${pages.count.toLocaleString('en-US')} pages${hugeText}`;
    this.legendBox.replaceChildren(legend(PAGE_SWATCHES, pages.states, 'Page states'));
    this.grid.show(pages.states, paletteColors(PAGE_SWATCHES), pages.hugePages, HPAGE_PAGES);
    if (this.grid.focusedIndex >= 0) void this.activate(this.grid.focusedIndex, false);
  }

  private empty(text: string): void {
    this.pages = undefined;
    this.title.textContent = '';
    this.legendBox.replaceChildren();
    this.grid.show(new Uint8Array(0), []);
    this.detail.replaceChildren(h('p', { class: 'empty' }, icon('info'), ` ${text}`));
  }

  private async detailOf(index: number): Promise<PageDetail | null | undefined> {
    const context = this.context;
    if (!this.pages || !context?.process || index >= this.pages.count) return undefined;
    try {
      return await context.client.request('page', { ...context.at, process: context.process, address: pageAddress(this.pages.start, index) });
    } catch {
      return undefined;
    }
  }

  private async activate(index: number, reveal: boolean): Promise<void> {
    const detail = await this.detailOf(index);
    if (!detail) return;
    const walk = h('vscode-button', { secondary: true, icon: 'type-hierarchy-sub' }, 'Walk page table');
    walk.addEventListener('click', () => this.actions.walk(detail.address));
    const line = detail.line;
    const revealButton = line !== undefined ? h('vscode-button', { secondary: true, icon: 'go-to-file' }, `Line ${line}`) : null;
    revealButton?.addEventListener('click', () => this.actions.reveal(line as number));
    this.detail.replaceChildren(h('p', { class: 'mono' }, describe(detail)), h('div', { class: 'toolbar' }, walk, revealButton));
    if (reveal && line !== undefined) this.actions.reveal(line);
  }
}
