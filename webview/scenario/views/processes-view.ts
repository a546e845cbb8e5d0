import type { ProcessSummary, RegionRow } from '../../../simulator/inspect/view-models';
import { h, icon } from '../../dom';
import { rovingFocus } from '../../roving-focus';
import { visibleWindow } from '../../virtual-window';
import { formatKb, procFileTitle } from '../format';
import type { PanelActions, TabContext, TabView } from './tab-view';

const ROW_HEIGHT = 22;
const OVERSCAN = 10;
const COLUMNS = ['address', 'perms', 'Rss', 'Pss', 'Swap', 'pathname / region', 'line'];

function processRow(p: ProcessSummary, selected: boolean): HTMLElement {
  const stateIcon = p.state === 'running' ? 'pass' : p.state === 'killed' ? 'error' : 'circle-slash';
  return h('tr', { 'data-process': p.name, 'aria-selected': String(selected), class: `process-${p.state}`, title: p.death ?? `created on line ${p.line}` },
    h('td', { class: 'mono' }, p.name), h('td', { class: 'mono num' }, String(p.pid)),
    h('td', {}, icon(stateIcon), ` ${p.state}`, p.death ? h('span', { class: 'death' }, ` ${p.death}`) : null),
    h('td', { class: 'mono num' }, formatKb(p.rssKb)), h('td', { class: 'mono num' }, formatKb(p.pssKb)), h('td', { class: 'mono num' }, formatKb(p.swapKb)),
    h('td', { class: 'mono num' }, String(p.vmaCount)),
  );
}

/**
 * The processes of the step, and the selected one's /proc/PID/maps as a virtualized table:
 * click selects a region for the other tabs, double-click or Enter (or the arrow icon) shows
 * the statement that created or last changed it.
 */
export class ProcessesView implements TabView {
  readonly element: HTMLElement;
  readonly needsRegions = true;
  private readonly processBody = h('tbody');
  private readonly viewport: HTMLElement;
  private readonly spacer = h('div', { class: 'vrow-spacer' });
  private readonly mapsTitle = h('h2', {});
  private readonly details = h('p', { class: 'details', 'aria-live': 'polite' });
  private readonly refreshProcessFocus: () => void;
  private rows: readonly RegionRow[] = [];
  private selected = -1;
  private active = 0;
  private frame?: number;

  /** `lines`: the last column reveals the statement that made a region (false for a live process: no statements). */
  constructor(
    private readonly actions: PanelActions,
    private readonly lines = true,
  ) {
    const processTable = h('table', { class: 'process-table', 'aria-label': 'Processes' },
      h('thead', {}, h('tr', {}, ...['name', 'pid', 'state', 'Rss', 'Pss', 'Swap', 'VMAs'].map((c) => h('th', { scope: 'col', class: ['Rss', 'Pss', 'Swap', 'pid', 'VMAs'].includes(c) ? 'num' : undefined }, c)))),
      this.processBody,
    );
    this.refreshProcessFocus = rovingFocus(this.processBody, 'tr', (row) => actions.selectProcess(row.dataset.process ?? ''));
    this.viewport = h('div', { class: 'vrow-viewport maps-grid', role: 'grid', tabindex: 0, 'aria-label': '/proc/PID/maps', 'aria-rowcount': 0 }, this.spacer);
    this.viewport.addEventListener('scroll', () => this.schedule());
    new ResizeObserver(() => this.schedule()).observe(this.viewport);
    this.viewport.addEventListener('click', (e) => {
      const target = e.target as HTMLElement;
      const row = target.closest<HTMLElement>('.vrow');
      if (!row) return;
      const index = Number(row.dataset.index);
      this.activate(index);
      if (target.closest('.reveal')) this.reveal(index);
    });
    this.viewport.addEventListener('dblclick', (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>('.vrow');
      if (row) this.reveal(Number(row.dataset.index));
    });
    this.viewport.addEventListener('keydown', (e) => this.onKey(e));
    // The sighted header sits outside the scrolling grid; each row carries its own accessible name instead.
    const head = h('div', { class: 'vrow vrow-head', 'aria-hidden': 'true' }, ...COLUMNS.slice(0, lines ? undefined : -1).map((c) => h('span', { class: ['Rss', 'Pss', 'Swap', 'line'].includes(c) ? 'num' : undefined }, c)));
    this.element = h('section', { class: 'processes-view' },
      h('div', { class: 'table-scroll' }, processTable),
      this.mapsTitle,
      h('div', { class: 'maps-box' }, h('div', { class: 'maps-inner' }, head, this.viewport)),
      this.details,
    );
  }

