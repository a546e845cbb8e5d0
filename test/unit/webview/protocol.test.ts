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

describe("the Linked tab's messages", () => {
  const object = { name: 'libc.so.6', kind: 'library', path: '/lib/x86_64-linux-gnu/libc.so.6', mapsPath: '/usr/lib/x86_64-linux-gnu/libc.so.6', foundVia: 'found via /etc/ld.so.cache', lAddr: '0x7ffff7dd4000', mapStart: '0x7ffff7dd4000', mapEnd: '0x7ffff7fb6000' };
  const program = { ...object, name: 'pie', kind: 'executable', path: '', mapsPath: '/tmp/pie', foundVia: 'the program, mapped by execve' };
  const region = {
    start: '0x7ffff7dfa000', end: '0x7ffff7f50000', line: '7ffff7dfa000-7ffff7f50000 r-xp 00026000 fe:00 339380 /usr/lib/x86_64-linux-gnu/libc.so.6',
    range: '7ffff7dfa000-7ffff7f50000', perms: 'r-xp', offset: '00026000', device: 'fe:00', inode: '339380', name: '/usr/lib/x86_64-linux-gnu/libc.so.6',
    objects: [1], role: 'text', description: 'ld.so: libc.so.6 PT_LOAD [1]',
  };
  const tree = { object: 0, needed: '', duplicate: false, children: [{ object: 1, needed: 'libc.so.6', duplicate: false, children: [] }] };
  const linked = { kind: 'linked', aslr: 'off', seed: '0', objects: [program, object], tree, searchList: [0, 1], regions: [region], ldLibraryPath: '' };

  it('the host accepts linked and copyEntryMaps with layout params, and refuses bad ones with the id', () => {
    expect(parseWebviewMessage(request('linked', { aslr: 'on', seed: '42' }))).toEqual(request('linked', { aslr: 'on', seed: '42' }));
    expect(parseWebviewMessage(request('copyEntryMaps', { aslr: 'off', seed: '0' }))).toMatchObject({ method: 'copyEntryMaps' });
    for (const bad of [request('linked', { aslr: 'always', seed: '0' }), request('linked', { aslr: 'on' }), request('copyEntryMaps', null)]) {
      expect(() => parseWebviewMessage(bad)).toThrow(RequestError);
    }
  });

  it('the webview accepts a tree with its layout at entry, and each problem with its message', () => {
    expect(checkResult('linked', linked)).toEqual(linked);
    const missing = { kind: 'error', message: 'pie: error while loading shared libraries: libx.so: cannot open shared object file: No such file or directory', searched: ['/lib', '/usr/lib'] };
    expect(checkResult('linked', missing)).toEqual(missing);
    expect(checkResult('linked', { kind: 'static', message: 'statically linked: no dynamic loader runs', searched: [] })).toMatchObject({ kind: 'static' });
    expect(checkResult('copyEntryMaps', { lines: 23 })).toEqual({ lines: 23 });
  });

  it('the webview refuses trees that point outside the objects, bad addresses and unknown kinds', () => {
    for (const bad of [
      { ...linked, tree: { ...tree, children: [{ object: 2, needed: 'x', duplicate: false, children: [] }] } },
      { ...linked, tree: { ...tree, duplicate: 'no' } },
      { ...linked, objects: [] },
      { ...linked, objects: [program, { ...object, lAddr: '7ffff7dd4000' }] },
      { ...linked, objects: [program, { ...object, kind: 'plugin' }] },
      { ...linked, searchList: [0, 5] },
      { ...linked, regions: [{ ...region, objects: [-1] }] },
      { ...linked, regions: [{ ...region, role: 7 }] },
      { kind: 'error', message: 'x' },
      { kind: 'crashed', message: 'x', searched: [] },
    ]) {
      expect(() => checkResult('linked', bad)).toThrow(ProtocolError);
    }
  });

  it('the webview refuses a tree nested deeper than any real program', () => {
    let deep: Record<string, unknown> = { object: 0, needed: 'x', duplicate: false, children: [] };
    for (let i = 0; i < 300; i++) deep = { object: 0, needed: 'x', duplicate: false, children: [deep] };
    expect(() => checkResult('linked', { ...linked, tree: deep })).toThrow(/deep/);
  });
});
