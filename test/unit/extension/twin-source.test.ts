// Simulate This Process's glue on a recorded process: the twin it writes, the one-line errors
// (exited, permission), the end marker what-ifs go after, and the comparison report.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { twinEndLine, twinFailure, TwinError, twinOfProcess } from '../../../extension/twin/twin-source';
import { twinReport, twinSummary } from '../../../extension/twin/twin-report';
import { ProcFileError, recordedReader, type ProcReader, type RecordedProcess } from '../../../simulator/live/index';
import type { TwinComparison } from '../../../simulator/live/twin-compare';
import { REPO_ROOT } from '../../support/exec-layout';

const recording = (): RecordedProcess => JSON.parse(readFileSync(join(REPO_ROOT, 'test/fixtures/live/workload-parent.json'), 'utf8')) as RecordedProcess;

describe('the twin of a recorded process', () => {
  it('is a scenario that execs the program and ends with the marker what-ifs go after', () => {
    const rec = recording();
    const source = twinOfProcess(recordedReader(rec), rec.pid, { freeze: false, program: '/tmp/pss-workload' });
    expect(source.pid).toBe(rec.pid);
    expect(source.title).toBe(`twin of pss-workload (${rec.pid})`);
    expect(source.twin.text).toMatch(/^P = exec \/tmp\/pss-workload/m);
    expect(source.input.vmas.length).toBeGreaterThan(20);
    const end = twinEndLine(source.twin.text);
    expect(source.twin.text.split('\n')[end! - 1]).toMatch(/^# --- end of the twin of pid \d+ \(pss-workload\)/);
  });

  it('a process that has exited, or one not ours to read, is said in one line', () => {
    const rec = recording();
    expect(() => twinOfProcess(recordedReader(rec), rec.pid + 1, { freeze: false })).toThrow(TwinError);
    expect(() => twinOfProcess(recordedReader(rec), rec.pid + 1, { freeze: false })).toThrow(new RegExp(`^pid ${rec.pid + 1} has exited: there is no process to simulate`));
    const recorded = recordedReader(rec);
    const denied: ProcReader = {
      readText: (path) => { throw new ProcFileError(`/proc/${path}`, 'EACCES', rec.pid); },
      readAt: (path, offset, into) => recorded.readAt(path, offset, into),
      listPids: () => recorded.listPids(),
      userName: (uid) => recorded.userName(uid),
    };
    let message = '';
    try {
      twinOfProcess(denied, rec.pid, { freeze: false });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(new RegExp(`^pid ${rec.pid}: permission denied: `));
    expect(message).not.toContain('\n');
    expect(twinFailure(Object.assign(new Error('kill EPERM'), { code: 'EPERM' }), 7)).toMatch(/^pid 7: permission denied: .*\(kill EPERM\)$/);
    expect(twinFailure(Object.assign(new Error('kill ESRCH'), { code: 'ESRCH' }), 7)).toBe('pid 7 has exited: there is no process to simulate (kill ESRCH)');
  });

  it('a twin whose marker was removed has no end line', () => {
    expect(twinEndLine('P = exec /bin/true\nshow smaps P\n')).toBeUndefined();
  });
});

describe('the comparison report', () => {
  const comparison: TwinComparison = {
    vmas: 4, matched: 2, privateVmas: 3, privateMatched: 2,
    rows: [
      { start: '0x1000', end: '0x2000', perms: 'r--p', path: '/bin/p|q', live: { Size: 4, Rss: 4, Pss: 1 }, twin: { Size: 4, Rss: 4, Pss: 2 }, differs: [], status: 'match', reason: 'pages shared with processes outside the twin: mapcount up to 9 live' },
      { start: '0x2000', end: '0x3000', perms: 'rw-p', path: '', live: { Size: 4, Rss: 4 }, twin: { Size: 4, Rss: 4 }, differs: [], status: 'match' },
      { start: '0x3000', end: '0x5000', perms: 'rw-p', path: '[heap]', live: { Size: 8, Rss: 8 }, twin: { Size: 8, Rss: 4 }, differs: ['Rss'], status: 'differs', reason: 'Rss 4 kB (live 8 kB)' },
      { start: '0x7000', end: '0x8000', perms: 'r-xp', path: '[vdso]', live: { Rss: 4 }, differs: ['Size'], status: 'missing' },
    ],
  };

  it('puts what differs first, with the twin and live values and why; escapes table cells', () => {
    const text = twinReport('twin of p (7)', 'pid 7 (p)', comparison);
    expect(text).toContain('**Private VMAs: 2 of 3 match** (1 private VMA differs); all VMAs: 2 of 4.');
    const differ = text.indexOf('## Where they differ (2)');
    const noted = text.indexOf('## Matching, with a note (1)');
    const plain = text.indexOf('## Matching (1)');
    expect(differ).toBeGreaterThan(0);
    expect(noted).toBeGreaterThan(differ);
    expect(plain).toBeGreaterThan(noted);
    expect(text.split('\n')[0]).toBe('# Twin vs live: pid 7 (p)');
    expect(text).toContain('- **`3000-5000` rw-p [heap]**: differs; Rss 4 kB (live 8 kB). Rss 4 kB (live 8 kB)');
    expect(text).toContain('- **`7000-8000` r-xp [vdso]**: missing in the twin; Size – (live –)');
    // The file's name, its | escaped.
    expect(text).toContain('- **`1000-2000` r--p p\\|q**: Rss 4 kB; pages shared');
    expect(text).toContain('| VMA | Mapping | Size | Rss | Anon | Swap | Private dirty | Private clean |');
    expect(text).toContain('| `2000-3000` rw-p | (anonymous) | 4 | 4 | 0 | 0 | 0 | 0 |');
    expect(twinSummary('twin of p (7)', comparison)).toBe('twin of p (7): 2 of 3 private VMAs match the live smaps (Size, Rss, Anonymous, Swap, Private_Dirty, Private_Clean); 2 VMAs differ.');
  });

  it('says so when every VMA matches', () => {
    const all: TwinComparison = { ...comparison, matched: 2, vmas: 2, privateVmas: 2, privateMatched: 2, rows: comparison.rows.slice(0, 2) };
    const text = twinReport('twin of p (7)', 'pid 7 (p)', all);
    expect(text).toContain('(all private VMAs match)');
    expect(text).toContain('Nowhere: every VMA has the same numbers in the twin as live.');
    expect(twinSummary('t', all)).toMatch(/no VMA differs\.$/);
  });
});
