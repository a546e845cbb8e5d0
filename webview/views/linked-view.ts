import { h, icon } from '../dom';
import { rovingFocus } from '../roving-focus';
import type { LinkedNode, LinkedObjectView, LinkedRegionView, LinkedResult, LinkedView as LinkedModel } from '../view-models';

export interface LinkedActions {
  copy(): void;
}

interface TreeRow {
  readonly id: string;
  readonly parent: string | null;
  readonly level: number;
  readonly node: LinkedNode;
  readonly element: HTMLElement;
}

const COLUMNS = ['what', 'address', 'perms', 'offset', 'dev', 'inode', 'pathname'];
const OBJECT_ICONS: Readonly<Record<LinkedObjectView['kind'], string>> = { executable: 'file-binary', interpreter: 'gear', library: 'library' };
const KERNEL_ROLES = new Set(['vDSO', 'vDSO data (vvar)', 'vDSO clock pages', 'vsyscall page']);

/** Which run of lines a region belongs to: its object, or what it is when no object holds it. */
function groupKey(r: LinkedRegionView): string {
  const owner = r.objects[0];
  if (owner !== undefined) return `object ${owner}`;
  return KERNEL_ROLES.has(r.role) ? 'kernel' : r.role;
}

function groupTitle(key: string, r: LinkedRegionView, objects: readonly LinkedObjectView[]): [string, string] {
  const owner = r.objects[0];
  const o = owner === undefined ? undefined : objects[owner];
  if (o) return [o.name, o.kind === 'executable' ? 'the program' : o.kind === 'interpreter' ? 'the dynamic loader' : o.mapsPath];
  if (key === 'kernel') return ['kernel', 'vDSO and vsyscall, mapped by execve'];
  if (key === 'ld.so allocations') return ['ld.so allocations', "the loader's own memory (__minimal_malloc): link maps, search paths, TLS"];
  return [r.role, r.name];
}

/**
 * The Linked tab: ld.so's dependency tree (a keyboard tree: arrows move, Right/Left expand and
 * collapse, Enter selects) and /proc/PID/maps at the program's entry point, grouped by object.
 * Selecting an object lights up its regions; selecting a region selects its object.
 */
export class LinkedView {
  readonly element: HTMLElement;
  private readonly banner = h('div', { class: 'banner error', role: 'alert', hidden: true });
  private readonly facts = h('p', { class: 'layout-facts' });
  private readonly tree = h('div', { class: 'linked-tree', role: 'tree', 'aria-label': 'Dependency tree (DT_NEEDED)' });
  private readonly object = h('dl', { class: 'linked-object', 'aria-live': 'polite' });
  private readonly body = h('tbody');
  private readonly details = h('p', { class: 'details', 'aria-live': 'polite' });
  private readonly status = h('span', { class: 'status', role: 'status' });
  private readonly content: HTMLElement;
  private readonly copyButton: HTMLElement;
  private model?: LinkedModel;
  private rows: TreeRow[] = [];
  private regionRows: HTMLElement[] = [];
  private readonly collapsed = new Set<string>();
  private selectedObject = -1;
  private selectedRegion = -1;
  private readonly refreshTreeFocus: () => void;
  private readonly refreshRegionFocus: () => void;

