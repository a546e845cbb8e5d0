import * as vscode from 'vscode';
import { hexInValue } from '../../simulator/live/translate-live';
import type { LiveHost } from '../live/live-commands';
import { addressAt } from '../scenario/language/address-at';
import type { DebuggeeTrackers } from './debuggee-trackers';
import { SHOW_IN_ADDRESS_SPACE, translateInProcess, type OpenMappedFile } from './show-in-address-space';

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*(?:(?:\.|->)[A-Za-z_][A-Za-z0-9_]*)*/;

/**
 * While a tracked debug session is stopped, hovering a hex number in an editor (or an expression
 * whose value the debugger gives as a hex number) says where it leads in the debuggee's address space.
 * Registered only while some tracked session is stopped: otherwise no hover is asked of it.
 */
export class DebuggeeHover implements vscode.HoverProvider, vscode.Disposable {
  private registration?: vscode.Disposable;
  private readonly listener: vscode.Disposable;

  constructor(
    private readonly trackers: DebuggeeTrackers,
    private readonly host: LiveHost,
    private readonly open: OpenMappedFile | undefined,
  ) {
    this.listener = trackers.onDidChangeStopped(() => this.follow());
  }

  private follow(): void {
    if (this.trackers.anyStopped && !this.registration) this.registration = vscode.languages.registerHoverProvider({ scheme: 'file' }, this);
    else if (!this.trackers.anyStopped && this.registration) {
      this.registration.dispose();
      this.registration = undefined;
    }
  }

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const tracked = this.trackers.tracked();
    const pid = tracked?.state.stopped ? tracked.state.pid : undefined;
    if (!tracked || pid === undefined) return undefined;
    const line = document.lineAt(position.line).text;
    const found = addressAt(line, position.character);
    let value = found?.value;
    let range = found ? new vscode.Range(position.line, found.start, position.line, found.end) : undefined;
    let shown = found?.text;
    if (value === undefined) {
      // An expression: what the debugger says it holds, in the selected frame.
      const wordRange = document.getWordRangeAtPosition(position, IDENTIFIER);
      const item = vscode.debug.activeStackItem;
      if (!wordRange || !(item instanceof vscode.DebugStackFrame) || item.session.id !== tracked.session.id) return undefined;
      const expression = document.getText(wordRange);
      const reply = await Promise.resolve(tracked.session.customRequest('evaluate', { expression, frameId: item.frameId, context: 'hover' })).catch(() => undefined) as { result?: unknown } | undefined;
      if (token.isCancellationRequested || typeof reply?.result !== 'string') return undefined;
      value = hexInValue(reply.result);
      range = wordRange;
      shown = `${expression} = ${reply.result.slice(0, 80)}`;
    }
    if (value === undefined) return undefined;
    const t = await translateInProcess(this.host, pid, value, this.open).catch(() => undefined);
    if (!t || token.isCancellationRequested) return undefined;
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${vscode.l10n.t('Address space of pid {0}', pid)}** · ${tracked.session.name}\n\n`);
    md.appendCodeblock(`${shown ?? t.address}\n${t.summary}${t.region ? `\n${t.region.mapsLine}` : ''}`, 'text');
    if (t.region) {
      md.isTrusted = { enabledCommands: [SHOW_IN_ADDRESS_SPACE] };
      md.appendMarkdown(`[${vscode.l10n.t('Show in Address Space')}](command:${SHOW_IN_ADDRESS_SPACE}?${encodeURIComponent(JSON.stringify([t.address]))})`);
    }
    return new vscode.Hover(md, range);
  }

  dispose(): void {
    this.listener.dispose();
    this.registration?.dispose();
  }
}
