import type * as vscode from 'vscode';
import { RequestError, type Reply } from '../../webview/rpc';
import { ProtocolError } from '../../webview/validate';

/** One webview protocol as the host serves it: checks, request handling, events. */
export interface ChannelEndpoint<Request extends { kind: 'request'; id: number; method: string }, Event extends { kind: 'event' }> {
  /** Checks a message from the webview; throws RequestError (answerable) or ProtocolError. */
  parse(data: unknown): Request | Event;
  handle(request: Request): Promise<unknown>;
  onEvent(event: Event): void;
  /** Failures that are part of normal work (a request superseded by a newer one): not logged as errors. */
  expected?(error: unknown): boolean;
}

/**
 * The host's end of one webview's message channel: every message is validated, every request
 * identified by its id gets exactly one reply, and anything else is logged and dropped.
 */
export class WebviewChannel<Request extends { kind: 'request'; id: number; method: string } = { kind: 'request'; id: number; method: string }, Event extends { kind: 'event' } = { kind: 'event' }, Posted = unknown> {
  constructor(
    private readonly webview: vscode.Webview,
    private readonly endpoint: ChannelEndpoint<Request, Event>,
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
      message = this.endpoint.parse(data);
    } catch (error) {
      if (error instanceof RequestError) return { kind: 'reply', id: error.id, ok: false, error: `bad request: ${error.message}` };
      this.log.warn(`dropped a malformed message from the webview: ${error instanceof ProtocolError ? error.message : String(error)}`);
      return undefined;
    }
    if (message.kind === 'event') {
      this.endpoint.onEvent(message as Event);
      return undefined;
    }
    const request = message as Request;
    try {
      return { kind: 'reply', id: request.id, ok: true, result: await this.endpoint.handle(request) };
    } catch (error) {
      if (!this.endpoint.expected?.(error)) this.log.error(`${request.method} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return { kind: 'reply', id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  }

  post(event: Posted): Thenable<boolean> {
    return this.webview.postMessage(event);
  }
}
