// Hostile messages found by the protocol fuzzer: each is refused with a ProtocolError, not a TypeError.
import { describe, expect, it } from 'vitest';
import { parseHostMessage as parseElfHostMessage } from '../../../webview/protocol';
import { checkStatus, parseHostMessage, parseWebviewMessage } from '../../../webview/scenario/protocol';
import { array, integer, ProtocolError } from '../../../webview/validate';

describe('validators against hostile values', () => {
  it('an event name whose String() throws is refused as unknown', () => {
    const event = { toString: 1, valueOf: 1 };
    expect(() => parseElfHostMessage({ kind: 'event', event, params: {} })).toThrow(ProtocolError);
    expect(() => parseHostMessage({ kind: 'event', event, params: {} })).toThrow(ProtocolError);
    expect(() => parseWebviewMessage({ kind: 'event', event })).toThrow(ProtocolError);
    expect(() => parseWebviewMessage({ kind: 'request', id: 1, method: event, params: {} })).toThrow(/unknown method object/);
  });

  it('an unknown name is quoted short: the message stays one short line', () => {
    expect(() => parseElfHostMessage({ kind: 'event', event: 'x'.repeat(1 << 20), params: {} })).toThrow(/^unknown event "x{40}…"$/);
  });

  it('the holes of a sparse array are checked like any item', () => {
    // eslint-disable-next-line no-sparse-arrays -- the hole is the point
    expect(() => array([1, , 3], 'list', (v, w) => integer(v, w))).toThrow('list[1] must be an integer');
    // eslint-disable-next-line no-sparse-arrays -- the hole is the point
    const status = { document: null, run: 1, state: 'ready', progress: null, problems: [], stale: false, step: 0, steps: 1, line: 1, text: '', processes: [], failures: ['a', , 'b'] };
    expect(() => checkStatus(status)).toThrow('status.failures[1] must be a string');
  });
});
