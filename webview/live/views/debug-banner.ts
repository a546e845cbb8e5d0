import { h, icon } from '../../dom';
import type { LiveDebugStatus, LiveReveal } from '../protocol';

/**
 * The line under the live view's header when a debugger follows the process: which debug session
 * and thread stopped it, the stop's number and reason, what changed since the previous stop (with a
 * button to the Diff tab), and the last "Show in Address Space" translation.
 */
export class DebugBanner {
  readonly element = h('div', { class: 'debug-banner', hidden: true });
  private readonly stopLine = h('p', { class: 'debug-stop', role: 'status', 'aria-live': 'polite' });
  private readonly revealLine = h('p', { class: 'debug-reveal mono', hidden: true });

  constructor(showChanges: () => void) {
    const button = h('vscode-button', { icon: 'diff', secondary: true, title: 'The Diff tab: every region that changed since the previous stop' }, 'Show changes');
    button.addEventListener('click', showChanges);
    this.element.append(h('div', { class: 'debug-row' }, this.stopLine, button), this.revealLine);
  }

  show(debug: LiveDebugStatus | undefined): void {
    this.element.hidden = !debug;
    if (!debug) return;
    const thread = debug.thread ? `, thread ${debug.thread}` : '';
    const state = debug.stopped ? `Stopped (${debug.reason})` : `Running again after stop ${debug.stop} (${debug.reason})`;
    const changes = debug.changes ? `since the previous stop: ${debug.changes}` : 'the Diff tab will compare the next stop with this one';
    this.stopLine.replaceChildren(icon(debug.stopped ? 'debug-pause' : 'debug-continue'), ' ',
      h('strong', {}, `${state} by debug session “${debug.session}”${thread}`), ` · stop ${debug.stop} · ${changes}`);
  }

  reveal(r: LiveReveal): void {
    this.revealLine.hidden = false;
    this.revealLine.replaceChildren(icon('location'), ` Show in Address Space: ${r.summary}`);
  }
}
