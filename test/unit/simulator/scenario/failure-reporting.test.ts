// Failures and deaths said out loud (issue 16 §3, issue 14 §2): failed calls, names of failed
// mmaps, expect … failed, the OOM killer's choice and line, kills by faults, show of the dead.
import { describe, expect, it } from 'vitest';
import { timeline } from '../../../../simulator/inspect/timeline';
import { checkTimeline } from '../../../../webview/scenario/checks';
import { parseScenario } from '../../../../simulator/scenario/parser';
import { STATIC, eventsOf, run } from '../../../support/static-run';

const errors = (text: string) => parseScenario(text, 's.aspace').diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);


describe('a failed call says so', () => {
  it('reports the errno and reason of a failed mmap at the statement\'s column, and leaves the name undefined', async () => {
    const r = await run(`P = exec ${STATIC}\n  A = mmap P 131072G rw- private anon\nwrite P A\nshow smaps P A\n`);
    const events = eventsOf(r);
    expect(events[0]).toMatchObject({ line: 2, column: 3, kind: 'syscall-failed', call: 'mmap', errno: 'ENOMEM' });
    expect(events[0]!.message).toMatch(/^mmap failed with ENOMEM: .*TASK_SIZE/);
    // Using the name later: a note, the statement skipped, no crash.
    expect(events[1]).toMatchObject({ line: 3, kind: 'skipped', message: 'A is undefined: its mmap at line 2 failed with ENOMEM; statement skipped' });
    expect(r.steps[3]!.notes).toContain('A is undefined: its mmap at line 2 failed with ENOMEM; statement skipped');
    expect(r.steps[3]!.output).toBe('');
  });

  it('says every skipped statement once, as a note and a skipped event, and expect failed reports it as not run', async () => {
    const r = await run([
      `P = exec ${STATIC}`,
      'T = thread P',
      'exit T',
      'exit T',
      'write T heap',
      'exit P',
      'write P heap',
      'expect failed ENOMEM',
      'set rlimit P stack 1M',
      'Q = fork P',
      'show smaps Q',
      'munmap Q heap',
    ].join('\n'));
    const skipped = [
      { line: 4, message: 'thread T exited at line 3: statement skipped' },
      { line: 5, message: 'thread T exited at line 3: statement skipped' },
      { line: 7, message: 'P has exited: statement skipped' },
      { line: 9, message: 'P is not running: set rlimit skipped' },
      { line: 10, message: 'P has exited: statement skipped' },
      { line: 11, message: 'no process named Q' },
      { line: 12, message: 'no process named Q' },
    ];
    expect(eventsOf(r).map(({ line, kind, message }) => ({ line, kind, message }))).toEqual(skipped.map((e) => ({ ...e, kind: 'skipped' })));
    for (const { line, message } of skipped) expect(r.steps[line - 1]!.notes).toEqual([message]);
    expect(r.failures).toEqual(['line 8: expected the write at line 7 to fail with ENOMEM, but it did not run (P has exited: statement skipped)']);
  });

  it('reports a failed brk and mprotect the same way', async () => {
    const r = await run(`P = exec ${STATIC}\nA = mmap P 8K rw- private anon\nmunmap P A 4K 4K\nmprotect P A r--\n`);
    expect(eventsOf(r)).toMatchObject([{ line: 4, column: 1, kind: 'syscall-failed', call: 'mprotect', errno: 'ENOMEM' }]);
  });
});

describe('expect failed', () => {
  it('parses expect R failed ERRNO and expect failed ERRNO, and refuses unknown errnos', () => {
    const ok = parseScenario(`P = exec x\nA = mmap P 4K rw- private anon\nexpect A failed ENOMEM\nexpect failed EINVAL\n`, 's.aspace');
    expect(ok.diagnostics).toEqual([]);
    expect(ok.statements[2]).toMatchObject({ kind: 'expectFailed', region: { name: 'A' }, errno: 'ENOMEM' });
    expect(ok.statements[3]).toMatchObject({ kind: 'expectFailed', errno: 'EINVAL' });
    expect(ok.statements[3]).not.toHaveProperty('region');
    expect(errors(`expect failed ENOMEN\n`)).toEqual([`unknown errno 'ENOMEN' (did you mean 'ENOMEM'?); expected a name such as ENOMEM, EINVAL, EACCES or EEXIST`]);
    expect(errors(`P = exec x\nexpect heap failed ENOMEM\n`)).toEqual([`expected the name of an mmap's region before 'failed', found 'heap'`]);
    expect(errors(`P = exec x\nfailed = mmap P 4K rw- private anon\n`)[0]).toMatch(/'failed' cannot name a region/);
  });

  it('holds when the named mmap or the call before failed with that errno, and fails in expect\'s style otherwise', async () => {
    const r = await run([
      `P = exec ${STATIC}`,
      'A = mmap P 131072G rw- private anon',
      'expect A failed ENOMEM',
      'expect A failed EINVAL',
      'B = mmap P 4K rw- private anon',
      'expect B failed ENOMEM',
      'C = mmap P 8K rw- private anon',
      'munmap P C 4K 4K',
      'mprotect P C r--',
      'expect failed ENOMEM',
      'show maps P',
      'expect failed ENOMEM',
      'brk P +4K',
      'expect failed ENOMEM',
    ].join('\n'));
    expect(r.failures).toHaveLength(3);
    expect(r.failures[0]).toMatch(/^line 4: expected the mmap of A \(line 2\) to fail with EINVAL, but it failed with ENOMEM: /);
    expect(r.failures[1]).toMatch(/^line 6: expected the mmap of B \(line 5\) to fail with ENOMEM, but it succeeded at 0x/);
    expect(r.failures[2]).toBe('line 14: expected the brk at line 13 to fail with ENOMEM, but it succeeded');
  });
});

describe('the timeline', () => {
  it('lists every failed call and death with its line, and the webview accepts them', async () => {
    const r = await run(`P = exec ${STATIC}\nA = mmap P 131072G rw- private anon\nread P A\nB = mmap P 1M rw- private anon\nwrite P B 0 2M\n`);
    const view = timeline(r);
    expect(view.events?.map((e) => [e.line, e.kind])).toEqual([[2, 'syscall-failed'], [5, 'killed']]);
    expect(view.events?.[1]?.message).toMatch(/^P \(pid 1000\) killed by SIGSEGV \(si_code SEGV_ACCERR/);
    expect(checkTimeline(JSON.parse(JSON.stringify(view)))).toEqual(view);
    expect(() => checkTimeline({ ...view, events: [{ line: 1, kind: 'bogus', message: '' }] })).toThrow(/timeline\.events\[0\]\.kind/);
  });
});
