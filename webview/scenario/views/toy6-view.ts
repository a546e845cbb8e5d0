// The Page table tab of a toy6 scenario (set machine toy6): physical memory as 8 × 8 cells, each
// process's table with its U/W/P bits, and the walk of the statement under the cursor, step by step.
import type { Toy6ProcessView, Toy6View, Toy6WalkView } from '../../../simulator/toy6/view';
import { h, icon } from '../../dom';

const bits = (value: number) => {
  const b = value.toString(2).padStart(6, '0');
  return `0b${b.slice(0, 3)} ${b.slice(3)}`;
};
const range = (frame: number) => `${frame * 8}–${frame * 8 + 7}`;

/** The 64 cells, a frame per row: page-table pages, mapped frames, and the cells of the current walk marked. */
function memoryGrid(view: Toy6View): HTMLElement {
  const walk = view.walk;
  const header = h('tr', {}, h('th', { scope: 'col' }, 'frame'), ...Array.from({ length: 8 }, (_, i) => h('th', { scope: 'col', class: 'mono' }, `+${i}`)), h('th', { scope: 'col' }, 'role'));
  const rows = view.frames.map((frame, f) => {
    const roles = [frame.tableOf.length ? `page table of ${frame.tableOf.join(', ')}` : '', frame.mappedBy.length ? `mapped by ${frame.mappedBy.join(', ')}` : ''].filter(Boolean);
    const cells = Array.from({ length: 8 }, (_, i) => {
      const address = f * 8 + i;
      const value = view.cells[address] ?? 0;
      const classes = ['toy6-cell', 'mono'];
      const marks: string[] = [];
      if (frame.tableOf.length) classes.push('table');
      else if (frame.mappedBy.length) classes.push('mapped');
      if (walk && address === walk.pteAddress) {
        classes.push('pte');
        marks.push(`the PTE ${walk.process} reads for VA ${walk.va}`);
      }
      if (walk && walk.fault === null && address === walk.pa) {
        classes.push('access');
        marks.push(`the cell of this ${walk.kind}`);
      }
      const title = [`PA ${address} = ${bits(address)}: ${value} = ${bits(value)}`, ...marks].join('\n');
      return h('td', { class: classes.join(' '), title, 'aria-label': title.replace(/\n/g, '; ') }, String(value));
    });
    return h('tr', { class: frame.tableOf.length ? 'table-frame' : '' }, h('th', { scope: 'row', class: 'mono' }, `${f} (${range(f)})`), ...cells, h('td', { class: 'toy6-role' }, roles.join('; ')));
  });
  const legend = h('div', { class: 'toy6-legend', 'aria-hidden': 'true' },
    h('span', {}, h('span', { class: 'toy6-cell table' }, ' '), ' page-table page'),
    h('span', {}, h('span', { class: 'toy6-cell mapped' }, ' '), ' frame mapped by a process'),
    h('span', {}, h('span', { class: 'toy6-cell pte' }, ' '), ' the PTE the walk reads'),
    h('span', {}, h('span', { class: 'toy6-cell access' }, ' '), ' the cell accessed'));
  return h('div', { class: 'toy6-memory-host' },
    h('table', { class: 'toy6-memory' }, h('caption', {}, 'Physical memory: 64 cells, one frame of 8 per row'), h('thead', {}, header), h('tbody', {}, ...rows)),
    legend);
}

/** Toggling a bit asks the host to edit the scenario: cell `address` is to hold `value`. */
export type Toy6Toggle = (address: number, value: number) => void;

const BIT_MASKS = { U: 0b100, W: 0b010, P: 0b001 } as const;

/** A PTE bit as a toggle button (pressed: set); clicking it edits the poke line of the entry. */
function bit(name: keyof typeof BIT_MASKS, address: number, pte: number, meaning: string, toggle: Toy6Toggle | undefined): HTMLElement {
  const on = (pte & BIT_MASKS[name]) !== 0;
  const title = `${name}=${on ? 1 : 0}: ${meaning}${toggle ? `\nClick to ${on ? 'clear' : 'set'} it: the scenario's poke of cell ${address} changes` : ''}`;
  if (!toggle) return h('span', { class: `toy6-bit${on ? ' on' : ''}`, role: 'img', 'aria-label': `${name} ${on ? 'set' : 'clear'}: ${meaning}`, title }, `${name}=${on ? 1 : 0}`);
  const button = h('button', { type: 'button', class: `toy6-bit${on ? ' on' : ''}`, 'aria-pressed': on ? 'true' : 'false', 'aria-label': `${name} of the PTE at cell ${address}: ${meaning}`, title, 'data-address': address, 'data-bit': name }, `${name}=${on ? 1 : 0}`);
  button.addEventListener('click', () => toggle(address, pte ^ BIT_MASKS[name]));
  return button;
}

