import type { FrameDetail, PhysicalView } from '../../../simulator/inspect/view-models';
import { h, icon } from '../../dom';
import { formatKb, fraction, humanKb } from '../format';
import { FRAME_SWATCHES, paletteColors } from '../palette';
import { CellGrid } from './cell-grid';
import { CellTooltip } from './cell-tooltip';
import { legend } from './legend';
import { errorText, type TabContext, type TabView } from './tab-view';

const PAGE_KB = 4;

function describeFrame(f: FrameDetail): string {
  const owners = f.owners.map((o) => `${o.process} ${o.address} (${o.mapsLine.split(/\s+/).slice(5).join(' ') || 'anonymous'})`);
  return `frame ${f.pfn} (0x${f.pfn.toString(16)}): ${f.description}${owners.length ? ` · mapped by ${owners.join(', ')}` : ''}`;
}

/** Physical memory: every frame by use, the buddy allocator's free lists per order, and swap. */
export class PhysicalMemoryView implements TabView {
  readonly element: HTMLElement;
  readonly needsRegions = false;
  private readonly grid: CellGrid;
  private readonly summary = h('p', { class: 'hint' });
  private readonly legendBox = h('div', {});
  private readonly buddyBody = h('tbody');
  private readonly swap = h('div', { class: 'swap-meter' });
  private readonly tooltip = new CellTooltip((pfn) => this.frame(pfn), describeFrame);
  private readonly detail = h('p', { class: 'mono frame-detail', 'aria-live': 'polite' });
  private context?: TabContext;

  constructor() {
    this.grid = new CellGrid('Physical frames', {
      hover: (index, x, y) => this.tooltip.hover(index, x, y),
      activate: (index) => void this.show(index),
      focus: (index) => void this.show(index),
    });
    this.element = h('section', { class: 'physical-view' },
      this.summary, this.legendBox,
      h('div', { class: 'physical-columns' },
        h('div', { class: 'frames' }, this.grid.element, this.detail),
        h('div', { class: 'buddy' },
          h('h2', {}, 'Buddy free lists'),
          h('table', { class: 'buddy-table', 'aria-label': 'free_area per order' }, h('thead', {}, h('tr', {}, h('th', {}, 'order'), h('th', {}, 'block'), h('th', { class: 'num' }, 'free'), h('th', {}, ''))), this.buddyBody),
          h('h2', {}, 'Swap'), this.swap,
        ),
      ),
      this.tooltip.element,
    );
  }

  async update(context: TabContext): Promise<void> {
    this.context = context;
    let view: PhysicalView;
    try {
      view = await context.client.request('physical', context.at);
    } catch (error) {
      if (context.current()) this.summary.replaceChildren(icon('error'), ` ${errorText(error)}`);
      return;
    }
    if (!context.current()) return;
    const used = view.frames * PAGE_KB - view.freeKb;
    this.summary.textContent = `${view.frames.toLocaleString('en-US')} frames (${humanKb(view.frames * PAGE_KB)}): ${humanKb(used)} in use, ${humanKb(view.freeKb)} free`;
    this.legendBox.replaceChildren(legend(FRAME_SWATCHES, view.uses, 'Frame uses'));
    this.grid.show(view.uses, paletteColors(FRAME_SWATCHES));
    const most = Math.max(1, ...view.freeBlocks);
    this.buddyBody.replaceChildren(...view.freeBlocks.map((n, order) => h('tr', { 'data-order': order },
      h('td', { class: 'mono num' }, String(order)), h('td', { class: 'mono' }, humanKb(PAGE_KB << order)), h('td', { class: 'mono num' }, n.toLocaleString('en-US')),
      h('td', { class: 'bar-cell' }, h('div', { class: 'bar' }, h('div', { class: 'bar-fill', style: `width:${(fraction(n, most) * 100).toFixed(1)}%` }))),
    )));
    this.swap.replaceChildren(
      view.swapTotalKb === 0 ? h('p', { class: 'hint' }, 'No swap (set swap SIZE).')
        : h('div', {}, h('div', { class: 'bar bar-swap', role: 'img', 'aria-label': `${formatKb(view.swapUsedKb)} of ${formatKb(view.swapTotalKb)} swap used` }, h('div', { class: 'bar-fill', style: `width:${(fraction(view.swapUsedKb, view.swapTotalKb) * 100).toFixed(1)}%` })),
          h('p', { class: 'mono' }, `${formatKb(view.swapUsedKb)} of ${formatKb(view.swapTotalKb)} used`)),
    );
  }

  private async frame(pfn: number): Promise<FrameDetail | undefined> {
    const context = this.context;
    if (!context || pfn >= this.grid.count) return undefined;
    try {
      return await context.client.request('frame', { ...context.at, pfn });
    } catch {
      return undefined;
    }
  }

  private async show(pfn: number): Promise<void> {
    const detail = await this.frame(pfn);
    if (detail) this.detail.textContent = describeFrame(detail);
  }
}
