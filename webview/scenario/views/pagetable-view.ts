import type { PagingMode, WalkLevel, WalkView } from '../../../simulator/inspect/view-models';
import { h, icon } from '../../dom';
import { PAGING_MODES } from '../checks';
import { normalizeAddress, walkBitsLabel } from '../format';
import { errorText, type TabContext, type TabView } from './tab-view';
import { toy6Element } from './toy6-view';

const MODE_TITLES: Readonly<Record<PagingMode, string>> = {
  'x86-64': 'x86-64 4-level paging: CR3 → PML4E → PDPTE → PDE → PTE, 9 bits each, 4 KiB pages',
  i386: 'i386 2-level paging: CR3 → PDE → PTE, 10 bits each, 32-bit addresses',
  toy6: 'The 6-bit teaching architecture: 8 pages of 8 bytes, PTE bits U/W/P',
};

function levelCard(level: WalkLevel, last: boolean): HTMLElement {
  const bits = walkBitsLabel(level);
  return h('li', { class: `walk-level${level.present ? '' : ' not-present'}`, 'data-level': level.level },
    h('div', { class: 'walk-head' }, h('span', { class: 'walk-name' }, level.level), h('span', { class: 'mono walk-bits', title: bits.title }, bits.text)),
    h('dl', { class: 'walk-facts' },
      h('dt', {}, 'index'), h('dd', { class: 'mono' }, `${level.index} (0x${level.index.toString(16)})`),
      h('dt', {}, 'table'), h('dd', { class: 'mono' }, level.table),
      h('dt', {}, 'entry'), h('dd', { class: 'mono' }, level.entry),
    ),
    h('div', { class: 'chips' }, ...level.flags.map((f) => h('span', { class: 'chip flag' }, f)), level.present ? null : h('span', { class: 'chip flag absent' }, 'not present')),
    level.note ? h('p', { class: 'walk-note' }, level.note) : null,
    last ? null : h('span', { class: 'walk-arrow', 'aria-hidden': 'true' }, icon('arrow-down')),
  );
}

/** The page-table walk of one address of the selected process, in x86-64, i386 or toy6 paging. */
export class PagetableView implements TabView {
  readonly element: HTMLElement;
  readonly needsRegions = true;
  private readonly field: HTMLElement & { value: string };
  private readonly modeSelect: HTMLElement & { value: string };
  private readonly heading = h('p', { class: 'walk-title' });
  private readonly levels = h('ol', { class: 'walk-levels' });
  private readonly result = h('div', { class: 'walk-result', 'aria-live': 'polite' });
  private readonly toy6 = h('div', { class: 'toy6-host' });
  private context?: TabContext;
  address: string | null;
  mode: PagingMode;

  constructor(initial: { address: string | null; mode: PagingMode }, private readonly changed: () => void) {
    this.address = initial.address;
    this.mode = initial.mode;
    this.field = h('vscode-textfield', { placeholder: 'address, e.g. 0x7ffff7ff0000', 'aria-label': 'Virtual address to walk', class: 'address-field' }) as HTMLElement & { value: string };
    this.field.value = initial.address ?? '';
    this.field.addEventListener('change', () => this.submit());
    this.field.addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Enter') this.submit();
    });
    this.modeSelect = h('vscode-single-select', { 'aria-label': 'Paging mode', label: 'Paging mode', class: 'mode-select', title: PAGING_MODES.map((m) => `${m}: ${MODE_TITLES[m]}`).join('\n') },
      ...PAGING_MODES.map((m) => h('vscode-option', { value: m }, m))) as HTMLElement & { value: string };
    this.modeSelect.value = this.mode;
    this.modeSelect.addEventListener('change', () => {
      this.mode = this.modeSelect.value as PagingMode;
      this.changed();
      if (this.context) void this.update(this.context);
    });
    this.element = h('section', { class: 'pagetable-view' },
      h('div', { class: 'toolbar' }, h('label', {}, 'Address'), this.field, h('label', {}, 'Paging'), this.modeSelect),
      this.heading, this.levels, this.result, this.toy6,
    );
  }

  /** Walks `address` (from a page click or an editor selection). */
  setAddress(address: string): void {
    this.address = address;
    this.field.value = address;
    this.changed();
  }

  private submit(): void {
    const address = normalizeAddress(this.field.value);
    if (!address) {
      this.result.replaceChildren(h('div', { class: 'banner error', role: 'alert' }, icon('error'), ` "${this.field.value}" is not a hex address`));
      return;
    }
    this.setAddress(address);
    if (this.context) void this.update(this.context);
  }

  async update(context: TabContext): Promise<void> {
    this.context = context;
    // A toy6 scenario (set machine toy6): its machine, from the status, instead of the x86-64 walk.
    const toy6 = context.status.toy6;
    this.element.classList.toggle('toy6', toy6 !== undefined);
    const toggle = (address: number, value: number) => {
      context.client.request('editPte', { ...context.at, address, value }).catch((error: unknown) => {
        this.toy6.prepend(h('div', { class: 'banner error', role: 'alert' }, icon('error'), ` ${errorText(error)}`));
      });
    };
    this.toy6.replaceChildren(...(toy6 ? [toy6Element(toy6, toggle)] : []));
    if (toy6) return;
    const address = this.address ?? context.region?.start ?? null;
    if (!context.process || !address) {
      this.heading.textContent = '';
      this.levels.replaceChildren();
      this.result.replaceChildren(h('p', { class: 'empty' }, icon('info'), ' Type an address, click a page in Pages, or select an address in any editor.'));
      return;
    }
    if (!this.field.value) this.field.value = address;
    let walk: WalkView;
    try {
      walk = await context.client.request('walk', { ...context.at, process: context.process, address, mode: this.mode });
    } catch (error) {
      if (context.current()) this.result.replaceChildren(h('div', { class: 'banner error', role: 'alert' }, icon('error'), ` ${errorText(error)}`));
      return;
    }
    if (!context.current()) return;
    this.heading.textContent = `${context.process} ${walk.address} · ${MODE_TITLES[walk.mode]}`;
    this.levels.replaceChildren(...walk.levels.map((l, i) => levelCard(l, i === walk.levels.length - 1)));
    this.result.replaceChildren(
      walk.unavailable ? h('div', { class: 'banner', role: 'status' }, icon('info'), ` ${walk.unavailable}`)
        : walk.physical ? h('p', { class: 'walk-physical' }, icon('pass'), ' physical address ', h('span', { class: 'mono' }, walk.physical))
        : h('p', { class: 'walk-physical absent' }, icon('circle-slash'), ' not present: an access faults'),
    );
  }
}
