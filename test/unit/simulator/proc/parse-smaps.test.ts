// parse-smaps against real captures from this machine's kernel (test/fixtures/smaps, made by
// capture.c and capture-maps.c), plus bad and hostile input.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entryName, looksLikeSmaps, parseSmaps } from '../../../../simulator/proc/parse-smaps';
import { REPO_ROOT } from '../../../support/exec-layout';

const fixture = (name: string) => readFileSync(resolve(REPO_ROOT, 'test/fixtures/smaps', name), 'utf8');

describe('parseSmaps', () => {
  it('reads a real smaps: every VMA, every field, VmFlags, THPeligible and ProtectionKey', () => {
    const text = fixture('real-smaps.txt');
    const parsed = parseSmaps(text);
    expect(parsed.kind).toBe('smaps');
    expect(parsed.errors).toEqual([]);
    expect(parsed.entries).toHaveLength(fixture('real-maps.txt').trimEnd().split('\n').length);
    const heap = parsed.entries.find((e) => e.pathname === '[heap]')!;
    expect(heap.perms).toBe('rw-p');
    expect(heap.fields.map((f) => f.name)).toContain('Pss_Dirty');
    const size = heap.fields.find((f) => f.name === 'Size')!;
    expect(size.value * 1024).toBe(Number(heap.end - heap.start));
    expect(heap.fields.find((f) => f.name === 'THPeligible')).toMatchObject({ unit: '' });
    expect(heap.fields.find((f) => f.name === 'ProtectionKey')).toMatchObject({ unit: '', value: 0 });
    expect(heap.vmFlags?.flags).toEqual(expect.arrayContaining(['rd', 'wr', 'mr']));
    const vsyscall = parsed.entries[parsed.entries.length - 1]!;
    expect(vsyscall).toMatchObject({ pathname: '[vsyscall]', start: 0xffffffffff600000n, perms: '--xp' });
    // The 64 kB mapping with 16 kB written: 4 dirty anonymous pages (maybe merged with a neighbour).
    const anon = parsed.entries.filter((e) => e.pathname === '' && e.fields.find((f) => f.name === 'Anonymous')!.value >= 16);
    expect(anon.length).toBeGreaterThan(0);
  });

  it('reads a maps file as maps: the same VMAs, no fields', () => {
    const parsed = parseSmaps(fixture('real-maps.txt'));
    expect(parsed.kind).toBe('maps');
    expect(parsed.errors).toEqual([]);
    expect(parsed.entries.map(entryName)).toEqual(parseSmaps(fixture('real-smaps.txt')).entries.map(entryName));
    expect(parsed.entries.every((e) => e.fields.length === 0)).toBe(true);
  });

  it('keeps the lines as written, with their line numbers', () => {
    const text = fixture('real-smaps.txt');
    const lines = text.split('\n');
    for (const e of parseSmaps(text).entries) {
      expect(lines[e.line - 1]).toBe(e.raw);
      for (const f of e.fields) expect(lines[f.line - 1]).toBe(f.raw);
    }
  });

  it('reports bad lines in one line each, with the line number, and goes on', () => {
    const text = ['00400000-00401000 r-xp 00000000 08:01 42 /bin/x', 'Rss:  4 kB', 'garbage here', '00401000-00400000 rw-p 00000000 00:00 0', '00402000-00403000 rwzp 0 00:00 0', 'Pss: 4 kB'].join('\n');
    const parsed = parseSmaps(text);
    expect(parsed.entries).toHaveLength(2);
    expect(parsed.errors.map((e) => e.message)).toEqual([
      "line 3: not a maps line or an smaps field: 'garbage here'",
      'line 4: the VMA ends (0x00400000) before it starts (0x00401000)',
      "line 5: bad maps line '00402000-00403000 rwzp 0 00:00 0': expected START-END PERMS OFFSET DEV INODE [PATHNAME]",
    ]);
    expect(parsed.errors.every((e) => !e.message.includes('\n'))).toBe(true);
  });

  it('accepts CRLF, a BOM, trailing blanks and pathnames with spaces', () => {
    const text = '\uFEFF7f0000000000-7f0000001000 rw-s 00000000 00:01 7   /memfd:my buffer (deleted)  \r\nRss:   4 kB\r\n';
    const parsed = parseSmaps(text);
    expect(parsed.errors).toEqual([]);
    expect(parsed.entries[0]).toMatchObject({ pathname: '/memfd:my buffer (deleted)', perms: 'rw-s' });
  });

  it('is bounded: errors, VMAs and characters are capped', () => {
    const junk = Array.from({ length: 1000 }, (_, i) => `junk ${i}`).join('\n');
    const a = parseSmaps(junk, { maxErrors: 5 });
    expect(a.errors).toHaveLength(5);
    expect(a.errorCount).toBe(1000);
    const many = Array.from({ length: 100 }, (_, i) => `${(0x1000 * (i + 1)).toString(16)}-${(0x1000 * (i + 2)).toString(16)} r--p 0 00:00 0`).join('\n');
    expect(parseSmaps(many, { maxEntries: 10 })).toMatchObject({ truncated: 'only the first 10 VMAs were read' });
    expect(parseSmaps(many, { maxEntries: 10 }).entries).toHaveLength(10);
    expect(parseSmaps(many, { maxChars: 100 }).entries.length).toBeLessThan(5);
    const long = `${'x'.repeat(100_000)}`;
    expect(parseSmaps(long).errors[0]!.message.length).toBeLessThan(120);
  });

  it('recognizes smaps and maps text, and nothing else', () => {
    expect(looksLikeSmaps(fixture('real-smaps.txt'))).toBe(true);
    expect(looksLikeSmaps(`\n\n${fixture('real-maps.txt')}`)).toBe(true);
    expect(looksLikeSmaps('Rss: 4 kB')).toBe(false);
    expect(looksLikeSmaps('hello world')).toBe(false);
    expect(looksLikeSmaps('')).toBe(false);
  });

  it('never throws on random input (brief fuzz)', () => {
    const alphabet = '0123456789abcdefx-: \nrwxps/[]kBRsPVmFlag\t\r#';
    const seeds = [fixture('real-smaps.txt').slice(0, 4000)];
    let state = 12345;
    const rand = (n: number) => {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      return state % n;
    };
    for (let i = 0; i < 2000; i++) {
      let text: string;
      if (i % 2) {
        text = Array.from({ length: rand(400) }, () => alphabet[rand(alphabet.length)]).join('');
      } else {
        const chars = [...(seeds[0] ?? '')];
        for (let k = 0; k < 20; k++) chars[rand(chars.length)] = alphabet[rand(alphabet.length)] ?? '';
        text = chars.join('');
      }
      const parsed = parseSmaps(text, { maxErrors: 3 });
      expect(parsed.errors.length).toBeLessThanOrEqual(3);
      for (const e of parsed.entries) expect(e.start).toBeGreaterThanOrEqual(0n);
    }
  });
});

describe('parseSmaps on a large process', () => {
  it('reads 20,000 VMAs of smaps (half a million lines) in linear time', () => {
    const entry = fixture('real-smaps.txt').split(/(?=^[0-9a-f]+-[0-9a-f]+ )/m)[6]!.replace(/^\S+/, '');
    const text = Array.from({ length: 20_000 }, (_, i) => `${(0x10000000 + i * 0x2000).toString(16)}-${(0x10001000 + i * 0x2000).toString(16)}${entry}`).join('');
    // Linear: a quadratic parse takes minutes, past the test's timeout.
    const parsed = parseSmaps(text);
    expect(parsed.entries).toHaveLength(20_000);
    expect(parsed.errors).toEqual([]);
  });
});
