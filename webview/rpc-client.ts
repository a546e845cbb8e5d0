import type { MethodChecks, MethodTable, Reply } from './rpc';
import type { VsCodeApi } from './vscode-api';

interface Pending<T> {
  readonly method: keyof T & string;
  resolve(result: unknown): void;
  reject(error: Error): void;
  readonly timer: ReturnType<typeof setTimeout>;
}

/**
 * The webview's end of a channel: requests with ids and timeouts, checked replies, host events.
 * `parse` checks every message from the host (a reply, or one of the protocol's events).
 */
export class RpcClient<T extends MethodTable<T>, E> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending<T>>();
  private readonly listeners = new Set<(event: E) => void>();

  constructor(
    protected readonly api: VsCodeApi,
    private readonly checks: MethodChecks<T>,
    private readonly parse: (data: unknown) => Reply | E,
  ) {
    window.addEventListener('message', (e: MessageEvent<unknown>) => this.receive(e.data));
  }

  request<M extends keyof T & string>(method: M, params: T[M]['params']): Promise<T[M]['result']> {
    const id = this.nextId++;
    const timeout = this.checks.timeouts[method];
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no reply from the extension within ${timeout / 1000} s`));
      }, timeout);
      this.pending.set(id, { method, resolve: resolve as (r: unknown) => void, reject, timer });
      this.api.postMessage({ kind: 'request', id, method, params });
    });
  }

  onEvent(listener: (event: E) => void): void {
    this.listeners.add(listener);
  }

  private receive(data: unknown): void {
    let message;
    try {
      message = this.parse(data);
    } catch (error) {
      console.warn('Address Space Explorer: dropped a malformed message from the extension:', error);
      return;
    }
    if (!isReply(message)) {
      for (const listener of this.listeners) listener(message);
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending) return; // timed out already
    this.pending.delete(message.id);
    clearTimeout(pending.timer);
    if (!message.ok) return pending.reject(new Error(message.error));
    try {
      pending.resolve(this.checks.results[pending.method](message.result));
    } catch (error) {
      pending.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

function isReply(message: unknown): message is Reply {
  return (message as { kind?: unknown }).kind === 'reply';
}
