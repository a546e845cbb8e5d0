// The twin's text from a recorded process (test/fixtures/live/workload-parent.json: anonymous, file
// and shmem mappings, copy-on-write after fork, a THP), on any machine: the statements that pin the
// layout and remake each mapping at its address, the pages as runs, and the sharers for the pages
// the fork child maps too. (twin-live.test.ts runs twins against the real kernel.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordedReader, type RecordedProcess } from '../../../../simulator/live/index';
import { twinScenario } from '../../../../simulator/live/twin';
import { compareTwin } from '../../../../simulator/live/twin-compare';
import { readTwinInput } from '../../../../simulator/live/twin-input';
import { parseScenario } from '../../../../simulator/scenario/parser';
import { REPO_ROOT } from '../../../support/exec-layout';

const rec = JSON.parse(readFileSync(join(REPO_ROOT, 'test/fixtures/live/workload-parent.json'), 'utf8')) as RecordedProcess;
const { input } = readTwinInput(recordedReader(rec), rec.pid, { program: '/tmp/pss-workload', freeze: false });
const twin = twinScenario(input);
const lines = twin.text.split('\n');

describe('the twin of a recorded process', () => {
  it('is a scenario that parses without errors', () => {
    const { diagnostics } = parseScenario(twin.text, 'twin.aspace');
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('pins the exec layout and remakes each mapping at its live address', () => {
    expect(lines).toContain('set layout load 0x557d2c221000 mmap_base 0x7f3a9c58c000 stack_top 0x7ffeb9bf6000 brk 0x557d372e2000');
    expect(lines).toContain('P = exec /tmp/pss-workload /tmp/pssfile');
    expect(lines).toContain('m7f3a9c2ce000 = mmap P 0x10000 rw- shared anon at 0x7f3a9c2ce000');
    expect(lines).toContain('m7f3a9c2de000 = mmap P 0x10000 rw- private file /tmp/pssfile at 0x7f3a9c2de000');
    expect(lines).toContain('m7f3a9c2ee000 = mmap P 0x10000 rw- shared file /tmp/pssfile offset 0x20000 at 0x7f3a9c2ee000');
    expect(lines.filter((l) => / = mmap P .* at 0x/.test(l)).length).toBeGreaterThan(15);
  });

  it('makes the pages in runs, turns fault-around off meanwhile, and forks sharers for the pages the child maps', () => {
    expect(lines.indexOf('set fault_around 4K          # one page per read fault: exactly the pages that are resident')).toBeLessThan(lines.indexOf('P = exec /tmp/pss-workload /tmp/pssfile'));
    // The THP region: advised (VmFlags hg), then one store statement for its 512 written pages, not 512.
    expect(lines).toContain('madvise P 0x7f3a9be00000 0 0x200000 hugepage');
    expect(lines).toContain('write P 0x7f3a9be00000 0 0x200000');
    expect(twin.sharers.length).toBeGreaterThan(0);
    expect(lines).toContain('S1 = fork P');
    expect(lines[lines.length - 2]).toBe('show smaps P');
  });

  it('reads the file pages under MADV_RANDOM (one page a load, no readahead folios) and advises normal again after, for the sharers too', () => {
    const file = input.vmas.find((v) => v.path === '/tmp/pssfile')!;
    const range = `0x${file.start.toString(16)} 0 0x${(file.end - file.start).toString(16)}`;
    const random = lines.indexOf(`madvise P ${range} random`);
    const firstLoad = lines.findIndex((l) => l.startsWith('read P ') && l.includes(`0x${file.start.toString(16)}`));
    expect(random).toBeGreaterThan(0);
    expect(random).toBeLessThan(firstLoad === -1 ? Infinity : firstLoad);
    for (const process of ['P', ...twin.sharers]) expect(lines.indexOf(`madvise ${process} ${range} normal`)).toBeGreaterThan(random);
  });

  it('compared with smaps of itself, every VMA matches (the comparison pairs by address)', () => {
    const smaps = rec.files[`${rec.pid}/smaps`] as string;
    const c = compareTwin(input, twin, smaps);
    expect(c.rows.filter((r) => r.status !== 'match').map((r) => r.start)).toEqual([]);
    expect(c.privateMatched).toBe(c.privateVmas);
  });
});

describe('the twin of a process whose command line a scenario cannot hold', () => {
  it('keeps its first comment one line (a newline in an argument is written \\n) and notes the arguments left out of exec', () => {
    const script = twinScenario({ ...input, args: ['-c', 'import os\nos.fork()\n# done', ''] });
    const text = script.text.split('\n');
    expect(text[0]).toBe(`# The twin of pid ${rec.pid} (pss-workload): /tmp/pss-workload -c import os\\nos.fork()\\n# done `);
    expect(text).toContain('P = exec /tmp/pss-workload -c');
    expect(script.notes).toContain("2 of the 3 arguments are left out of the twin's exec: a scenario cannot write an empty one or one with a blank or '#' (the twin's stack holds fewer bytes of strings)");
    expect(parseScenario(script.text, 'twin.aspace').diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('refuses a program whose path has a blank, with a one-line reason', () => {
    expect(() => twinScenario({ ...input, program: '/tmp/my program' })).toThrow(`the program "/tmp/my program" has a blank or '#' in its path, which a scenario's exec cannot write`);
  });
});