/** One process's table: the 8 entries with every bit. */
function processTable(p: Toy6ProcessView, walk: Toy6WalkView | null, toggle: Toy6Toggle | undefined): HTMLElement {
  const rows = p.entries.map((e, page) => {
    const current = walk?.process === p.name && walk.page === page;
    return h('tr', { class: `${e.p ? '' : 'not-present'}${current ? ' current' : ''}` },
      h('th', { scope: 'row', class: 'mono' }, `${page} (VA ${range(page)})`),
      h('td', { class: 'mono' }, String(e.address)),
      h('td', { class: 'mono' }, `${e.pte} = ${bits(e.pte)}`),
      h('td', { class: 'mono' }, String(e.frame)),
      h('td', {}, bit('U', e.address, e.pte, 'user code may use the page', toggle), ' ', bit('W', e.address, e.pte, 'the page may be written', toggle), ' ', bit('P', e.address, e.pte, 'the entry is present', toggle)),
      h('td', {}, e.p ? `PA ${range(e.frame)}` : 'not present', e.pokeLine ? h('span', { class: 'toy6-poke' }, ` (poke at line ${e.pokeLine})`) : null),
    );
  });
  return h('table', { class: 'toy6-table' },
    h('caption', {}, `${p.name}: cr3 = ${p.cr3} (frame ${p.cr3 >> 3})`),
    h('thead', {}, h('tr', {}, ...['page', 'PTE at', 'PTE', 'frame', 'bits', 'maps to'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, ...rows));
}

/** The walk of the statement at the step, one check per line. */
function walkSteps(walk: Toy6WalkView, cells: readonly number[]): HTMLElement {
  const pte = walk.pte;
  const [u, w, p] = [(pte & 4) !== 0, (pte & 2) !== 0, (pte & 1) !== 0];
  const check = (name: string, ok: boolean, why: string) => h('li', { class: ok ? 'ok' : 'fails' }, icon(ok ? 'pass' : 'error'), ` ${name}: ${why}`);
  const checks: HTMLElement[] = [check('P', p, p ? 'present' : 'clear: fault P, the page is not present')];
  if (p && walk.privilege === 'user') checks.push(check('U', u, u ? 'a user page' : 'clear: fault U, a kernel-only page'));
  if (p && walk.privilege === 'kernel') checks.push(h('li', { class: 'skipped' }, icon('dash'), ' U: not checked for a kernel access'));
  if (p && (walk.privilege === 'kernel' || u) && walk.kind === 'write') checks.push(check('W', w, w ? 'writable' : 'clear: fault W, a read-only page'));
  const title = `${walk.process}: ${walk.privilege} ${walk.kind} of VA ${walk.va}${walk.statement === 'expect' ? ' (an expect: no access is made)' : walk.statement === 'show' ? ' (as a user read)' : ''}`;
  return h('section', { class: 'toy6-walk', 'aria-label': 'The walk of the line under the cursor' },
    h('h3', {}, title),
    h('ol', {},
      h('li', {}, `VA ${walk.va} = ${bits(walk.va)}: page ${walk.page}, offset ${walk.offset}`),
      h('li', {}, `PTE at cr3 + page = ${walk.cr3} + ${walk.page} = ${walk.pteAddress}`),
      h('li', {}, `PTE = ${pte} = ${bits(pte)}: frame ${pte >> 3}, U=${u ? 1 : 0} W=${w ? 1 : 0} P=${p ? 1 : 0}`),
      h('li', {}, h('ul', { class: 'toy6-checks' }, ...checks)),
      walk.fault === null
        ? h('li', { class: 'ok' }, `PA = (PTE >> 3) << 3 | offset = ${bits(walk.pa)} = ${walk.pa}, which holds ${cells[walk.pa] ?? 0}`)
        : h('li', { class: 'fails' }, `fault ${walk.fault}: the kernel takes control`),
    ));
}

/** Everything the tab shows for a toy6 step. */
export function toy6Element(view: Toy6View, toggle?: Toy6Toggle): HTMLElement {
  return h('div', { class: 'toy6-view' },
    view.walk ? walkSteps(view.walk, view.cells) : h('p', { class: 'empty' }, icon('info'), ' Put the cursor on a read, write, expect or show pagetable P VA line to see its walk.'),
    memoryGrid(view),
    h('div', { class: 'toy6-tables' }, ...view.processes.map((p) => processTable(p, view.walk, toggle))),
    view.moreProcesses ? h('p', { class: 'empty' }, `${view.moreProcesses} more processes are not shown.`) : null,
  );
}
