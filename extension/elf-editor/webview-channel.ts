import type * as vscode from 'vscode';
import { parseWebviewMessage, RequestError, type HostEvent, type RenderedParams, type Reply } from '../../webview/protocol';
import { ProtocolError } from '../../webview/validate';
import { dispatch, type Handlers } from './request-handlers';
import { SupersededError } from './symbol-index';

/**
 * The host's end of one webview's message channel: every message is validated, every request
 * identified by its id gets exactly one reply, and anything else is logged and dropped.
 */
export class WebviewChannel {
  constructor(
    private readonly webview: vscode.Webview,
    private readonly handlers: Handlers,
    private readonly onRendered: (params: RenderedParams) => void,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  listen(): vscode.Disposable {
    return this.webview.onDidReceiveMessage(async (data: unknown) => {
      const reply = await this.respond(data);
      if (reply) await this.webview.postMessage(reply);
    });
  }

  /** Handles one message as if the webview had sent it; returns the reply to send, if any. */
  async respond(data: unknown): Promise<Reply | undefined> {
    let message;
    try {
      message = parseWebviewMessage(data);
    } catch (error) {
      if (error instanceof RequestError) return { kind: 'reply', id: error.id, ok: false, error: `bad request: ${error.message}` };
      this.log.warn(`dropped a malformed message from the webview: ${error instanceof ProtocolError ? error.message : String(error)}`);
      return undefined;
    }
    if (message.kind === 'event') {
      this.onRendered(message.params);
      return undefined;
    }
    try {
      return { kind: 'reply', id: message.id, ok: true, result: await dispatch(this.handlers, message) };
    } catch (error) {
      if (!(error instanceof SupersededError)) this.log.error(`${message.method} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return { kind: 'reply', id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  }

  post(event: HostEvent): Thenable<boolean> {
    return this.webview.postMessage(event);
  }
}
