// The live view followed by a debugger (extension/debug/): each stop reads the process and is compared
// with the previous stop; the status says which session and thread stopped it and passes the view's
// checks; the reveal event of Show in Address Space is checked like every host message.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LiveSession } from '../../../extension/live/live-session';
import { recordedReader, type RecordedProcess } from '../../../simulator/live/index';
import { checkLiveDiff } from '../../../webview/live/checks';
import { checkLiveStatus, parseLiveHostMessage } from '../../../webview/live/protocol';
import { REPO_ROOT } from '../../support/exec-layout';

const recording = (): RecordedProcess => JSON.parse(readFileSync(join(REPO_ROOT, 'test/fixtures/live/workload-parent.json'), 'utf8')) as RecordedProcess;

describe('a live session at debug stops', () => {
  it('the first stop reads and names the session and thread; the second compares with it; continuing says so', () => {
    const rec = recording();
    let now = 1_700_000_000_000;
    const s = new LiveSession(recordedReader(rec), rec.pid, { intervalSec: 0, freeze: true }, () => (now += 1000));
    s.markStop({ session: 'Launch workload', thread: 'pss-workload (#7)', reason: 'breakpoint', stop: 1 });
    const first = checkLiveStatus(s.status());
    expect(first.run).toBe(1);
    expect(first.frozen).toBe(false);
    expect(first.debug).toEqual({ session: 'Launch workload', thread: 'pss-workload (#7)', reason: 'breakpoint', stop: 1, stopped: true, changes: '' });
    expect(s.diff(1)).toBeNull();
    s.markStop({ session: 'Launch workload', thread: '#7', reason: 'step', stop: 2 });
    const second = checkLiveStatus(s.status());
    expect(second.debug).toMatchObject({ stop: 2, changes: 'nothing changed', stopped: true });
    const diff = checkLiveDiff(s.diff(2));
    expect(diff.rows).toEqual([]);
    s.debugContinued();
    expect(checkLiveStatus(s.status()).debug?.stopped).toBe(false);
  });

  it('a session never stopped by a debugger has no debug line', () => {
    const rec = recording();
    const s = new LiveSession(recordedReader(rec), rec.pid, { intervalSec: 0, freeze: false });
    s.read();
    expect('debug' in checkLiveStatus(s.status())).toBe(false);
  });
});

describe('the reveal event', () => {
  it('is checked: hex addresses, a bounded summary', () => {
    const ok = { kind: 'event', event: 'reveal', params: { address: '0x7f0000001000', start: '0x7f0000000000', summary: 'p 0x7f0000001000 → anonymous rw-p, anonymous private' } };
    expect(parseLiveHostMessage(ok)).toEqual(ok);
    for (const params of [{ ...ok.params, address: 'nope' }, { ...ok.params, start: 5 }, { ...ok.params, summary: 'x'.repeat(5000) }, null]) {
      expect(() => parseLiveHostMessage({ ...ok, params })).toThrow();
    }
  });

  it('a status with a malformed debug line is refused', () => {
    const rec = recording();
    const s = new LiveSession(recordedReader(rec), rec.pid, { intervalSec: 0, freeze: false });
    s.markStop({ session: 'S', thread: '', reason: 'pause', stop: 1 });
    const status = s.status();
    expect(() => checkLiveStatus({ ...status, debug: { ...status.debug, stop: 0 } })).toThrow(/status.debug.stop/);
    expect(() => checkLiveStatus({ ...status, debug: { ...status.debug, session: 'x'.repeat(300) } })).toThrow(/status.debug.session/);
  });
});
