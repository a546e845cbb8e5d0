import { RpcClient } from '../rpc-client';
import type { VsCodeApi } from '../vscode-api';
import { parseHostMessage, SCENARIO_METHODS, type HostEvent, type Methods, type RenderedReport } from './protocol';

/** The scenario panel's end of the channel. */
export class PanelClient extends RpcClient<Methods, HostEvent> {
  constructor(api: VsCodeApi) {
    super(api, SCENARIO_METHODS, parseHostMessage);
  }

  rendered(params: RenderedReport): void {
    this.api.postMessage({ kind: 'event', event: 'rendered', params });
  }
}
