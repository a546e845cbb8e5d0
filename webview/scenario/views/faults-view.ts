import type { FaultView } from '../../../simulator/inspect/view-models';
import { h, icon } from '../../dom';
import { rovingFocus } from '../../roving-focus';
import { errorText, type PanelActions, type TabContext, type TabView } from './tab-view';

const COLUMNS = ['line', 'process', 'address', 'access', 'kind', 'error code', 'si_code', 'pages', 'explanation'];

function faultRow(f: FaultView, current: boolean): HTMLElement {
  return h('tr', { 'data-line': f.line, class: `${f.siCode ? 'signal' : ''}${current ? ' current' : ''}`, title: `Show line ${f.line}` },
    h('td', { class: 'mono num' }, String(f.line)), h('td', { class: 'mono' }, f.process), h('td', { class: 'mono' }, f.address),
    h('td', {}, f.access), h('td', {}, f.kind), h('td', { class: 'mono' }, f.errorCode), h('td', { class: 'mono' }, f.siCode ?? ''),
    h('td', { class: 'mono num' }, String(f.pagesMapped)), h('td', { class: 'ellipsis', title: f.explanation }, f.explanation),
  );
}

function faultTable(label: string, faults: readonly FaultView[], line: number, actions: PanelActions): HTMLElement {
  const body = h('tbody', {}, ...faults.map((f) => faultRow(f, f.line === line)));
  rovingFocus(body, 'tr', (row) => actions.reveal(Number(row.dataset.line)))();
  return h('div', { class: 'table-scroll' }, h('table', { class: 'faults-table', 'aria-label': label },
    h('thead', {}, h('tr', {}, ...COLUMNS.map((c) => h('th', { scope: 'col' }, c)))), body));
}

/** The step's page faults, and every fault of the run, each at the line that caused it. */
export class FaultsView implements TabView {
  readonly element: HTMLElement;
  readonly needsRegions = false;
  private readonly stepBox = h('div', {});
  private readonly allBox = h('div', {});
  /** The run whose "all faults" table is built: moving the step only moves its highlight. */
  private allRun = 0;

  constructor(private readonly actions: PanelActions) {
    this.element = h('section', { class: 'faults-view' }, this.stepBox, this.allBox);
  }

  async update(context: TabContext): Promise<void> {
    let faults;
    try {
      faults = await context.client.request('faults', { ...context.at, all: this.allRun !== context.at.run });
    } catch (error) {
      if (context.current()) this.stepBox.replaceChildren(h('p', { class: 'empty' }, icon('error'), ` ${errorText(error)}`));
      return;
    }
    if (!context.current()) return;
    const line = context.status.line;
    this.stepBox.replaceChildren(
      h('h2', {}, line > 0 ? `Faults of line ${line}` : 'Faults of this step'),
      faults.step.length ? faultTable('Faults of this statement', faults.step, line, this.actions) : h('p', { class: 'hint' }, 'This statement took no page faults.'),
    );
    if (this.allRun === context.at.run) {
      for (const row of this.allBox.querySelectorAll<HTMLElement>('tbody tr')) row.classList.toggle('current', Number(row.dataset.line) === line);
      return;
    }
    this.allRun = context.at.run;
    this.allBox.replaceChildren(
      h('h2', {}, `All faults (${faults.total.toLocaleString('en-US')}${faults.total > faults.all.length ? `, the first ${faults.all.length} listed` : ''})`),
      faults.all.length ? faultTable('All faults', faults.all, line, this.actions) : h('p', { class: 'hint' }, 'No faults in this scenario.'),
    );
  }
}
