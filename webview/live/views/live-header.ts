import { h, icon } from '../../dom';
import { formatKb } from '../../scenario/format';
import { REFRESH_INTERVALS, type LiveOptions, type LiveViewStatus } from '../protocol';

export interface LiveHeaderActions {
  refresh(): void;
  setOptions(options: LiveOptions): void;
  snapshot(clear: boolean): void;
  /** Simulate This Process: the twin, opened beside. */
  simulate(): void;
  /** Compare with Real smaps: where the twin differs from this process, and why. */
  compareTwin(): void;
}

const PAGE_DATA: Readonly<Record<string, string>> = {
  full: 'pagemap with PFNs, /proc/kpagecount and /proc/kpageflags: mapcounts are exact',
  'no-pfn': 'pagemap without PFNs (reading them needs CAP_SYS_ADMIN, e.g. root): present, swapped and exclusive are known, mapcounts are not',
  'no-kpage': 'PFNs, but /proc/kpagecount or /proc/kpageflags cannot be read: mapcounts are unknown',
  'no-pagemap': 'pagemap cannot be read: only the numbers smaps prints',
};

const time = (ms: number) => new Date(ms).toLocaleTimeString('en-GB');
export const FREEZE_HELP = 'Freeze while reading: sends SIGSTOP before the /proc files are read and SIGCONT after, so that every number is from one moment. The process does not run meanwhile (milliseconds; longer for a large process). A process that was already stopped is left stopped.';

function fact(label: string, value: string, title?: string): HTMLElement {
  return h('div', { class: 'fact', title }, h('dt', {}, label), h('dd', {}, value));
}

/**
 * The live view's header: which process, when it was read, Refresh, the auto-refresh interval,
 * "Freeze while reading", Snapshot, and what went wrong (the views keep the last good reading).
 */
export class LiveHeader {
  readonly element: HTMLElement;
  private readonly title = h('h1', {});
  private readonly command = h('p', { class: 'mono live-command' });
  private readonly facts = h('dl', { class: 'facts' });
  private readonly banners = h('div', { class: 'banners' });
  private readonly interval: HTMLElement & { value: string };
  private readonly freeze = h('input', { type: 'checkbox', id: 'live-freeze', 'aria-describedby': 'live-freeze-help' }) as HTMLInputElement;
  private readonly snapshotButton: HTMLElement;
  private readonly clearButton: HTMLElement;
  private readonly refreshButton: HTMLElement;
  private readonly simulateButton: HTMLElement;
  private readonly compareButton: HTMLElement;
  private options: LiveOptions = { intervalSec: 0, freeze: false };

