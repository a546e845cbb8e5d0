import { RpcClient } from '../rpc-client';
import type { PanelClient } from '../scenario/panel-client';
import type { VsCodeApi } from '../vscode-api';
import { LIVE_METHODS, parseLiveHostMessage, type HostEvent, type LiveRenderedReport, type Methods } from './protocol';

/** The live view's end of the channel. */
export class LiveClient extends RpcClient<Methods, HostEvent> {
  constructor(api: VsCodeApi) {
    super(api, LIVE_METHODS, parseLiveHostMessage);
  }

  rendered(params: LiveRenderedReport): void {
    this.api.postMessage({ kind: 'event', event: 'rendered', params });
  }
}

/**
 * The scenario panel's views that the live view borrows (the maps table, the timeline) ask the
 * scenario methods `regions` and `timeline`, which the live protocol answers with the same shapes.
 */
export function borrowedViewClient(client: LiveClient): Pick<PanelClient, 'request'> {
  const request = (method: string, params: unknown): Promise<unknown> => {
    if (method === 'regions' || method === 'timeline') return client.request(method, params as never);
    return Promise.reject(new Error(`${method}: not available for a live process`));
  };
  return { request: request as Pick<PanelClient, 'request'>['request'] };
}
