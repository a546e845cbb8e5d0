// The scenario panel's protocol: what the host accepts from the panel, and what the panel accepts from the host.
import { describe, expect, it } from 'vitest';
import { RequestError } from '../../../webview/rpc';
import { packBytes, toRuns } from '../../../webview/scenario/byte-runs';
import { checkRegionPages, checkWalk } from '../../../webview/scenario/checks';
import { checkStatus, parseHostMessage, parseWebviewMessage, SCENARIO_METHODS, type PanelStatus } from '../../../webview/scenario/protocol';
import { ProtocolError } from '../../../webview/validate';

const request = (method: string, params: unknown, id: unknown = 5) => ({ kind: 'request', id, method, params });
const at = { run: 1, step: 3 };

function refusal(message: unknown): unknown {
  try {
    parseWebviewMessage(message);
  } catch (error) {
    return error;
  }
  throw new Error(`accepted ${JSON.stringify(message)}`);
}

const STATUS: PanelStatus = {
  document: '02-fork-cow.aspace', run: 1, state: 'ready', progress: null, problems: [], stale: false, step: 3, steps: 9, line: 9, text: 'show smaps P A',
  processes: [{ name: 'P', pid: 1000, state: 'running', line: 5, rssKb: 1200, pssKb: 900, swapKb: 0, vmaCount: 22 }], failures: [],
};

describe('messages from the panel, checked by the host', () => {
  it('accepts each request with well-formed params', () => {
    const good: [string, unknown][] = [
      ['status', {}], ['regions', { ...at, process: 'P' }], ['smaps', { ...at, process: 'P', region: 4 }], ['pages', { ...at, process: 'P', region: 0 }],
      ['page', { ...at, process: 'P', address: '0x7ffff7ff0000' }], ['walk', { ...at, process: 'Q', address: '0x1000', mode: 'toy6' }],
      ['physical', at], ['frame', { ...at, pfn: 12 }], ['lru', at], ['timeline', { run: 1 }], ['faults', { ...at, all: false }],
      ['setStep', { run: 1, step: -1 }], ['setLine', { run: 1, line: 12 }], ['reveal', { line: 0 }], ['runScenario', {}],
      ['editPte', { ...at, address: 8, value: 0b011111 }],
    ];
    for (const [method, params] of good) expect(parseWebviewMessage(request(method, params))).toMatchObject({ kind: 'request', id: 5, method });
    expect(Object.keys(SCENARIO_METHODS.params).sort()).toEqual(good.map(([m]) => m).sort());
  });

  it('refuses bad params with a RequestError carrying the id, so the host can reply', () => {
    for (const bad of [
      request('regions', { ...at, process: 'x'.repeat(65) }),
      request('regions', { run: 1, step: 'last', process: 'P' }),
      request('regions', { run: 0, step: 0, process: 'P' }),
      request('smaps', { ...at, process: 'P', region: -1 }),
      request('smaps', { ...at, process: 'P', region: 1.5 }),
      request('page', { ...at, process: 'P', address: '4096' }),
      request('page', { ...at, process: 'P', address: '0x1ffffffffffffffff' }),
      request('walk', { ...at, process: 'P', address: '0x1000', mode: 'arm64' }),
      request('frame', { ...at, pfn: -3 }),
      request('faults', at),
      request('setStep', { run: 1, step: -2 }),
      request('reveal', { line: '12' }),
      request('regions', null),
      request('drop tables', {}),
    ]) {
      const error = refusal(bad);
      expect(error).toBeInstanceOf(RequestError);
      expect((error as RequestError).id).toBe(5);
    }
  });

  it('drops what it cannot answer: no id, a bad id, an unknown kind or event', () => {
    for (const bad of ['hello', null, [], request('status', {}, 0), request('status', {}, 'x'), { kind: 'reply', id: 1, ok: true }, { kind: 'event', event: 'clicked', params: {} }]) {
      const error = refusal(bad);
      expect(error).toBeInstanceOf(ProtocolError);
      expect(error).not.toBeInstanceOf(RequestError);
    }
  });

  it('checks the render report', () => {
    const report = { run: 1, step: 3, line: 9, tab: 'smaps', process: 'P', region: 2, smaps: [{ name: 'Rss', kb: 32 }], restored: false };
    expect(parseWebviewMessage({ kind: 'event', event: 'rendered', params: report })).toEqual({ kind: 'event', event: 'rendered', params: report });
    expect(() => parseWebviewMessage({ kind: 'event', event: 'rendered', params: { ...report, tab: 'secrets' } })).toThrow(ProtocolError);
    expect(() => parseWebviewMessage({ kind: 'event', event: 'rendered', params: { ...report, smaps: [{ name: 'Rss', kb: -1 }] } })).toThrow(/kb/);
  });

  it('checks what the panel says it shows', () => {
    const focus = { tab: 'smaps', process: 'P', region: '0x7f0000000000', address: null, mode: 'x86-64' };
    expect(parseWebviewMessage({ kind: 'event', event: 'focus', params: focus })).toEqual({ kind: 'event', event: 'focus', params: focus });
    expect(() => parseWebviewMessage({ kind: 'event', event: 'focus', params: { ...focus, tab: 'secrets' } })).toThrow(/focus.tab/);
    expect(() => parseWebviewMessage({ kind: 'event', event: 'focus', params: { ...focus, region: 'here' } })).toThrow(/focus.region/);
  });
});