  constructor(actions: LiveHeaderActions) {
    const button = (label: string, iconName: string, title: string, run: () => void) => {
      const b = h('vscode-button', { icon: iconName, title, secondary: true }, label);
      b.addEventListener('click', run);
      return b;
    };
    this.refreshButton = button('Refresh', 'refresh', 'Read /proc/PID/smaps, smaps_rollup, status and pagemap again', actions.refresh);
    this.snapshotButton = button('Snapshot', 'device-camera', 'Keep this reading, to compare later ones with it (the Diff tab)', () => actions.snapshot(false));
    this.clearButton = button('Clear snapshot', 'close', 'Forget the snapshot', () => actions.snapshot(true));
    this.simulateButton = button('Simulate This Process', 'mirror', 'Write this process as a scenario (its twin) and run it beside: then add what-ifs after it (fork, write, pageout, reclaim)', actions.simulate);
    this.compareButton = button('Compare with Real smaps', 'diff', "Compare the twin's smaps with this process's, VMA by VMA, and say why they differ", actions.compareTwin);
    this.interval = h('vscode-single-select', { id: 'live-interval', 'aria-label': 'Auto-refresh', label: 'Auto-refresh', class: 'live-interval' },
      ...REFRESH_INTERVALS.map((s) => h('vscode-option', { value: String(s) }, s === 0 ? 'off' : `every ${s} s`)),
    ) as HTMLElement & { value: string };
    this.interval.addEventListener('change', () => actions.setOptions({ ...this.options, intervalSec: Number(this.interval.value) }));
    this.freeze.addEventListener('change', () => actions.setOptions({ ...this.options, freeze: this.freeze.checked }));
    const toolbar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Reading' },
      this.refreshButton,
      h('label', { class: 'live-label', for: 'live-interval' }, 'Auto-refresh'), this.interval,
      h('span', { class: 'live-freeze' }, this.freeze, h('label', { for: 'live-freeze', title: FREEZE_HELP }, 'Freeze while reading')),
      h('span', { class: 'spacer' }),
      this.snapshotButton, this.clearButton,
      h('span', { class: 'live-twin', role: 'group', 'aria-label': 'Twin' }, this.simulateButton, this.compareButton),
    );
    this.element = h('header', { class: 'live-header', 'aria-label': 'Process' },
      h('div', { class: 'live-title' }, this.title, this.command),
      this.facts, toolbar,
      h('p', { class: 'hint', id: 'live-freeze-help' }, FREEZE_HELP),
      this.banners,
    );
  }

  show(status: LiveViewStatus): void {
    this.options = status.options;
    this.title.replaceChildren(icon(status.gone ? 'debug-stop' : 'pulse'), ` ${status.name} `, h('span', { class: 'live-pid' }, `PID ${status.pid}`));
    this.command.textContent = status.command;
    this.command.title = status.command;
    const p = status.processes[0];
    this.facts.replaceChildren(...[
      fact('state', status.state || '?'),
      fact('threads', String(status.threads)),
      p ? fact('Rss', formatKb(p.rssKb)) : null,
      p ? fact('Pss', formatKb(p.pssKb)) : null,
      p ? fact('Swap', formatKb(p.swapKb)) : null,
      p ? fact('VMAs', p.vmaCount.toLocaleString('en-US')) : null,
      fact('read at', status.readAt ? `${time(status.readAt)}${status.frozen ? ' (frozen)' : ''}` : status.reading ? 'reading…' : 'not yet'),
      fact('samples', String(status.samples)),
      fact('snapshot', status.snapshotAt ? time(status.snapshotAt) : 'none'),
      status.kpageAccess ? fact('page data', status.kpageAccess, PAGE_DATA[status.kpageAccess]) : null,
    ].filter((f): f is HTMLElement => f !== null));
    this.interval.value = String(status.options.intervalSec);
    this.freeze.checked = status.options.freeze;
    this.clearButton.toggleAttribute('disabled', status.snapshotAt === null);
    this.snapshotButton.toggleAttribute('disabled', status.run === 0);
    this.refreshButton.toggleAttribute('disabled', status.gone);
    this.simulateButton.toggleAttribute('disabled', status.gone);
    this.compareButton.toggleAttribute('disabled', status.gone);
    const banners: HTMLElement[] = [];
    if (status.error) {
      const kept = status.run > 0 ? ` The views show the reading of ${time(status.readAt)}.` : '';
      banners.push(h('div', { class: 'banner error', role: 'alert' }, icon(status.gone ? 'debug-stop' : 'error'), ` ${status.gone ? 'The process has exited: ' : ''}${status.error}.${kept}`));
    }
    if (status.kpageAccess && status.kpageAccess !== 'full') {
      banners.push(h('div', { class: 'banner', role: 'status' }, icon('info'), ` Page data: ${PAGE_DATA[status.kpageAccess]}.`));
    }
    if (status.warnings.length > 0) {
      banners.push(h('details', { class: 'banner warnings' },
        h('summary', {}, icon('warning'), ` ${status.warnings.length} warning${status.warnings.length === 1 ? '' : 's'} while reading`),
        h('ul', {}, ...status.warnings.map((w) => h('li', { class: 'mono' }, w)))));
    }
    this.banners.replaceChildren(...banners);
  }

  /** The error banner's text, for the paint report. */
  get errorText(): string | null {
    return this.banners.querySelector('.banner.error')?.textContent?.trim() ?? null;
  }
}
