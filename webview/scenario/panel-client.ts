import { RpcClient } from '../rpc-client';
import type { VsCodeApi } from '../vscode-api';
import { parseHostMessage, requestKey, SCENARIO_METHODS, type HostEvent, type Methods, type PanelFocus, type RenderedReport } from './protocol';

/**
 * The scenario panel's end of the channel. The host sends the visible tab's views with each
 * step; requests for them are answered from those, without a round trip.
 */
export class PanelClient extends RpcClient<Methods, HostEvent> {
  private prefetched = new Map<string, unknown>();

  constructor(api: VsCodeApi) {
    super(api, SCENARIO_METHODS, parseHostMessage);
    this.onEvent((event) => {
      if (event.event === 'status') this.prefetched = new Map(event.views.map((v) => [requestKey(v.method, v.params), v.result]));
    });
  }

  override request<M extends keyof Methods & string>(method: M, params: Methods[M]['params']): Promise<Methods[M]['result']> {
    const key = requestKey(method, params);
    if (this.prefetched.has(key)) return Promise.resolve(this.prefetched.get(key) as Methods[M]['result']);
    return super.request(method, params);
  }

  rendered(params: RenderedReport): void {
    this.api.postMessage({ kind: 'event', event: 'rendered', params });
  }

  focus(params: PanelFocus): void {
    this.api.postMessage({ kind: 'event', event: 'focus', params });
  }
}
