import { h, icon } from '../../dom';
import type { PanelStatus } from '../protocol';

export interface StepHeaderActions {
  step(delta: number): void;
  run(): void;
  reveal(line: number): void;
}

function button(label: string, iconName: string, title: string, run: () => void, secondary = true): HTMLElement {
  // The visible label is the accessible name (WCAG 2.5.3); the title describes.
  const b = h('vscode-button', { icon: iconName, title, secondary }, label);
  b.addEventListener('click', run);
  return b;
}

/** The step the panel shows (line and statement), Step Back/Forward, and the run's state. */
export class StepHeader {
  readonly element: HTMLElement;
  private readonly file = h('span', { class: 'file' });
  private readonly where = h('span', { class: 'where' });
  private readonly counter = h('span', { class: 'counter' });
  private readonly back: HTMLElement;
  private readonly forward: HTMLElement;
  private readonly runButton: HTMLElement;
  private readonly banners = h('div', { class: 'banners' });
  /** Read out by screen readers when the step changes (it is not shown). */
  private readonly announcer = h('div', { class: 'visually-hidden', 'aria-live': 'polite', 'aria-atomic': 'true' });
  private announced = '';

  constructor(private readonly actions: StepHeaderActions) {
    this.back = button('Back', 'debug-step-back', 'Step Back: the state before this statement', () => actions.step(-1));
    this.forward = button('Forward', 'debug-step-over', 'Step Forward: the state after the next statement', () => actions.step(1));
    this.runButton = button('Run', 'play', 'Run the scenario', () => actions.run(), false);
    this.element = h('header', { class: 'step-header' },
      h('div', { class: 'step-line' }, icon('file-code'), this.file, this.where, h('div', { class: 'step-actions' }, this.counter, this.back, this.forward, this.runButton)),
      this.banners,
      this.announcer,
    );
  }

  show(status: PanelStatus): void {
    this.file.textContent = status.document ?? 'No scenario';
    const ready = status.state === 'ready' || (status.run > 0 && status.state !== 'running');
    this.where.replaceChildren(...(status.run > 0
      ? status.step < 0
        ? [h('span', { class: 'line-no' }, 'before line 1'), ' the machine before the first statement']
        : [h('span', { class: 'line-no' }, `line ${status.line}:`), ' ', h('code', { class: 'statement' }, status.text)]
      : []));
    this.counter.textContent = status.run > 0 ? `step ${status.step + 1} of ${status.steps}` : '';
    this.back.toggleAttribute('disabled', !ready || status.step < 0);
    this.forward.toggleAttribute('disabled', !ready || status.step >= status.steps - 1);
    this.runButton.toggleAttribute('disabled', status.state === 'running' || status.document === null);
    this.runButton.textContent = status.run > 0 ? 'Run again' : 'Run';
    this.announce(status);
    const banners: HTMLElement[] = [];
    if (status.state === 'no-scenario') banners.push(h('div', { class: 'banner info', role: 'status' }, icon('info'), ' Open a .aspace scenario (or New Scenario from Example) and run it: this panel shows the state after the line under the cursor.'));
    if (status.state === 'not-run') banners.push(h('div', { class: 'banner info', role: 'status' }, icon('info'), ' Not run yet. ', this.inlineRun('Run it')));
    if (status.state === 'running') banners.push(h('div', { class: 'banner info running', role: 'status' }, h('vscode-progress-ring'), ` Running… ${status.progress ?? 0}%`, h('div', { class: 'progress' }, h('div', { class: 'progress-fill', style: `width:${status.progress ?? 0}%` }))));
    if (status.problems.length) {
      banners.push(h('div', { class: 'banner error', role: 'alert' }, icon('error'),
        h('div', {}, status.run > 0 ? 'The scenario cannot run as it is now; the panel shows the last run. ' : 'The scenario cannot run: ',
          h('ul', { class: 'problems' }, ...status.problems.map((p) => {
            const link = h('button', { class: 'link', title: `Show line ${p.line}` }, `line ${p.line}`);
            link.addEventListener('click', () => this.actions.reveal(p.line));
            return h('li', {}, link, `: ${p.message}`);
          })))));
    }
    if (status.stale && !status.problems.length && status.state !== 'running') banners.push(h('div', { class: 'banner', role: 'status' }, icon('history'), ' The scenario changed since this run. ', this.inlineRun('Run again')));
    for (const failure of status.failures) banners.push(h('div', { class: 'banner error', role: 'alert' }, icon('testing-failed-icon'), ` ${failure}`));
    this.banners.replaceChildren(...banners);
  }

  private inlineRun(label: string): HTMLElement {
    const link = h('button', { class: 'link' }, label);
    link.addEventListener('click', () => this.actions.run());
    return link;
  }

  /** "line 12: write P A, P: Rss 32 kB, Pss 32 kB", once per step of a run. */
  private announce(status: PanelStatus): void {
    if (status.run === 0 || status.state === 'running') return;
    const key = `${status.run}:${status.step}`;
    if (key === this.announced) return;
    this.announced = key;
    const where = status.step < 0 ? 'before the first statement' : `line ${status.line}: ${status.text}`;
    const processes = status.processes.slice(0, 3).map((p) => `${p.name}: Rss ${p.rssKb} kB, Pss ${p.pssKb} kB${p.swapKb ? `, Swap ${p.swapKb} kB` : ''}`);
    this.announcer.textContent = [where, ...processes].join('; ');
  }
}
