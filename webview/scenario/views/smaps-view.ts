import type { PssGroup, PssShare, RegionSmaps, SmapsField } from '../../../simulator/inspect/view-models';
import { h, icon } from '../../dom';
import { formatKb, fraction, hasBar, procFileTitle, smapsValue } from '../format';
import { errorText, type PanelActions, type TabContext, type TabView } from './tab-view';

function fieldRow(field: SmapsField, size: number): HTMLElement {
  const bar = hasBar(field.name);
  const share = fraction(field.kb, size);
  return h('tr', { 'data-field': field.name },
    h('th', { scope: 'row', class: 'mono field-name' }, `${field.name}:`),
    h('td', { class: 'mono num kb' }, smapsValue(field)),
    h('td', { class: 'bar-cell' }, bar && !field.plain ? h('div', { class: `bar bar-${field.name.toLowerCase()}`, role: 'img', 'aria-label': `${Math.round(share * 100)}% of Size` }, h('div', { class: 'bar-fill', style: `width:${(share * 100).toFixed(2)}%` })) : null),
  );
}

/** The fields' rows, updated in place while the region's fields are the same ones (every step of a region). */
function updateFields(body: HTMLElement, fields: readonly SmapsField[], size: number): void {
  const rows = body.children;
  const same = rows.length === fields.length && fields.every((f, i) => (rows[i] as HTMLElement).dataset.field === f.name);
  if (!same) {
    body.replaceChildren(...fields.map((f) => fieldRow(f, size)));
    return;
  }
  fields.forEach((field, i) => {
    const row = rows[i] as HTMLElement;
    setText(row.querySelector('.kb'), smapsValue(field));
    const bar = row.querySelector<HTMLElement>('.bar');
    const fill = bar?.querySelector<HTMLElement>('.bar-fill');
    if (!bar || !fill) return;
    const share = fraction(field.kb, size);
    const label = `${Math.round(share * 100)}% of Size`;
    if (bar.getAttribute('aria-label') !== label) bar.setAttribute('aria-label', label);
    const width = `${(share * 100).toFixed(2)}%`;
    if (fill.style.width !== width) fill.style.width = width;
  });
}

const setText = (element: Element | null | undefined, text: string) => {
  if (element && element.textContent !== text) element.textContent = text;
};

/** The colour of a page's dot, as the pages grid colours it: an anonymous page still shared after fork is not private. */
const dotClass = (kind: PssShare['kind'], shared: boolean) => `pss-${kind}${kind === 'anon' && shared ? '-shared' : ''}`;

/**
 * Brings the explainer's rows up to date in place: from one step to the next most rows are the
 * same, and a list built anew costs the style and layout of hundreds of rows on every step.
 */
function updateExplainer(list: HTMLElement, shares: readonly PssShare[]): void {
  shares.forEach((s, i) => {
    let row = list.children[i] as HTMLElement | undefined;
    if (!row) {
      row = h('li', {}, h('span', { class: 'mono' }), h('span', { class: 'pss-dot', 'aria-hidden': 'true' }), h('span', {}));
      list.append(row);
    }
    const kind = dotClass(s.kind, s.mapcount > 1);
    if (row.className !== kind) row.className = kind;
    const title = `pfn ${s.pfn}${s.dirty ? ', dirty' : ''}`;
    if (row.title !== title) row.title = title;
    setText(row.firstElementChild, s.address);
    setText(row.lastElementChild, s.explanation);
  });
  while (list.children.length > shares.length) list.lastElementChild?.remove();
}

/** The groups of pages that add the same share, which sum to Pss. */
function groupRows(groups: readonly PssGroup[]): HTMLElement[] {
  return groups.map((g) => h('li', { class: dotClass(g.kind, !g.private) }, h('span', { class: 'pss-dot', 'aria-hidden': 'true' }), h('span', {}, g.explanation)));
}