describe('messages from the host, checked by the panel', () => {
  it('accepts status, showAddress and showTab events and replies', () => {
    expect(parseHostMessage({ kind: 'event', event: 'status', params: STATUS, views: [] })).toEqual({ kind: 'event', event: 'status', params: STATUS, views: [] });
    expect(parseHostMessage({ kind: 'event', event: 'showAddress', params: { address: '0x1000', process: null } })).toMatchObject({ event: 'showAddress' });
    expect(parseHostMessage({ kind: 'event', event: 'showTab', params: { tab: 'timeline' } })).toMatchObject({ params: { tab: 'timeline' } });
    expect(parseHostMessage({ kind: 'reply', id: 3, ok: false, error: 'no' })).toEqual({ kind: 'reply', id: 3, ok: false, error: 'no' });
  });

  it('checks the views sent with a step as the replies they stand for', () => {
    const rows = { method: 'regions', params: { ...at, process: 'P' }, result: { rows: [] } };
    const lru = { method: 'lru', params: at, result: { view: { active: [], inactive: [], total: { active: 0, inactive: 0 } }, events: [] } };
    expect(parseHostMessage({ kind: 'event', event: 'status', params: STATUS, views: [rows] })).toMatchObject({ views: [rows] });
    expect(() => parseHostMessage({ kind: 'event', event: 'status', params: STATUS })).toThrow(/views/);
    expect(() => parseHostMessage({ kind: 'event', event: 'status', params: STATUS, views: [{ ...rows, method: 'reveal' }] })).toThrow(/views\[0\].method/);
    expect(() => parseHostMessage({ kind: 'event', event: 'status', params: STATUS, views: [{ ...rows, params: { run: 0, step: 1, process: 'P' } }] })).toThrow(/params.run/);
    expect(() => parseHostMessage({ kind: 'event', event: 'status', params: STATUS, views: [{ ...lru, result: { view: 3, events: [] } }] })).toThrow();
  });

  it('refuses a malformed status or event', () => {
    expect(() => checkStatus({ ...STATUS, state: 'exploded' })).toThrow(/status.state/);
    expect(() => checkStatus({ ...STATUS, processes: [{ ...STATUS.processes[0], rssKb: -4 }] })).toThrow(/rssKb/);
    expect(() => checkStatus({ ...STATUS, progress: 101 })).toThrow(/progress/);
    expect(() => parseHostMessage({ kind: 'event', event: 'showTab', params: { tab: 'settings' } })).toThrow(ProtocolError);
    expect(() => parseHostMessage({ kind: 'event', event: 'eval', params: {} })).toThrow(/unknown event/);
    expect(() => parseHostMessage({ kind: 'reply', id: 3, ok: 'yes' })).toThrow(/reply.ok/);
  });

  it('checks typed arrays of page states: their type, their length and their values', () => {
    const good = { start: '0x1000', count: 3, states: new Uint8Array([0, 4, 8]), mapcounts: new Uint8Array([0, 1, 2]) };
    expect(checkRegionPages(good).count).toBe(3);
    expect(() => checkRegionPages({ ...good, states: [0, 4, 8] })).toThrow(/Uint8Array/);
    expect(() => checkRegionPages({ ...good, count: 4 })).toThrow(/4 bytes/);
    expect(() => checkRegionPages({ ...good, states: new Uint8Array([0, 4, 9]) })).toThrow(/unknown value 9/);
    expect(() => checkRegionPages({ ...good, count: 1 << 25, states: new Uint8Array(0) })).toThrow(/pages.count/);
  });

  it('takes page states and mapcounts as runs of equal bytes too, unpacked and checked as the bytes are', () => {
    // A 4 GiB region touched here and there: a million bytes, a few hundred runs.
    const states = new Uint8Array(1 << 20);
    for (let i = 0; i < states.length; i += 4099) states[i] = i % 3 ? 4 : 8;
    const packed = packBytes(states);
    expect(packed).not.toBeInstanceOf(Uint8Array);
    const pages = checkRegionPages({ start: '0x1000', count: states.length, states: packed, mapcounts: packBytes(new Uint8Array(states.length)) });
    const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
    expect(same(pages.states, states)).toBe(true);
    expect(same(pages.mapcounts, new Uint8Array(states.length))).toBe(true);
    // Bytes with many runs go as they are; any bytes come back the same through their runs.
    let seed = 7;
    const random = Uint8Array.from({ length: 5000 }, () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 3);
    expect(packBytes(random)).toBe(random);
    expect(checkRegionPages({ start: '0x1000', count: random.length, states: toRuns(random), mapcounts: random }).states).toEqual(random);
    const good = { start: '0x1000', count: 3, states: new Uint8Array([0, 4, 8]), mapcounts: new Uint8Array(3) };
    const runs = (values: number[], lengths: number[]) => ({ values: new Uint8Array(values), lengths: new Uint32Array(lengths) });
    expect(() => checkRegionPages({ ...good, states: runs([0, 4], [1, 1]) })).toThrow(/3 bytes, its runs have 2/);
    expect(() => checkRegionPages({ ...good, states: runs([0, 9], [1, 2]) })).toThrow(/unknown value 9/);
    expect(() => checkRegionPages({ ...good, states: runs([0, 4, 8], [3, 0, 0]) })).toThrow(/empty run/);
    expect(() => checkRegionPages({ ...good, states: { values: new Uint8Array([0]), lengths: new Uint8Array([3]) } })).toThrow(/runs/);
    expect(() => checkRegionPages({ ...good, states: runs([0, 0, 0, 0], [1, 1, 1, 1]) })).toThrow(/runs/);
    expect(() => checkRegionPages({ ...good, states: runs([0], [2 ** 32 - 1]) })).toThrow(/runs have 4294967295/);
  });

  it('checks the huge pages of a region: each starts a run of 512 pages inside it', () => {
    const pages = { start: '0x200000', count: 1024, states: new Uint8Array(1024), mapcounts: new Uint8Array(1024) };
    expect(checkRegionPages({ ...pages, hugePages: [0, 512] }).hugePages).toEqual([0, 512]);
    expect(checkRegionPages(pages).hugePages).toBeUndefined();
    expect(() => checkRegionPages({ ...pages, hugePages: [513] })).toThrow(/pages.hugePages\[0\]/);
    expect(() => checkRegionPages({ ...pages, hugePages: [0, 0, 0] })).toThrow(/more than 2 items/);
    expect(() => checkRegionPages({ ...pages, hugePages: '0' })).toThrow(/must be an array/);
  });

  it('checks a reply\'s result against the method it answers', () => {
    const level = { level: 'PTE', bits: '20:12', index: 3, table: '0x2000', entry: '0x8000000000003067', flags: ['P', 'RW'], present: true, note: '' };
    expect(checkWalk({ mode: 'x86-64', address: '0x3000', levels: [level], physical: '0x3000' }).levels).toHaveLength(1);
    expect(() => checkWalk({ mode: 'x86-64', address: '0x3000', levels: [{ ...level, flags: 'P RW' }] })).toThrow(/flags/);
    expect(() => SCENARIO_METHODS.results.setStep({ step: 'next' })).toThrow(/result.step/);
    expect(SCENARIO_METHODS.results.smaps(null)).toBeNull();
  });
});
