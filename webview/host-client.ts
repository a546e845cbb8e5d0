import { checkResult, parseHostMessage, TIMEOUT_MS, type HostEvent, type Method, type Methods, type RenderedParams } from './protocol';
import type { VsCodeApi } from './vscode-api';

interface Pending {
  readonly method: Method;
  resolve(result: unknown): void;
  reject(error: Error): void;
  readonly timer: ReturnType<typeof setTimeout>;
}

/** The webview's end of the channel: requests with ids and timeouts, checked replies, host events. */
export class HostClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: HostEvent) => void>();

  constructor(private readonly api: VsCodeApi) {
    window.addEventListener('message', (e: MessageEvent<unknown>) => this.receive(e.data));
  }

  request<M extends Method>(method: M, params: Methods[M]['params']): Promise<Methods[M]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no reply from the extension within ${TIMEOUT_MS[method] / 1000} s`));
      }, TIMEOUT_MS[method]);
      this.pending.set(id, { method, resolve: resolve as (r: unknown) => void, reject, timer });
      this.api.postMessage({ kind: 'request', id, method, params });
    });
  }

  rendered(params: RenderedParams): void {
    this.api.postMessage({ kind: 'event', event: 'rendered', params });
  }

  onEvent(listener: (event: HostEvent) => void): void {
    this.listeners.add(listener);
  }

  private receive(data: unknown): void {
    let message;
    try {
      message = parseHostMessage(data);
    } catch (error) {
      console.warn('Address Space Explorer: dropped a malformed message from the extension:', error);
      return;
    }
    if (message.kind === 'event') {
      for (const listener of this.listeners) listener(message);
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending) return; // timed out already
    this.pending.delete(message.id);
    clearTimeout(pending.timer);
    if (!message.ok) return pending.reject(new Error(message.error));
    try {
      pending.resolve(checkResult(pending.method, message.result));
    } catch (error) {
      pending.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
