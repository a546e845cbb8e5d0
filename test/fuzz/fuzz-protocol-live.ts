// The live view's protocol (webview/live/protocol.ts) for the protocol fuzzer: requests and replies
// computed by the live view's host end (LiveSession) from a recorded process, to damage.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LiveSession } from '../../extension/live/live-session';
import { recordedReader, type RecordedProcess } from '../../simulator/live/index';
import * as live from '../../webview/live/protocol';
import { record } from '../../webview/validate';

export interface LiveTarget {
  readonly name: string;
  readonly check: (value: unknown) => unknown;
  readonly templates: readonly unknown[];
}

const request = (method: string, params: unknown) => ({ kind: 'request', id: 7, method, params });
const reply = (result: unknown) => ({ kind: 'reply', id: 7, ok: true, result });

export function liveTargets(root: string): LiveTarget[] {
  const rec = JSON.parse(readFileSync(join(root, 'test/fixtures/live/workload-parent.json'), 'utf8')) as RecordedProcess;
  const session = new LiveSession(recordedReader(rec), rec.pid, { intervalSec: 5, freeze: false });
  session.read();
  session.takeSnapshot(false);
  session.read();
  const status = session.status();
  const at = { run: status.run, step: 0, process: status.name };
  const { rows } = session.regions(status.run);
  // The smallest resident region: small typed arrays keep a case cheap.
  const region = rows.filter((r) => r.rssKb > 0).sort((a, b) => a.pages - b.pages)[0] ?? rows[0]!;
  const pages = session.pages(status.run, region.index);
  const calls: { [M in live.Method]: { params: live.Methods[M]['params']; result: live.Methods[M]['result'] } } = {
    status: { params: {}, result: status },
    regions: { params: at, result: { rows } },
    smaps: { params: { ...at, region: region.index }, result: session.smaps(status.run, region.index) },
    pages: { params: { ...at, region: region.index }, result: pages },
    page: { params: { ...at, address: region.start }, result: session.page(status.run, region.start) },
    timeline: { params: { run: status.run }, result: session.timeline() },
    diff: { params: { run: status.run }, result: session.diff(status.run) },
    refresh: { params: {}, result: {} },
    setOptions: { params: { intervalSec: 10, freeze: true }, result: {} },
    snapshot: { params: { clear: false }, result: {} },
    simulate: { params: {}, result: {} },
    compareTwin: { params: {}, result: {} },
  };
  const methods = Object.keys(calls) as live.Method[];
  const rendered = { pid: rec.pid, run: status.run, tab: 'smaps', region: region.start, regionCount: rows.length, regions: rows.slice(0, 3).map((r) => [r.start, r.end]), smaps: [{ name: 'Rss', kb: 4 }], error: null };
  return [
    { name: 'live parseLiveWebviewMessage', check: live.parseLiveWebviewMessage, templates: [...methods.map((m) => request(m, calls[m].params)), { kind: 'event', event: 'rendered', params: rendered }] },
    { name: 'live parseLiveHostMessage', check: live.parseLiveHostMessage, templates: [reply(status), { kind: 'event', event: 'status', params: status }, { kind: 'reply', id: 3, ok: false, error: 'pid 7 (/proc/7/smaps): permission denied (EACCES)' }] },
    ...methods.map((m): LiveTarget => ({ name: `live result of ${m}`, check: live.LIVE_METHODS.results[m], templates: [calls[m].result] })),
    ...methods.map((m): LiveTarget => ({ name: `live params of ${m}`, check: (p) => live.LIVE_METHODS.params[m](record(p, 'params') as never), templates: [calls[m].params] })),
  ];
}
