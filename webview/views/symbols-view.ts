import { h, icon } from '../dom';
import type { HostClient } from '../host-client';
import type { AddressRange } from '../selection';
import { SymbolPages, type SymbolFilter } from '../symbol-pages';
import type { ElfSummary, SymbolRow } from '../view-models';
import { visibleWindow } from '../virtual-window';

/** Fixed row height (as --row-height in main.css): the list's geometry is known without measuring rows. */
const ROW_HEIGHT = 22;
const OVERSCAN = 8;
const SEARCH_DELAY_MS = 150;
const COLUMNS = ['name', 'value', 'size', 'type', 'bind', 'vis', 'ndx'] as const;

export interface SymbolActions {
  select(table: number, row: SymbolRow): void;
  clearRange(): void;
  changed(state: { table: number; text: string; scroll: number }): void;
}

function cellsOf(row: SymbolRow | undefined): string[] {
  if (!row) return ['…', '', '', '', '', '', ''];
  return [row.name, row.value, row.size, row.type, row.bind, row.visibility, String(row.ndx)];
}

/**
 * The symbol tables as one virtualized grid: only the rows in view exist in the DOM (a fixed pool,
 * moved as you scroll), rows arrive from the host a page at a time, and search runs on the host.
 */
export class SymbolsView {
  readonly element: HTMLElement;
  private readonly viewport: HTMLElement;
  private readonly spacer = h('div', { class: 'sym-spacer' });
  private readonly count = h('span', { class: 'sym-count', role: 'status' });
  private readonly rangeChip = h('span', { class: 'range-chip', hidden: true });
  private readonly search: HTMLElement & { value: string };
  private readonly tableSelect: HTMLElement & { value: string };
  private readonly pool: HTMLElement[] = [];
  private pages?: SymbolPages;
  private filter: SymbolFilter;
  private active = 0;
  private selected?: { table: number; index: number };
  private started = false;
  private searchTimer?: ReturnType<typeof setTimeout>;
  private frame = 0;

  constructor(
    private readonly summary: ElfSummary,
    private readonly client: HostClient,
    initial: { table: number; text: string; scroll: number },
    private readonly actions: SymbolActions,
  ) {
    this.filter = { table: Math.min(initial.table, Math.max(0, summary.symbolTables.length - 1)), text: initial.text, range: null };
    this.tableSelect = h('vscode-single-select', { 'aria-label': 'Symbol table', label: 'Symbol table' },
      ...summary.symbolTables.map((t, i) => h('vscode-option', { value: String(i) }, `${t.name} (${t.count.toLocaleString('en-US')})`)),
    ) as HTMLElement & { value: string };
    this.tableSelect.addEventListener('change', () => this.requery({ table: Number(this.tableSelect.value) }));
    this.search = h('vscode-textfield', { placeholder: 'Search names', 'aria-label': 'Search symbol names', value: initial.text },
      h('vscode-icon', { slot: 'content-before', name: 'search' }),
    ) as HTMLElement & { value: string };
    this.search.addEventListener('input', () => {
      clearTimeout(this.searchTimer);
      this.searchTimer = setTimeout(() => this.requery({ text: this.search.value }), SEARCH_DELAY_MS);
    });
    this.viewport = h('div', {
      class: 'sym-viewport', role: 'grid', tabindex: 0, 'aria-label': 'Symbols', 'aria-rowcount': 0, 'aria-readonly': 'true',
    }, this.spacer);
    this.viewport.addEventListener('scroll', () => this.schedule());
    this.viewport.addEventListener('keydown', (e) => this.onKey(e));
    this.viewport.addEventListener('click', (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>('.sym-row');
      if (row?.dataset.position) this.choose(Number(row.dataset.position));
    });
    new ResizeObserver(() => this.schedule()).observe(this.viewport);
    const header = h('div', { class: 'sym-row sym-head', role: 'row' }, ...COLUMNS.map((c) => h('span', { role: 'columnheader' }, c)));
    this.element = h('section', { class: 'symbols-view' },
      h('div', { class: 'toolbar' }, this.tableSelect, this.search, this.rangeChip, h('span', { class: 'spacer' }), this.count),
      header,
      this.viewport,
    );
    this.viewport.dataset.initialScroll = String(initial.scroll);
  }

  /** Starts loading when the tab is first shown. */
  show(): void {
    if (this.started) return this.schedule();
    this.started = true;
    if (!this.summary.symbolTables.length) {
      this.count.textContent = 'This file has no symbol table (stripped).';
      return;
    }
    this.tableSelect.value = String(this.filter.table);
    this.requery({}, Number(this.viewport.dataset.initialScroll));
  }