/** Every smaps field of the selected VMA, with bars against its Size, and what each resident page adds to Pss. */
export class SmapsView implements TabView {
  readonly element: HTMLElement;
  readonly needsRegions = true;
  /** Whose smaps: "/proc/1235/smaps of Q" (after a fork, parent and child differ only here). */
  private readonly title = h('h2', { class: 'mono smaps-process' });
  private readonly header = h('p', { class: 'mono smaps-header' });
  private readonly body = h('tbody');
  private readonly flags = h('p', { class: 'mono vmflags' });
  private readonly explainerTitle = h('h2', {}, 'Where Pss comes from');
  private readonly groups = h('ul', { class: 'pss-groups', 'aria-label': 'Pss by sharing' });
  private readonly sum = h('p', { class: 'mono pss-sum' });
  private readonly pagesTitle = h('h3', {});
  private readonly explainer = h('ol', { class: 'pss-list' });
  private readonly note = h('p', { class: 'hint' });
  private readonly reveal: HTMLElement;
  private line = 0;
  /** The fields last painted, for the panel's render report. */
  shown: readonly SmapsField[] = [];

  constructor(actions: PanelActions) {
    this.reveal = h('vscode-button', { secondary: true, icon: 'go-to-file', title: 'Show the statement that created or last changed this region' }, 'Reveal line');
    this.reveal.addEventListener('click', () => actions.reveal(this.line));
    this.element = h('section', { class: 'smaps-view' },
      h('div', { class: 'toolbar' }, h('div', { class: 'smaps-heading' }, this.title, this.header), h('span', { class: 'spacer' }), this.reveal),
      h('div', { class: 'smaps-columns' },
        h('div', {}, h('table', { class: 'smaps-table', 'aria-label': 'smaps fields' }, this.body), this.flags),
        h('div', { class: 'explainer' }, this.explainerTitle, this.note, this.groups, this.sum, this.pagesTitle, this.explainer),
      ),
    );
  }

  async update(context: TabContext): Promise<void> {
    const region = context.region;
    if (!region || !context.process) return this.empty('Select a region in Processes.');
    this.title.textContent = procFileTitle(context.status.processes, context.process, 'smaps');
    let smaps: RegionSmaps | null;
    try {
      smaps = await context.client.request('smaps', { ...context.at, process: context.process, region: region.index });
    } catch (error) {
      if (context.current()) this.empty(`smaps: ${errorText(error)}`);
      return;
    }
    if (!context.current()) return;
    if (!smaps) return this.empty('This region is gone at this step.');
    this.line = region.line;
    this.reveal.textContent = region.line > 0 ? `Line ${region.line}` : 'exec';
    this.header.textContent = smaps.header;
    const size = smaps.fields.find((f) => f.name === 'Size')?.kb ?? 0;
    updateFields(this.body, smaps.fields, size);
    this.flags.textContent = `VmFlags: ${smaps.vmFlags}`;
    this.shown = smaps.fields;
    const zero = smaps.zeroPages ? `, and ${smaps.zeroPages} mapping the shared zero page (not in Rss)` : '';
    const listed = smaps.pss.length;
    const all = smaps.residentPages + (smaps.zeroPages ?? 0);
    this.note.textContent = all === 0
      ? 'No resident pages: Pss is 0.'
      : `${smaps.residentPages} resident page${smaps.residentPages === 1 ? '' : 's'}${zero}. Each adds 4 kB divided by its mapcount, the number of mappings of the page.`;
    const groups = groupRows(smaps.pssGroups);
    this.groups.replaceChildren(...groups);
    const pss = smaps.fields.find((f) => f.name === 'Pss')?.kb ?? 0;
    const exact = smaps.pssGroups.reduce((kb, g) => kb + g.pssKb, 0);
    this.sum.textContent = groups.length > 1 || !Number.isInteger(exact) ? `Sum: ${Number.isInteger(exact) ? exact : exact.toFixed(2)} kB → Pss: ${formatKb(pss)} (smaps rounds the sum down)` : '';
    this.pagesTitle.textContent = all === 0 ? '' : listed < all ? `Page by page: the first ${listed} of ${all}` : 'Page by page';
    updateExplainer(this.explainer, smaps.pss);
  }

  private empty(text: string): void {
    this.title.textContent = '';
    this.header.textContent = '';
    this.body.replaceChildren(h('tr', {}, h('td', { class: 'empty' }, icon('info'), ` ${text}`)));
    this.flags.textContent = '';
    this.explainer.replaceChildren();
    this.groups.replaceChildren();
    this.sum.textContent = '';
    this.pagesTitle.textContent = '';
    this.note.textContent = '';
    this.shown = [];
  }
}
