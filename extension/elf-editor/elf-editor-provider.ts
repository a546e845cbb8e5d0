import * as vscode from 'vscode';
import { DEFAULT_LAYOUT, parseWebviewMessage, type HostEvent, type RenderedEvent, type Request } from '../../webview/protocol';
import type { FileOpener } from '../files/file-opener';
import { sysrootUri } from '../settings';
import { offerDebugFileBinary } from './debug-file-offer';
import { ElfDocument } from './elf-document';
import { dispatch, requestHandlers } from './request-handlers';
import { SupersededError } from './symbol-index';
import type { ElfChannel, ViewRegistry } from './view-registry';
import { WebviewChannel } from './webview-channel';
import { webviewHtml, webviewRoot } from './webview-html';

/** A read-only custom editor: an ELF file's header, exec layout, segments, sections, symbols, notes. */
export class ElfEditorProvider implements vscode.CustomReadonlyEditorProvider<ElfDocument> {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly opener: FileOpener,
    private readonly views: ViewRegistry,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  openCustomDocument(uri: vscode.Uri): Promise<ElfDocument> {
    return ElfDocument.open(uri, this.opener);
  }

  resolveCustomEditor(document: ElfDocument, panel: vscode.WebviewPanel): void {
    panel.webview.options = { enableScripts: true, localResourceRoots: [webviewRoot(this.extensionUri)] };
    // Start what the view asks for first while its page loads; a failure is reported when it asks.
    if (document.elf) {
      document.summary().catch(() => undefined);
      document.layout(DEFAULT_LAYOUT, sysrootUri(document.uri), this.opener).catch(() => undefined);
      void offerDebugFileBinary(document, sysrootUri(document.uri), this.opener);
    }
    const handlers = requestHandlers(document, { opener: this.opener, sysroot: () => sysrootUri(document.uri) });
    const channel: ElfChannel = new WebviewChannel<Request, RenderedEvent, HostEvent>(panel.webview, {
      parse: parseWebviewMessage,
      handle: (request) => dispatch(handlers, request),
      onEvent: (event) => this.views.markRendered(view, event.params),
      expected: (error) => error instanceof SupersededError,
    }, this.log);
    const view = { document, panel, channel, handlers };
    const subscriptions = [channel.listen(), this.views.add(view)];
    panel.onDidDispose(() => subscriptions.forEach((s) => s.dispose()));
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, 'main');
  }
}
