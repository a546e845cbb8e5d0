import { h, icon } from '../dom';
import { rovingFocus } from '../roving-focus';
import type { Links } from '../selection';
import { ASLR_MODES, type AslrMode, type ExportFormat, type LayoutResult, type LayoutView } from '../view-models';

export interface MapsActions {
  aslr(mode: AslrMode): void;
  reroll(): void;
  copy(): void;
  export(format: ExportFormat): void;
  select(regionIndex: number): void;
}

const ASLR_TITLES: Readonly<Record<AslrMode, string>> = {
  off: 'randomize_va_space 0, as setarch -R',
  on: 'randomize_va_space 1: stack, mmap and PIE base',
  full: 'randomize_va_space 2: also brk',
};

const COLUMNS = ['address', 'perms', 'offset', 'dev', 'inode', 'pathname'];

function button(label: string, iconName: string, run: () => void, title: string): HTMLElement {
  // A visible label is the accessible name (WCAG 2.5.3); an icon-only button is named by its title.
  const b = h('vscode-button', { secondary: true, icon: iconName, title, 'aria-label': label ? undefined : title }, label || null);
  b.addEventListener('click', run);
  return b;
}

/** Where execve put things, in one line: load bias, entry, the interpreter and where it was found. */
function layoutFacts(layout: LayoutView): string {
  const i = layout.interpreter;
  const interpreter = i ? `, interpreter ${i.requested} ${i.found ? `read from ${i.lookedUp}` : `not found at ${i.lookedUp}`}` : ', no interpreter';
  return `load bias ${layout.loadBias}, program entry ${layout.entry}${interpreter}`;
}

/** /proc/PID/maps of the exec layout, with the ASLR controls, copy and export. */
export class MapsView {
  readonly element: HTMLElement;
  private readonly select: HTMLElement & { value: string };
  private readonly seedLabel = h('span', { class: 'seed' });
  private readonly reroll: HTMLElement;
  private readonly banner = h('div', { class: 'banner', role: 'status', hidden: true });
  private readonly facts = h('p', { class: 'layout-facts' });
  private readonly body = h('tbody');
  private readonly details = h('p', { class: 'details', 'aria-live': 'polite' });
  private readonly status = h('span', { class: 'status', role: 'status' });
  private rows: HTMLElement[] = [];
  private readonly refreshFocus: () => void;
  private descriptions: string[] = [];

  constructor(actions: MapsActions) {
    this.select = h('vscode-single-select', { 'aria-label': 'ASLR mode', label: 'ASLR mode', class: 'aslr', title: ASLR_MODES.map((m) => `${m}: ${ASLR_TITLES[m]}`).join('\n') },
      ...ASLR_MODES.map((m) => h('vscode-option', { value: m }, m)),
    ) as HTMLElement & { value: string };
    this.select.addEventListener('change', () => actions.aslr(this.select.value as AslrMode));
    this.reroll = button('Re-roll seed', 'debug-restart', actions.reroll, 'Pick a new random seed for the randomized layout');
    const toolbar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Layout' },
      h('label', { class: 'aslr-label' }, 'ASLR'), this.select, this.seedLabel, this.reroll,
      h('span', { class: 'spacer' }),
      button('Copy as /proc/PID/maps', 'copy', actions.copy, 'Copy the maps lines to the clipboard'),
      h('span', { class: 'export-label' }, 'Export'),
      button('', 'json', () => actions.export('json'), 'Export the layout and the whole ELF description as JSON'),
      button('', 'table', () => actions.export('csv'), 'Export the regions as CSV'),
      button('', 'markdown', () => actions.export('markdown'), 'Export a Markdown report'),
    );
    const table = h('table', { class: 'maps-table', 'aria-label': '/proc/PID/maps' },
      h('thead', {}, h('tr', {}, ...COLUMNS.map((c) => h('th', { scope: 'col' }, c)))),
      this.body,
    );
    this.element = h('section', { class: 'maps-view' }, toolbar, this.status, this.banner, this.facts, h('div', { class: 'table-scroll' }, table), this.details);
    this.refreshFocus = rovingFocus(this.body, 'tr', (row) => actions.select(Number(row.dataset.index)));
  }

  setControls(aslr: AslrMode, seed: string): void {
    this.select.value = aslr;
    this.seedLabel.textContent = aslr === 'off' ? '' : `seed ${seed}`;
    this.reroll.toggleAttribute('disabled', aslr === 'off');
  }

  show(layout: LayoutResult): void {
    const message = layout.kind === 'layout' ? layout.incomplete : `Not executable: ${layout.reason}`;
    this.banner.hidden = !message;
    this.banner.replaceChildren(icon(layout.kind === 'layout' ? 'warning' : 'info'), ' ', message ?? '');
    this.facts.textContent = layout.kind === 'layout' ? layoutFacts(layout) : '';
    const regions = layout.kind === 'layout' ? layout.regions : [];
    this.descriptions = regions.map((r) => r.description);
    this.rows = regions.map((r, i) => h('tr', { 'data-index': i, 'data-start': r.start, class: `owner-${r.owner}`, 'aria-selected': 'false', title: r.description },
      h('td', { class: 'mono' }, r.range), h('td', { class: 'mono' }, r.perms), h('td', { class: 'mono' }, r.offset),
      h('td', { class: 'mono' }, r.device), h('td', { class: 'mono' }, r.inode), h('td', { class: 'mono' }, r.name),
    ));
    this.body.replaceChildren(...this.rows);
    this.refreshFocus();
  }

  highlight(links: Links, selectedRegion: number): void {
    this.rows.forEach((row, i) => {
      row.setAttribute('aria-selected', String(i === selectedRegion));
      row.classList.toggle('linked', links.regions.has(i));
    });
    this.details.textContent = this.descriptions[selectedRegion] ?? '';
  }

  say(text: string): void {
    this.status.textContent = text;
  }
}
