import type { LiveDiffRow, LiveDiffView } from '../../../simulator/live/live-view-models';
import { h, icon } from '../../dom';
import { formatKb } from '../../scenario/format';
import type { LiveClient } from '../live-client';
import { delta } from '../live-math';

const time = (ms: number) => new Date(ms).toLocaleTimeString('en-GB');


function row(r: LiveDiffRow): HTMLElement {
  const cell = (pair: readonly [number, number]) => h('td', { class: 'mono num', title: `${formatKb(pair[0])} → ${formatKb(pair[1])}` }, delta(pair));
  return h('tr', { class: `diff-${r.change}`, 'data-start': r.start },
    h('td', {}, icon(r.change === 'added' ? 'diff-added' : r.change === 'removed' ? 'diff-removed' : 'diff-modified'), ` ${r.change}`),
    h('td', { class: 'mono' }, `${r.start.slice(2)}-${r.end.slice(2)}`), h('td', { class: 'mono' }, r.perms),
    cell(r.rssKb), cell(r.pssKb), cell(r.swapKb),
    h('td', { class: 'mono ellipsis', title: r.path }, r.path), h('td', {}, r.note),
  );
}

/** The reading against the snapshot: the totals, and every VMA that appeared, went or changed. */
export class DiffPane {
  readonly element: HTMLElement;
  private readonly summary = h('p', { class: 'diff-summary', 'aria-live': 'polite' });
  private readonly body = h('tbody');

  constructor() {
    this.element = h('section', { class: 'diff-view' }, this.summary,
      h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': 'Changes since the snapshot (scrolls)' }, h('table', { class: 'diff-table', 'aria-label': 'Changes since the snapshot' },
        h('thead', {}, h('tr', {}, ...['change', 'address', 'perms', 'Δ Rss', 'Δ Pss', 'Δ Swap', 'pathname', 'note'].map((c) => h('th', { scope: 'col', class: c.startsWith('Δ') ? 'num' : undefined }, c)))),
        this.body)));
  }

  async update(client: LiveClient, run: number, current: () => boolean): Promise<void> {
    let diff: LiveDiffView | null;
    try {
      diff = run > 0 ? await client.request('diff', { run }) : null;
    } catch (error) {
      if (current()) this.summary.replaceChildren(icon('error'), ` ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (!current()) return;
    if (!diff) {
      this.summary.replaceChildren(icon('info'), ' No snapshot yet: press Snapshot to keep this reading, then Refresh (or wait for the next automatic reading) to see what changed.');
      this.body.replaceChildren();
      return;
    }
    const t = diff.totals;
    this.summary.replaceChildren(
      h('strong', {}, `Since the snapshot of ${time(diff.snapshotAt)} (reading of ${time(diff.currentAt)}): `),
      `Rss ${delta(t.rssKb)}, Pss ${delta(t.pssKb)}, Swap ${delta(t.swapKb)}; VMAs ${diff.vmas[0]} → ${diff.vmas[1]}. `,
      diff.rows.length === 0 ? 'No VMA changed.' : `${diff.rows.length} VMA${diff.rows.length === 1 ? '' : 's'} changed${diff.omitted ? ` (and ${diff.omitted} more not listed)` : ''}.`,
    );
    this.body.replaceChildren(...diff.rows.map(row));
  }
}
