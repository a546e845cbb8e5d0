import type { SmapsField } from '../../../simulator/inspect/view-models';
import type { LiveExplainGroup, LiveSmapsView } from '../../../simulator/live/live-view-models';
import { h, icon } from '../../dom';
import { formatKb, fraction, hasBar } from '../../scenario/format';
import type { LiveClient } from '../live-client';

function fieldRow(field: SmapsField, size: number): HTMLElement {
  const share = fraction(field.kb, size);
  return h('tr', { 'data-field': field.name },
    h('th', { scope: 'row', class: 'mono field-name' }, `${field.name}:`),
    h('td', { class: 'mono num kb' }, formatKb(field.kb)),
    h('td', { class: 'bar-cell' }, hasBar(field.name)
      ? h('div', { class: `bar bar-${field.name.toLowerCase()}`, role: 'img', 'aria-label': `${Math.round(share * 100)}% of Size` }, h('div', { class: 'bar-fill', style: `width:${(share * 100).toFixed(2)}%` }))
      : null),
  );
}

/** The dot's colour, as the scenario's explainer colours it; swapped pages in the swap colour. */
const dotClass = (g: LiveExplainGroup) => (g.kind === 'swap' ? 'pss-swap' : `pss-${g.kind}${g.kind === 'anon' && g.mapcount > 1 ? '-shared' : ''}`);

/** Where the VMA is in the address space's map and table: the key of a region the view asks about. */
export interface SmapsRequest {
  readonly run: number;
  readonly process: string;
  readonly region: number;
}

/**
 * One VMA of the live process: every smaps field with bars against Size, and "where Pss comes from"
 * from its real pages: groups by kind and mapcount (swap counts toward SwapPss), the sum as
 * smaps_account makes it beside the kernel's Pss, and whether the mapcounts were known.
 */
export class LiveSmapsPane {
  readonly element: HTMLElement;
  private readonly header = h('p', { class: 'mono smaps-header' });
  private readonly body = h('tbody');
  private readonly flags = h('p', { class: 'mono vmflags' });
  private readonly verdict = h('p', { class: 'pss-verdict', role: 'status' });
  private readonly groups = h('ul', { class: 'pss-groups', 'aria-label': 'Pss by kind and mapcount' });
  private readonly sum = h('p', { class: 'mono pss-sum' });
  private readonly notes = h('ul', { class: 'hint pss-notes' });
  /** The fields last painted, for the paint report. */
  shown: readonly SmapsField[] = [];

  constructor() {
    this.element = h('section', { class: 'smaps-view' },
      h('div', { class: 'toolbar' }, this.header),
      h('div', { class: 'smaps-columns' },
        h('div', {}, h('table', { class: 'smaps-table', 'aria-label': 'smaps fields' }, this.body), this.flags),
        h('div', { class: 'explainer' }, h('h2', {}, 'Where Pss comes from'), this.verdict, this.groups, this.sum, this.notes),
      ),
    );
  }

  async update(client: LiveClient, at: SmapsRequest | null, current: () => boolean): Promise<void> {
    if (!at) return this.empty('Select a region in the map or the maps table.');
    let smaps: LiveSmapsView | null;
    try {
      smaps = await client.request('smaps', { run: at.run, step: 0, process: at.process, region: at.region });
    } catch (error) {
      if (current()) this.empty(`smaps: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (!current()) return;
    if (!smaps) return this.empty('This region is gone in this reading.');
    this.header.textContent = smaps.header;
    const size = smaps.fields.find((f) => f.name === 'Size')?.kb ?? 0;
    this.body.replaceChildren(...smaps.fields.map((f) => fieldRow(f, size)));
    this.flags.textContent = `VmFlags: ${smaps.vmFlags}`;
    this.shown = smaps.fields;
    const e = smaps.explain;
    if (!e) {
      this.verdict.replaceChildren(icon('info'), ' The pages of this region could not be read (see the warnings above).');
      this.groups.replaceChildren();
      this.sum.textContent = '';
      this.notes.replaceChildren();
      return;
    }
    const kernel = e.kernelPssKb;
    const agrees = kernel === null || kernel === e.pssKb;
    this.verdict.className = `pss-verdict ${e.exact && agrees ? 'exact' : 'inexact'}`;
    this.verdict.replaceChildren(
      icon(e.exact && agrees ? 'pass' : 'warning'),
      e.exact
        ? ` Exact: every resident page's mapcount came from /proc/kpagecount${agrees ? ', and the groups sum to the kernel\'s Pss.' : `, but the sum (${e.pssKb} kB) differs from the kernel's Pss (${kernel} kB): the process changed while it was read.`}`
        : ' Not exact: some mapcounts are unknown (see below); those pages are counted as if mapped once.',
    );
    const resident = e.groups.filter((g) => g.kind !== 'swap');
    this.groups.replaceChildren(...(e.groups.length === 0
      ? [h('li', { class: 'empty' }, 'No resident or swapped pages: Pss is 0.')]
      : e.groups.map((g) => h('li', { class: dotClass(g), 'data-kind': g.kind, 'data-mapcount': g.mapcount },
        h('span', { class: 'pss-dot', 'aria-hidden': 'true' }), h('span', {}, g.explanation)))));
    const exactSum = resident.reduce((kb, g) => kb + g.pssKb, 0);
    this.sum.textContent = `Sum: ${Number.isInteger(exactSum) ? exactSum : exactSum.toFixed(2)} kB → Pss ${formatKb(e.pssKb)} (smaps_account sums in 1/4096 kB and shifts right: it rounds down)${kernel !== null ? ` · kernel: ${formatKb(kernel)}` : ''}`;
    this.notes.replaceChildren(...[
      ...(e.skippedPages > 0 ? [`${e.skippedPages.toLocaleString('en-US')} pages left out, as smaps leaves them out (the zero page, PFN maps, hugetlb).`] : []),
      ...e.notes,
    ].map((n) => h('li', {}, n)));
  }

  private empty(text: string): void {
    this.header.textContent = '';
    this.body.replaceChildren(h('tr', {}, h('td', { class: 'empty' }, icon('info'), ` ${text}`)));
    this.flags.textContent = '';
    this.verdict.replaceChildren();
    this.groups.replaceChildren();
    this.sum.textContent = '';
    this.notes.replaceChildren();
    this.shown = [];
  }
}
