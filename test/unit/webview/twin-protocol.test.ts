// The twin's requests (Simulate This Process, Compare with Real smaps) from the live view and the
// ELF view's Core dump tab: accepted with empty params, refused otherwise with the id, results checked.
import { describe, expect, it } from 'vitest';
import { checkResult, parseWebviewMessage, RequestError } from '../../../webview/protocol';
import { LIVE_METHODS, parseLiveWebviewMessage } from '../../../webview/live/protocol';
import { ProtocolError } from '../../../webview/validate';

const request = (method: string, params: unknown, id: unknown = 5) => ({ kind: 'request', id, method, params });

describe("the twin's requests", () => {
  it('the live view asks to simulate and to compare; the host accepts them with empty params', () => {
    expect(parseLiveWebviewMessage(request('simulate', {}))).toEqual(request('simulate', {}));
    expect(parseLiveWebviewMessage(request('compareTwin', {}))).toEqual(request('compareTwin', {}));
    // Extra fields are not passed on: the host acts on its own process, never on a pid the view names.
    expect(parseLiveWebviewMessage(request('simulate', { pid: 1 }))).toEqual(request('simulate', {}));
  });

  it('refuses params that are not an object, with the id', () => {
    for (const bad of [request('simulate', null), request('compareTwin', 'pid 1'), request('simulate', [])]) {
      expect(() => parseLiveWebviewMessage(bad)).toThrow(RequestError);
    }
    expect(() => parseWebviewMessage(request('simulateCore', 7))).toThrow(RequestError);
  });

  it("the Core dump tab's Simulate This Process, and the replies' checks", () => {
    expect(parseWebviewMessage(request('simulateCore', {}))).toEqual(request('simulateCore', {}));
    expect(checkResult('simulateCore', {})).toEqual({});
    expect(() => checkResult('simulateCore', null)).toThrow(ProtocolError);
    expect(LIVE_METHODS.results.simulate({})).toEqual({});
    expect(() => LIVE_METHODS.results.compareTwin('done')).toThrow(ProtocolError);
  });
});