  async update(context: TabContext): Promise<void> {
    this.processBody.replaceChildren(...context.status.processes.map((p) => processRow(p, p.name === context.process)));
    this.refreshProcessFocus();
    this.mapsTitle.textContent = context.process ? procFileTitle(context.status.processes, context.process, 'maps') : 'No process yet';
    this.rows = context.rows;
    this.selected = context.region?.index ?? -1;
    if (this.selected >= 0) this.active = this.selected;
    this.active = Math.min(this.active, Math.max(0, this.rows.length - 1));
    this.spacer.style.height = `${this.rows.length * ROW_HEIGHT}px`;
    this.viewport.setAttribute('aria-rowcount', String(this.rows.length));
    this.details.textContent = !context.region ? '' : !this.lines ? context.region.origin : `${context.region.origin}${context.region.line > 0 ? ` · line ${context.region.line}` : ' · made by exec'}`;
    this.draw();
  }

  private activate(index: number): void {
    const row = this.rows[index];
    if (!row) return;
    this.active = index;
    this.actions.selectRegion(row);
  }

  private reveal(index: number): void {
    const row = this.rows[index];
    if (!this.lines) return this.activate(index);
    if (row) this.actions.reveal(row.line);
  }

  private onKey(e: KeyboardEvent): void {
    const pageRows = Math.max(1, Math.floor(this.viewport.clientHeight / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: pageRows, PageUp: -pageRows };
    let next = this.active;
    if (e.key in moves) next += moves[e.key] as number;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = this.rows.length - 1;
    else if (e.key === 'Enter') return (e.preventDefault(), this.reveal(this.active));
    else if (e.key === ' ') return (e.preventDefault(), this.activate(this.active));
    else return;
    e.preventDefault();
    this.active = Math.max(0, Math.min(this.rows.length - 1, next));
    const top = this.active * ROW_HEIGHT;
    if (top < this.viewport.scrollTop) this.viewport.scrollTop = top;
    else if (top + ROW_HEIGHT > this.viewport.scrollTop + this.viewport.clientHeight) this.viewport.scrollTop = top + ROW_HEIGHT - this.viewport.clientHeight;
    this.activate(this.active);
  }

  private schedule(): void {
    if (this.frame === undefined) this.frame = requestAnimationFrame(() => this.draw());
  }

  private draw(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
    const { first, last } = visibleWindow(this.viewport.scrollTop, this.viewport.clientHeight || 400, ROW_HEIGHT, this.rows.length, OVERSCAN);
    const rendered: HTMLElement[] = [];
    for (let i = first; i < last; i++) {
      const r = this.rows[i] as RegionRow;
      const range = `${r.start.slice(2)}-${r.end.slice(2)}`;
      const name = r.region ? `${r.name || '[anon]'} (${r.region})` : r.name;
      rendered.push(h('div', {
        class: 'vrow', role: 'row', id: `vma-${i}`, 'data-index': i, 'data-start': r.start, 'aria-rowindex': i + 1,
        'aria-selected': String(i === this.selected), title: `${r.mapsLine}\n${r.origin}`, style: `top:${i * ROW_HEIGHT}px`,
        'aria-label': `${range} ${r.perms}, Rss ${formatKb(r.rssKb)}, Pss ${formatKb(r.pssKb)}, Swap ${formatKb(r.swapKb)}, ${name || 'anonymous'}`,
      },
      h('span', { class: 'mono', role: 'gridcell' }, range), h('span', { class: 'mono', role: 'gridcell' }, r.perms),
      h('span', { class: 'mono num', role: 'gridcell' }, formatKb(r.rssKb)), h('span', { class: 'mono num', role: 'gridcell' }, formatKb(r.pssKb)), h('span', { class: 'mono num', role: 'gridcell' }, formatKb(r.swapKb)),
      h('span', { class: 'mono name', role: 'gridcell' }, name),
      !this.lines ? null : h('span', { class: 'num', role: 'gridcell' }, h('button', { class: 'reveal icon-button', title: r.line > 0 ? `Show line ${r.line}, which created or last changed this region` : 'Made by exec: show the top of the scenario', 'aria-label': `Reveal line ${r.line}` }, r.line > 0 ? String(r.line) : 'exec', icon('go-to-file'))),
      ));
    }
    this.viewport.replaceChildren(this.spacer, ...rendered);
    // Only an id that is in the document (a virtual window renders a slice of the rows).
    if (rendered.some((row) => Number(row.dataset.index) === this.active)) this.viewport.setAttribute('aria-activedescendant', `vma-${this.active}`);
    else this.viewport.removeAttribute('aria-activedescendant');
    for (const row of rendered) row.classList.toggle('active', Number(row.dataset.index) === this.active);
  }
}
