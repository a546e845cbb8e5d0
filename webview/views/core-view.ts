import type { CoreAddressView, CoreThreadView, CoreView } from '../core-view-model';
import { h, icon } from '../dom';
import { rovingFocus } from '../roving-focus';

export interface CoreActions {
  /** Select a region (an index into the layout's regions) in the map and the maps table. */
  select(regionIndex: number): void;
  /** Simulate This Process: the core's twin, opened beside as a scenario. */
  simulate(): void;
}

function fact(label: string, value: string | null, title?: string): HTMLElement | null {
  return value === null ? null : h('div', { class: 'fact', title }, h('dt', {}, label), h('dd', { class: 'mono' }, value));
}

function addressRow(label: string, a: CoreAddressView | null, actions: CoreActions): HTMLElement | null {
  if (!a) return null;
  const show = a.region !== null ? h('vscode-button', { secondary: true, icon: 'go-to-file', title: `Select the region of ${a.address} in the map and the Maps tab` }, 'Show region') : null;
  show?.addEventListener('click', () => actions.select(a.region as number));
  return h('tr', { class: 'core-address', 'data-region': a.region ?? undefined },
    h('th', { scope: 'row' }, label), h('td', { class: 'mono' }, a.address), h('td', {}, a.where), h('td', {}, show));
}

function registers(thread: CoreThreadView, first: boolean): HTMLElement {
  return h('details', { class: 'core-thread', open: first },
    h('summary', {}, `Thread ${thread.tid}${thread.signal ? `: signal ${thread.signal}` : ''}${first ? ' (the one that took the signal)' : ''}`),
    h('table', { class: 'core-registers', 'aria-label': `Registers of thread ${thread.tid}` },
      h('tbody', {}, ...thread.registers.map(([name, value]) => h('tr', {}, h('th', { scope: 'row', class: 'mono' }, name), h('td', { class: 'mono' }, value))))));
}

/**
 * A core file as the address space it was dumped from: which process, which signal, where the
 * crashing instruction and the fault address fall, every thread's registers, and what a core cannot know.
 */
export function coreView(core: CoreView, actions: CoreActions): HTMLElement {
  const addresses = h('tbody', {}, addressRow('instruction pointer', core.crash, actions), addressRow('fault address', core.faultAddress, actions));
  const simulate = h('vscode-button', { icon: 'mirror', secondary: true, title: 'Write the dumped address space as a scenario (its twin: the mappings at their addresses; a core records no page residency) and run it beside' }, 'Simulate This Process');
  simulate.addEventListener('click', () => actions.simulate());
  const section = h('section', { class: 'core-view', 'aria-label': 'Core dump' },
    h('h2', {}, icon('bug'), ` ${core.signal ? `Killed by ${core.signal}` : 'No signal recorded (NT_SIGINFO missing)'}`),
    h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Core dump' }, simulate),
    h('dl', { class: 'facts' },
      fact('process', core.pid !== null ? `${core.command ?? '?'} (PID ${core.pid})` : null),
      fact('command line', core.commandLine, 'NT_PRPSINFO pr_psargs: the kernel keeps the first 80 bytes'),
      fact('executable', core.executable),
      fact('machine', core.machine),
      fact('written by', core.producer),
    ),
    h('table', { class: 'core-addresses', 'aria-label': 'Where it crashed' }, addresses),
    ...core.threads.map((t, i) => registers(t, i === 0)),
    core.notes.length ? h('div', { class: 'banner core-notes', role: 'note' }, icon('info'), h('ul', {}, ...core.notes.map((n) => h('li', {}, n)))) : null,
    core.warnings.length ? h('div', { class: 'banner error', role: 'alert' }, icon('warning'), h('ul', {}, ...core.warnings.map((w) => h('li', {}, w)))) : null,
  );
  rovingFocus(addresses, 'tr', (row) => {
    const index = row.dataset.region;
    if (index !== undefined) actions.select(Number(index));
  })();
  return section;
}
