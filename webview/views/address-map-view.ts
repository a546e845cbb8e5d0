import { mapRows } from '../address-map-model';
import { h } from '../dom';
import { formatSize, mapsAddress } from '../format';
import { rovingFocus } from '../roving-focus';
import type { Links } from '../selection';
import type { LayoutResult } from '../view-models';

/** A file's base name (the full path is in the maps table); [stack], [vdso]… as they are. */
function shortName(name: string): string {
  return name.startsWith('/') ? (name.split('/').pop() ?? name) : name || '(anonymous)';
}

/** The address space drawn top to bottom (low to high addresses), regions to a log scale, gaps collapsed. */
export class AddressMapView {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private items: HTMLElement[] = [];
  private readonly refreshFocus: () => void;

  constructor(onSelect: (regionIndex: number) => void) {
    this.list = h('div', { class: 'map-list', role: 'listbox', 'aria-label': 'Address space map' });
    this.element = h('section', { class: 'address-map', 'aria-label': 'Address space' },
      h('h2', {}, 'Address space'),
      h('p', { class: 'hint' }, 'Low addresses at the top. Heights grow with the logarithm of the size; unmapped gaps are collapsed.'),
      this.list,
    );
    this.refreshFocus = rovingFocus(this.list, '.map-region', (item) => onSelect(Number(item.dataset.index)));
  }

  show(layout: LayoutResult): void {
    if (layout.kind !== 'layout') {
      this.items = [];
      this.list.replaceChildren(h('p', { class: 'empty' }, 'No address space: the file cannot be executed.'));
      return;
    }
    const regions = layout.regions;
    this.items = [];
    this.list.replaceChildren(...mapRows(regions).map((row) => {
      if (row.kind === 'gap') return h('div', { class: 'map-gap', role: 'presentation' }, row.label);
      const r = regions[row.index]!;
      const item = h('div', {
        class: `map-region owner-${r.owner}`,
        role: 'option',
        'aria-selected': 'false',
        'data-index': row.index,
        'data-start': r.start,
        title: r.description,
      },
        h('span', { class: 'map-address' }, mapsAddress(r.start)),
        h('span', { class: 'map-block' }, h('span', { class: 'map-name', title: r.name }, shortName(r.name)), h('span', { class: 'map-perms' }, r.perms)),
        h('span', { class: 'map-size' }, formatSize(row.size)),
      );
      // Through the CSSOM: the CSP forbids style attributes.
      item.style.height = `${row.height}px`;
      this.items[row.index] = item;
      return item;
    }));
    this.refreshFocus();
  }

  highlight(links: Links, selectedRegion: number): void {
    this.items.forEach((item, i) => {
      item.setAttribute('aria-selected', String(i === selectedRegion));
      item.classList.toggle('linked', links.regions.has(i));
    });
    this.items[selectedRegion]?.scrollIntoView({ block: 'nearest' });
  }
}
