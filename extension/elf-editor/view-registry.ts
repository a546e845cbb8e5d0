import * as vscode from 'vscode';
import type { HostEvent, LayoutParams, RenderedEvent, RenderedParams, Request } from '../../webview/protocol';
import type { ElfDocument } from './elf-document';
import type { Handlers } from './request-handlers';
import type { WebviewChannel } from './webview-channel';

/** The host's end of an ELF view's channel. */
export type ElfChannel = WebviewChannel<Request, RenderedEvent, HostEvent>;

/** One open ELF view and what it last showed. */
export interface ElfView {
  readonly document: ElfDocument;
  readonly panel: vscode.WebviewPanel;
  readonly channel: ElfChannel;
  readonly handlers: Handlers;
  /** The view's last paint of the header and layout, as it reported it. */
  rendered?: RenderedParams & { readonly at: number };
}

/** The open ELF views, for commands that act on the active one and for tests and benchmarks. */
export class ViewRegistry implements vscode.Disposable {
  private readonly views = new Set<ElfView>();
  private readonly renderedEmitter = new vscode.EventEmitter<ElfView>();
  readonly onDidRender = this.renderedEmitter.event;

  add(view: ElfView): vscode.Disposable {
    this.views.add(view);
    return new vscode.Disposable(() => this.views.delete(view));
  }

  markRendered(view: ElfView, params: RenderedParams): void {
    view.rendered = { ...params, at: Date.now() };
    this.renderedEmitter.fire(view);
  }

  all(): ElfView[] {
    return [...this.views];
  }

  /** The view in the active editor, if it is an ELF view, with the layout settings it shows. */
  activeLayout(): { view: ElfView; params: LayoutParams } | undefined {
    const view = this.all().find((v) => v.panel.active);
    return view?.rendered ? { view, params: { aslr: view.rendered.aslr, seed: view.rendered.seed } } : undefined;
  }

  dispose(): void {
    this.renderedEmitter.dispose();
  }
}
