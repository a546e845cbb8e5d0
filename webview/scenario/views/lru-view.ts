import type { LruPage, LruView, ReclaimEvent } from '../../../simulator/inspect/view-models';
import { h, icon } from '../../dom';
import { errorText, type TabContext, type TabView } from './tab-view';

const LIST_TITLES: Readonly<Record<string, string>> = {
  inactive_anon: 'inactive anon', active_anon: 'active anon', inactive_file: 'inactive file', active_file: 'active file', unevictable: 'unevictable',
};

function marker(on: boolean, letter: string, title: string): HTMLElement {
  return h('span', { class: `marker${on ? ' on' : ''}`, title: `${title}: ${on ? 'yes' : 'no'}`, 'aria-label': `${title} ${on ? 'yes' : 'no'}` }, letter);
}

function pageItem(p: LruPage): HTMLElement {
  return h('li', { class: 'lru-page' },
    h('span', { class: 'mono pfn' }, `#${p.pfn}`),
    marker(p.referenced, 'R', 'PG_referenced'), marker(p.young, 'A', 'accessed bit in a PTE (young)'), marker(p.dirty, 'D', 'dirty'),
    h('span', { class: 'owner', title: p.owner }, p.owner),
  );
}

/** The LRU lists (head first) with the referenced and accessed bits, and what reclaim (and refault detection) did during the step. */
export class LruListsView implements TabView {
  readonly element: HTMLElement;
  readonly needsRegions = false;
  private readonly lists = h('div', { class: 'lru-lists' });
  private readonly events = h('div', { class: 'reclaim' });

  constructor() {
    this.element = h('section', { class: 'lru-view' },
      h('p', { class: 'hint' }, 'Head (most recently added) first. R: PG_referenced · A: a PTE\'s accessed bit (young) · D: dirty.'),
      this.lists, this.events);
  }

  async update(context: TabContext): Promise<void> {
    let result: { view: LruView; events: ReclaimEvent[] };
    try {
      result = await context.client.request('lru', context.at);
    } catch (error) {
      if (context.current()) this.lists.replaceChildren(h('p', { class: 'empty' }, icon('error'), ` ${errorText(error)}`));
      return;
    }
    if (!context.current()) return;
    const shown = result.view.lists.filter((l) => l.name !== 'unevictable' || l.total > 0);
    this.lists.replaceChildren(...shown.map((l) => h('div', { class: `lru-list lru-${l.name}`, 'data-list': l.name },
      h('h2', {}, LIST_TITLES[l.name] ?? l.name, h('vscode-badge', { variant: 'counter' }, String(l.total))),
      l.pages.length ? h('ol', { tabindex: 0, 'aria-label': `${LIST_TITLES[l.name] ?? l.name}: ${l.total} pages` }, ...l.pages.map(pageItem)) : h('p', { class: 'empty' }, 'empty'),
      l.total > l.pages.length ? h('p', { class: 'hint' }, `and ${(l.total - l.pages.length).toLocaleString('en-US')} more`) : null,
    )));
    this.events.replaceChildren(
      h('h2', {}, 'Reclaim and refaults during this statement'),
      result.events.length === 0
        ? h('p', { class: 'hint' }, 'Reclaim did not run in this statement, and no page it dropped was read again (see a reclaim, madvise pageout or a statement under memory pressure).')
        : h('table', { class: 'reclaim-table' },
          h('thead', {}, h('tr', {}, ...['frame', 'list', 'action', 'why'].map((c) => h('th', {}, c)))),
          h('tbody', {}, ...result.events.map((e) => h('tr', { class: `action-${e.action}` }, h('td', { class: 'mono' }, `#${e.pfn}`), h('td', {}, LIST_TITLES[e.list] ?? e.list), h('td', {}, e.action), h('td', { class: 'ellipsis', title: e.reason }, e.reason))))),
    );
  }
}