  /** Shows only the symbols in `range` (link-time addresses), or all of them. */
  setRange(range: AddressRange | null): void {
    const same = range?.start === this.filter.range?.start && range?.end === this.filter.range?.end;
    if (same) return;
    this.rangeChip.hidden = !range;
    if (range) {
      const clear = h('button', { type: 'button', class: 'chip-clear', title: 'Show all symbols', 'aria-label': 'Show all symbols' }, icon('close'));
      clear.addEventListener('click', () => this.actions.clearRange());
      this.rangeChip.replaceChildren(icon('filter'), ` ${range.start}–${range.end} `, clear);
    }
    this.filter = { ...this.filter, range };
    if (this.started) this.requery({});
  }

  highlight(selected: { table: number; index: number } | undefined): void {
    this.selected = selected;
    this.paint();
  }

  private requery(change: Partial<SymbolFilter>, scroll = 0): void {
    this.filter = { ...this.filter, ...change };
    this.pages?.dispose();
    this.pages = new SymbolPages(this.client, this.filter, () => this.onPageLoaded(scroll), (message) => {
      this.count.textContent = `Symbols could not be loaded: ${message}`;
    });
    this.active = 0;
    this.count.textContent = 'Loading…';
    this.pages.ensure(0, 0);
    this.actions.changed({ table: this.filter.table, text: this.filter.text, scroll });
  }

  private onPageLoaded(initialScroll: number): void {
    const total = this.pages?.total ?? 0;
    const height = `${total * ROW_HEIGHT}px`;
    if (this.spacer.style.height !== height) {
      this.spacer.style.height = height;
      this.viewport.setAttribute('aria-rowcount', String(total));
      const table = this.summary.symbolTables[this.filter.table];
      const of = table ? ` of ${table.count.toLocaleString('en-US')}` : '';
      this.count.textContent = `${total.toLocaleString('en-US')}${of} symbols`;
      if (initialScroll) this.viewport.scrollTop = initialScroll;
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.paint();
    });
  }

  /** Moves the row pool to the visible window and fills it with what is loaded. */
  private paint(): void {
    const pages = this.pages;
    if (!pages || pages.total < 0) return;
    const { first, last } = visibleWindow(this.viewport.scrollTop, this.viewport.clientHeight, ROW_HEIGHT, pages.total, OVERSCAN);
    pages.ensure(first, last);
    while (this.pool.length < last - first) {
      const row = h('div', { class: 'sym-row', role: 'row', hidden: true }, ...COLUMNS.map(() => h('span', { role: 'gridcell' })));
      this.pool.push(row);
      this.viewport.append(row);
    }
    // Position p always lands in pool slot p % size, so rows still in view keep their DOM untouched.
    const size = this.pool.length;
    const shown = new Set<number>();
    for (let position = first; position < last; position++) {
      const slot = position % size;
      shown.add(slot);
      this.showRow(this.pool[slot] as HTMLElement, position, pages.row(position));
    }
    this.pool.forEach((row, slot) => {
      if (!shown.has(slot)) row.hidden = true;
    });
    this.viewport.setAttribute('aria-activedescendant', `sym-${this.active}`);
    this.actions.changed({ table: this.filter.table, text: this.filter.text, scroll: Math.round(this.viewport.scrollTop) });
  }

  /** Puts `data` (or a placeholder while its page loads) in `row` at `position`, writing only what changed. */
  private showRow(row: HTMLElement, position: number, data: SymbolRow | undefined): void {
    row.hidden = false;
    if (row.dataset.position !== String(position)) {
      row.dataset.position = String(position);
      row.style.transform = `translateY(${position * ROW_HEIGHT}px)`;
      row.id = `sym-${position}`;
      row.setAttribute('aria-rowindex', String(position + 1));
    }
    row.classList.toggle('active', position === this.active);
    row.setAttribute('aria-selected', String(!!data && this.selected?.table === this.filter.table && this.selected.index === data.index));
    const key = data ? `${this.filter.table}:${data.index}` : '';
    if (row.dataset.key === key && data) return;
    row.dataset.key = key;
    cellsOf(data).forEach((text, c) => {
      (row.children[c] as HTMLElement).textContent = text;
    });
  }

  private onKey(e: KeyboardEvent): void {
    const total = this.pages?.total ?? 0;
    const pageRows = Math.max(1, Math.floor(this.viewport.clientHeight / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: pageRows, PageUp: -pageRows, Home: -total, End: total };
    if (e.key in moves) {
      this.active = Math.max(0, Math.min(total - 1, this.active + (moves[e.key] as number)));
      const top = this.active * ROW_HEIGHT;
      if (top < this.viewport.scrollTop) this.viewport.scrollTop = top;
      else if (top + ROW_HEIGHT > this.viewport.scrollTop + this.viewport.clientHeight) this.viewport.scrollTop = top + ROW_HEIGHT - this.viewport.clientHeight;
      this.schedule();
    } else if (e.key === 'Enter' || e.key === ' ') {
      this.choose(this.active);
    } else {
      return;
    }
    e.preventDefault();
  }

  private choose(position: number): void {
    const row = this.pages?.row(position);
    if (!row) return;
    this.active = position;
    this.actions.select(this.filter.table, row);
  }
}