  constructor(actions: LinkedActions) {
    this.copyButton = h('vscode-button', { secondary: true, icon: 'copy', title: 'Copy the maps lines at entry to the clipboard' }, 'Copy as /proc/PID/maps');
    this.copyButton.addEventListener('click', () => actions.copy());
    const toolbar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Layout at entry' },
      h('span', { class: 'linked-title' }, icon('debug-start'), ' At the entry point, after ld.so'), h('span', { class: 'spacer' }), this.copyButton,
    );
    const table = h('table', { class: 'linked-table', 'aria-label': '/proc/PID/maps at the entry point' },
      h('thead', {}, h('tr', {}, ...COLUMNS.map((c) => h('th', { scope: 'col' }, c)))),
      this.body,
    );
    this.content = h('div', { class: 'linked-content' },
      this.facts,
      h('div', { class: 'linked-top' }, h('div', { class: 'linked-tree-box' }, h('h2', {}, 'Dependencies'), this.tree), h('div', { class: 'linked-object-box' }, h('h2', {}, 'Object'), this.object)),
      h('h2', {}, 'Layout at entry'),
      h('div', { class: 'table-scroll' }, table),
      this.details,
    );
    this.element = h('section', { class: 'linked-view' }, toolbar, this.status, this.banner, this.content);
    // Before rovingFocus's handler, so that Right/Left expand and collapse instead of moving.
    this.tree.addEventListener('keydown', (e) => this.treeKey(e));
    this.refreshTreeFocus = rovingFocus(this.tree, '[role="treeitem"]:not([hidden])', (item) => this.selectObject(Number(item.dataset.object), item.dataset.id));
    this.refreshRegionFocus = rovingFocus(this.body, 'tr.region-row', (row) => this.selectRegion(Number(row.dataset.index)));
    this.tree.addEventListener('click', (e) => {
      const twistie = (e.target as HTMLElement).closest('.twistie');
      const item = twistie?.closest<HTMLElement>('[role="treeitem"]');
      if (item?.dataset.id) this.toggle(item.dataset.id);
    });
    this.loading();
  }

  loading(): void {
    this.banner.hidden = true;
    this.content.hidden = true;
    this.copyButton.toggleAttribute('disabled', true);
    this.facts.textContent = '';
    this.status.replaceChildren(h('vscode-progress-ring', { class: 'inline-ring' }), ' Running ld.so…');
  }

  show(result: LinkedResult): void {
    this.status.replaceChildren();
    if (result.kind !== 'linked') {
      this.model = undefined;
      this.content.hidden = true;
      this.copyButton.toggleAttribute('disabled', true);
      this.banner.hidden = false;
      this.banner.className = result.kind === 'error' ? 'banner error' : 'banner';
      this.banner.replaceChildren(
        h('div', {}, h('div', { class: 'banner-line' }, icon(result.kind === 'error' ? 'error' : 'info'), ' ', h('span', { class: result.kind === 'error' ? 'mono' : undefined }, result.message)),
          result.searched.length ? h('div', { class: 'searched' }, 'Searched, in order:', h('ol', {}, ...result.searched.map((d) => h('li', { class: 'mono' }, d)))) : null),
      );
      return;
    }
    const previous = this.model;
    this.model = result;
    this.banner.hidden = true;
    this.content.hidden = false;
    this.copyButton.toggleAttribute('disabled', false);
    const names = result.searchList.map((i) => result.objects[i]?.name ?? '?');
    this.facts.textContent = `ld.so's search list (breadth-first): ${names.join(', ')}` + (result.ldLibraryPath ? `; LD_LIBRARY_PATH=${result.ldLibraryPath}` : '');
    this.renderTree(result);
    this.renderRegions(result);
    // The same object stays selected across ASLR changes; a vanished one is dropped.
    const keep = previous && this.selectedObject >= 0 ? result.objects.findIndex((o) => o.mapsPath === previous.objects[this.selectedObject]?.mapsPath) : -1;
    this.selectedRegion = -1;
    this.selectObject(keep);
  }

  say(text: string): void {
    this.status.textContent = text;
  }

  private renderTree(model: LinkedModel): void {
    this.rows = [];
    const walk = (node: LinkedNode, id: string, parent: string | null, level: number, setsize: number, posinset: number) => {
      const o = model.objects[node.object];
      if (!o) return;
      const expandable = node.children.length > 0;
      const label = node.needed || o.name;
      const where = node.duplicate
        ? 'already loaded: not searched again'
        : [o.kind === 'executable' ? o.mapsPath : o.path, o.foundVia, `l_addr ${o.lAddr}`].join(' · ');
      const element = h('div', {
        role: 'treeitem', class: `tree-row kind-${o.kind}${node.duplicate ? ' duplicate' : ''}`, tabindex: -1,
        'aria-level': level, 'aria-setsize': setsize, 'aria-posinset': posinset, 'aria-selected': 'false',
        'aria-expanded': expandable ? 'true' : undefined, 'aria-label': `${label}, ${where}`,
        'data-id': id, 'data-object': node.object, style: `--level: ${level - 1}`, title: node.duplicate ? `${label} was loaded earlier in the breadth-first walk` : `${o.path || o.mapsPath}\n${o.foundVia}\nl_addr ${o.lAddr}, [${o.mapStart}, ${o.mapEnd})`,
      },
        h('span', { class: `twistie codicon ${expandable ? 'codicon-chevron-down' : ''}`, 'aria-hidden': 'true' }),
        icon(node.duplicate ? 'references' : OBJECT_ICONS[o.kind]),
        h('span', { class: 'tree-label' }, label),
        h('span', { class: 'tree-description' }, where),
      );
      this.rows.push({ id, parent, level, node, element });
      node.children.forEach((child, i) => walk(child, `${id}.${i}`, id, level + 1, node.children.length, i + 1));
    };
    walk(model.tree, '0', null, 1, 1, 1);
    // Keep what the user collapsed when the tree has the same shape.
    for (const id of [...this.collapsed]) if (!this.rows.some((r) => r.id === id && r.node.children.length)) this.collapsed.delete(id);
    this.tree.replaceChildren(...this.rows.map((r) => r.element));
    this.applyCollapse();
  }

  private renderRegions(model: LinkedModel): void {
    const rows: HTMLElement[] = [];
    this.regionRows = [];
    let lastKey = '';
    model.regions.forEach((r, i) => {
      const key = groupKey(r);
      if (key !== lastKey) {
        const [title, subtitle] = groupTitle(key, r, model.objects);
        rows.push(h('tr', { class: 'group-row' }, h('th', { colspan: COLUMNS.length, scope: 'rowgroup' }, h('span', { class: 'group-title' }, title), ' ', h('span', { class: 'group-subtitle' }, subtitle))));
        lastKey = key;
      }
      const row = h('tr', { class: 'region-row', 'data-index': i, 'data-start': r.start, 'aria-selected': 'false', title: r.description },
        h('td', { class: 'role' }, r.role),
        h('td', { class: 'mono' }, r.range), h('td', { class: 'mono' }, r.perms), h('td', { class: 'mono' }, r.offset),
        h('td', { class: 'mono' }, r.device), h('td', { class: 'mono' }, r.inode), h('td', { class: 'mono' }, r.name),
      );
      rows.push(row);
      this.regionRows.push(row);
    });
    this.body.replaceChildren(...rows);
    this.refreshRegionFocus();
  }

  private visibleRows(): TreeRow[] {
    return this.rows.filter((r) => !r.element.hidden);
  }

  private applyCollapse(): void {
    const hiddenParents = new Set<string>();
    for (const row of this.rows) {
      const hidden = row.parent !== null && (hiddenParents.has(row.parent) || this.collapsed.has(row.parent));
      row.element.hidden = hidden;
      if (hidden) hiddenParents.add(row.id);
      if (row.node.children.length) {
        const open = !this.collapsed.has(row.id);
        row.element.setAttribute('aria-expanded', String(open));
        row.element.querySelector('.twistie')?.classList.toggle('codicon-chevron-down', open);
        row.element.querySelector('.twistie')?.classList.toggle('codicon-chevron-right', !open);
      }
    }
    this.refreshTreeFocus();
    if (!this.rows.some((r) => r.element.tabIndex === 0 && !r.element.hidden)) {
      const first = this.visibleRows()[0];
      for (const r of this.rows) r.element.tabIndex = r === first ? 0 : -1;
    }
  }

  private toggle(id: string, open?: boolean): void {
    const shouldOpen = open ?? this.collapsed.has(id);
    if (shouldOpen) this.collapsed.delete(id);
    else this.collapsed.add(id);
    this.applyCollapse();
  }

  private focusRow(row: TreeRow | undefined): void {
    if (!row) return;
    for (const r of this.rows) r.element.tabIndex = r === row ? 0 : -1;
    row.element.focus();
  }

  /** The tree's own keys (WAI-ARIA tree pattern): Right opens or goes to the first child, Left closes or goes to the parent. */
  private treeKey(e: KeyboardEvent): void {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const row = this.rows.find((r) => r.element === document.activeElement);
    if (!row) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    const expandable = row.node.children.length > 0;
    const open = expandable && !this.collapsed.has(row.id);
    if (e.key === 'ArrowRight') {
      if (expandable && !open) this.toggle(row.id, true);
      else if (open) this.focusRow(this.rows.find((r) => r.parent === row.id));
    } else if (open) {
      this.toggle(row.id, false);
    } else {
      this.focusRow(this.rows.find((r) => r.id === row.parent));
    }
  }

  /** Selects an object (from the tree, or as the owner of a region) and lights up its regions. */
  private selectObject(index: number, rowId?: string): void {
    this.selectedObject = index;
    const model = this.model;
    if (!model) return;
    // The row that holds the object: the one clicked, or where the walk first loaded it (revealed).
    const row = rowId !== undefined ? this.rows.find((r) => r.id === rowId) : this.rows.find((r) => r.node.object === index && !r.node.duplicate);
    if (row && rowId === undefined) {
      for (let p = row.parent; p !== null; p = this.rows.find((r) => r.id === p)?.parent ?? null) this.collapsed.delete(p);
      this.applyCollapse();
      for (const r of this.rows) r.element.tabIndex = r === row ? 0 : -1;
    }
    for (const r of this.rows) {
      r.element.setAttribute('aria-selected', String(r === row));
      r.element.classList.toggle('linked', r !== row && r.node.object === index);
    }
    if (rowId !== undefined) this.selectedRegion = -1;
    this.regionRows.forEach((tr, i) => {
      tr.classList.toggle('linked', model.regions[i]?.objects.includes(index) ?? false);
      tr.setAttribute('aria-selected', String(i === this.selectedRegion));
    });
    this.showObject(model.objects[index]);
    this.details.textContent = model.regions[this.selectedRegion]?.description ?? '';
  }

  private selectRegion(index: number): void {
    const region = this.model?.regions[index];
    if (!region) return;
    this.selectedRegion = index;
    this.selectObject(region.objects[0] ?? -1);
  }

  private showObject(o: LinkedObjectView | undefined): void {
    if (!o) {
      this.object.replaceChildren(h('p', { class: 'hint' }, 'Select a library in the tree, or a line of the layout, to see which regions are its own.'));
      return;
    }
    const fact = (term: string, value: string, mono = true) => [h('dt', {}, term), h('dd', { class: mono ? 'mono' : undefined }, value)];
    const count = this.model?.regions.filter((r) => r.objects.includes(this.selectedObject)).length ?? 0;
    this.object.replaceChildren(
      ...fact('name', o.name),
      ...fact(o.kind === 'executable' ? 'file' : 'l_name', o.path || o.mapsPath),
      ...(o.mapsPath !== o.path && o.path ? fact('maps path', o.mapsPath) : []),
      ...fact('how', o.foundVia, false),
      ...fact('l_addr', o.lAddr),
      ...fact('map', `${o.mapStart}–${o.mapEnd}`),
      ...fact('regions', `${count} line${count === 1 ? '' : 's'} of maps`, false),
    );
  }
}
