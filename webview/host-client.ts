import { ELF_METHODS, parseHostMessage, type HostEvent, type Methods, type RenderedParams } from './protocol';
import { RpcClient } from './rpc-client';
import type { VsCodeApi } from './vscode-api';

/** The ELF view's end of the channel. */
export class HostClient extends RpcClient<Methods, HostEvent> {
  constructor(api: VsCodeApi) {
    super(api, ELF_METHODS, parseHostMessage);
  }

  rendered(params: RenderedParams): void {
    this.api.postMessage({ kind: 'event', event: 'rendered', params });
  }
}
