// Completion of .aspace scenarios (extension/scenario/language/complete.ts), as pure functions over text.
import { describe, expect, it } from 'vitest';
import { completeAt } from '../../../extension/scenario/language/complete';

const SCENARIO = [
  'P = exec hello/hello',
  'A = mmap P 64K rw- private anon',
  'Q = fork P',
  'B = mmap Q 16K rw- shared anon',
  'F = mmap P 4K r-- private file data/notes.txt',
  '',
];

/** Completes at the end of `typed` on a line after SCENARIO; returns the labels. */
function labels(typed: string, lines = SCENARIO): string[] {
  return completeAt([...lines, typed], lines.length, typed.length).entries.map((e) => e.label);
}

describe('scenario completion', () => {
  it('offers statements as snippets on an empty line, and the assignment forms', () => {
    const result = completeAt([''], 0, 0);
    const byLabel = new Map(result.entries.map((e) => [e.label, e]));
    for (const k of ['exec', 'fork', 'mmap anon', 'mmap file', 'set', 'read', 'write', 'munmap', 'mprotect', 'madvise', 'msync', 'brk', 'reclaim', 'expect', 'show', 'exit']) expect(byLabel.has(k), k).toBe(true);
    expect(byLabel.get('mmap anon')).toMatchObject({ snippet: true, insertText: expect.stringContaining('= mmap ${2:P}') });
    expect(labels('wr')).toContain('write');
    expect(completeAt(['wr'], 0, 2).wordStart).toBe(0);
  });

  it('offers the processes defined above the cursor, latest first', () => {
    expect(labels('read ')).toEqual(['Q', 'P']);
    expect(labels('exit ')).toEqual(['Q', 'P']);
    expect(labels('R = fork ')).toEqual(['Q', 'P']);
    expect(labels('read ', SCENARIO.slice(0, 1))).toEqual(['P']);
    expect(labels('read ', [])).toEqual([]);
  });

  it('offers the regions of that process (inherited through fork), heap and stack', () => {
    expect(labels('write P ')).toEqual(['F', 'A', 'heap', 'stack']);
    expect(labels('write Q ')).toEqual(['B', 'A', 'heap', 'stack']);
    expect(labels('munmap Q B')).toEqual(['B', 'A', 'heap', 'stack']);
    expect(completeAt([...SCENARIO, 'munmap Q B'], SCENARIO.length, 10).wordStart).toBe(9);
    expect(labels('show smaps P ')).toContain('A');
    expect(labels('expect Q ')).toEqual(['B', 'A', 'heap', 'stack', 'killed', 'failed']);
    expect(labels('expect ').slice(-1)).toEqual(['failed']);
    expect(labels('expect failed ')).toContain('ENOMEM');
    expect(labels('expect A failed ')).toContain('EEXIST');
    expect(labels('set oom_score_adj ')).toContain('P');
  });

  it('offers the words each statement takes next', () => {
    expect(labels('X = ')).toEqual(['exec', 'fork', 'mmap', 'thread']);
    expect(labels('X=')).toEqual(['exec', 'fork', 'mmap', 'thread']);
    expect(labels('X = mmap ')).toEqual(['Q', 'P']);
    expect(labels('X = mmap P 64K ')).toContain('rw-');
    expect(labels('X = mmap P 64K rw- ')).toEqual(['private', 'shared']);
    expect(labels('X = mmap P 64K rw- private ')).toEqual(['anon', 'file']);
    expect(labels('X = mmap P 64K rw- private file data/notes.txt ')).toEqual(['offset']);
    expect(labels('madvise P A ')).toEqual(['dontneed', 'pageout', 'cold', 'willneed', 'free', 'hugepage', 'nohugepage', 'dontfork', 'dofork', 'random', 'sequential', 'normal']);
    expect(labels('set thp ')).toEqual(['always', 'madvise', 'never']);
    expect(labels('mprotect P A 0 4K ')).toContain('r--');
    expect(labels('show ')).toEqual(['maps', 'smaps', 'rollup', 'status', 'pagetable', 'meminfo']);
    expect(labels('show maps ')).toEqual(['Q', 'P']);
    expect(labels('set ')).toEqual(expect.arrayContaining(['aslr', 'seed', 'ram', 'swap']));
    expect(labels('set exec ')).toEqual(['start', 'entry']);
    expect(labels('dlopen ')).toEqual(['Q', 'P']);
    expect(completeAt(['dlopen P libm'], 0, 13)).toMatchObject({ path: 'libm', wordStart: 9 });
    expect(labels('set aslr ')).toEqual(['off', 'on', 'full']);
    expect(labels('expect P killed ')).toEqual(['SIGSEGV', 'SIGBUS', 'SIGKILL']);
  });

  it('offers smaps and status fields after expect P R, without those already given', () => {
    const entries = completeAt([...SCENARIO, 'expect P A Rss=16K '], SCENARIO.length, 'expect P A Rss=16K '.length).entries;
    const names = entries.map((e) => e.label);
    expect(names).toContain('Pss');
    expect(names).toContain('Private_Dirty');
    expect(names).toContain('VmRSS');
    expect(names).not.toContain('Rss');
    expect(entries.find((e) => e.label === 'Pss')).toMatchObject({ insertText: 'Pss=${1:0}', snippet: true });
    expect(labels('expect P A Rss=')).toEqual([]);
  });

  it('asks for a file path after exec and mmap … file', () => {
    expect(completeAt(['P = exec hel'], 0, 12)).toMatchObject({ path: 'hel', wordStart: 9 });
    expect(completeAt(['P = exec '], 0, 9)).toMatchObject({ path: '' });
    const line = 'F = mmap P 4K r-- private file data/no';
    expect(completeAt([...SCENARIO, line], SCENARIO.length, line.length)).toMatchObject({ path: 'data/no' });
  });

  it('offers nothing inside a comment or after a complete statement', () => {
    expect(labels('read P A # ')).toEqual([]);
    expect(labels('# read ')).toEqual([]);
    expect(labels('exit P ')).toEqual([]);
  });
});

describe('scenario completion on a long scenario', () => {
  it('completes at the end of a 10,000-line scenario (its speed is printed; the target lives in npm run bench)', () => {
    const lines = ['P = exec hello/hello'];
    for (let i = 0; i < 10_000; i++) lines.push(i % 100 === 0 ? `R${i} = mmap P 4K rw- private anon` : `write P R${i - (i % 100)} 0 1`);
    lines.push('read P ');
    // The best of three calls: one keystroke's completion once the code is warm, not the first call's compile.
    let ms = Infinity;
    let result = completeAt(lines, lines.length - 1, 7);
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      result = completeAt(lines, lines.length - 1, 7);
      ms = Math.min(ms, performance.now() - start);
    }
    expect(result.entries.filter((e) => e.kind === 'region')).toHaveLength(100);
    console.log(`completion at line ${lines.length}: ${ms.toFixed(1)} ms`);
  });
});
