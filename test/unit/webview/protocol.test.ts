// The message protocol's checks: what each side accepts from the other, and what it refuses.
import { describe, expect, it } from 'vitest';
import { checkResult, MAX_SYMBOL_PAGE, parseHostMessage, parseWebviewMessage, RequestError } from '../../../webview/protocol';
import { ProtocolError } from '../../../webview/validate';

const request = (method: string, params: unknown, id: unknown = 3) => ({ kind: 'request', id, method, params });

describe('messages from the webview, checked by the host', () => {
  it('accepts each request with well-formed params', () => {
    expect(parseWebviewMessage(request('summary', {}))).toEqual(request('summary', {}));
    expect(parseWebviewMessage(request('layout', { aslr: 'full', seed: '18446744073709551615' }))).toMatchObject({ method: 'layout' });
    expect(parseWebviewMessage(request('symbols', { table: 1, text: 'main', range: { start: '0x1000', end: '0x2000' }, offset: 0, limit: 200 }))).toMatchObject({ method: 'symbols' });
    expect(parseWebviewMessage(request('export', { aslr: 'off', seed: '0', format: 'markdown' }))).toMatchObject({ method: 'export' });
  });

  it('refuses bad params with a RequestError carrying the id, so the host can reply', () => {
    const refuse = (message: unknown) => {
      try {
        parseWebviewMessage(message);
      } catch (error) {
        return error;
      }
      throw new Error('accepted');
    };
    for (const bad of [
      request('layout', { aslr: 'sometimes', seed: '0' }),
      request('layout', { aslr: 'on', seed: '18446744073709551616' }),
      request('layout', { aslr: 'on', seed: '-1' }),
      request('symbols', { table: 0, text: '', range: null, offset: 0, limit: MAX_SYMBOL_PAGE + 1 }),
      request('symbols', { table: 0, text: 'x'.repeat(257), range: null, offset: 0, limit: 1 }),
      request('symbols', { table: 0, text: '', range: { start: '4096', end: '0x2000' }, offset: 0, limit: 1 }),
      request('export', { aslr: 'off', seed: '0', format: 'pdf' }),
      request('rm -rf', {}),
    ]) {
      const error = refuse(bad);
      expect(error).toBeInstanceOf(RequestError);
      expect((error as RequestError).id).toBe(3);
    }
  });

  it('refuses messages without a usable id as plain protocol errors (nothing to reply to)', () => {
    for (const bad of [null, 'summary', [], request('summary', {}, 0), request('summary', {}, 1.5), { kind: 'reply', id: 1 }, { kind: 'event', event: 'other', params: {} }]) {
      expect(() => parseWebviewMessage(bad)).toThrow(ProtocolError);
      expect(() => parseWebviewMessage(bad)).not.toThrow(RequestError);
    }
  });

  it('accepts the rendered event', () => {
    const event = { kind: 'event', event: 'rendered', params: { aslr: 'on', seed: '7', regions: 14, restored: false } };
    expect(parseWebviewMessage(event)).toEqual(event);
  });
});

describe('messages from the host, checked by the webview', () => {
  it('accepts replies and host events', () => {
    expect(parseHostMessage({ kind: 'reply', id: 2, ok: false, error: 'no' })).toEqual({ kind: 'reply', id: 2, ok: false, error: 'no' });
    expect(parseHostMessage({ kind: 'event', event: 'setAslr', params: { aslr: 'on' } })).toMatchObject({ event: 'setAslr' });
    expect(() => parseHostMessage({ kind: 'event', event: 'setAslr', params: { aslr: 3 } })).toThrow(ProtocolError);
    expect(() => parseHostMessage({ kind: 'reply', id: 2, ok: 'yes' })).toThrow(ProtocolError);
  });

  it('checks each result against its method', () => {
    const row = { index: 1, value: '0x1040', size: '0x3', type: 'FUNC', bind: 'GLOBAL', visibility: 'DEFAULT', ndx: 14, name: 'main' };
    expect(checkResult('symbols', { table: 0, total: 1, offset: 0, rows: [row] }).rows[0]?.name).toBe('main');
    expect(() => checkResult('symbols', { table: 0, total: 1, offset: 0, rows: [{ ...row, name: 42 }] })).toThrow(ProtocolError);
    expect(() => checkResult('layout', { kind: 'layout', aslr: 'off', seed: '0', regions: [{}], loadBias: '0x0', entry: '0x0', interpreter: null, incomplete: null })).toThrow(ProtocolError);
    expect(checkResult('layout', { kind: 'not-executable', reason: 'ET_REL' })).toEqual({ kind: 'not-executable', reason: 'ET_REL' });
  });
});
