// Damaged /proc text and hostile page data: the live reader never crashes, never hangs, and
// says what is wrong in one line naming the pid and the file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainLines, listProcesses, ProcFileError, readLiveProcess, recordedReader, parseStatus, type RecordedProcess } from '../../../../simulator/live/index';
import { parseKbFields } from '../../../../simulator/live/status';
import { REPO_ROOT } from '../../../support/exec-layout';

const rec = JSON.parse(readFileSync(join(REPO_ROOT, 'test/fixtures/live/workload-parent.json'), 'utf8')) as RecordedProcess;
const pid = rec.pid;

/** xorshift32: the same damage on every run. */
function random(seed: number) {
  let x = seed || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const JUNK = ['', ' ', '\0', '\n', ':', '-', 'kB', '99999999999999999999', '-1', 'ffffffffffffffff', '0x', 'Rss:', 'VmFlags: zz', '\u{1F600}', 'NaN', '1e309'];

function damage(text: string, rnd: () => number): string {
  const lines = text.split('\n');
  const edits = 1 + Math.floor(rnd() * 6);
  for (let e = 0; e < edits; e++) {
    const i = Math.floor(rnd() * lines.length);
    const line = lines[i] ?? '';
    const at = Math.floor(rnd() * (line.length + 1));
    switch (Math.floor(rnd() * 6)) {
      case 0: lines.splice(i, 1); break;
      case 1: lines.splice(i, 0, line); break;
      case 2: lines[i] = line.slice(0, at); break;
      case 3: lines[i] = line.slice(0, at) + JUNK[Math.floor(rnd() * JUNK.length)]! + line.slice(at); break;
      case 4: lines[i] = line.replace(/\d+/, String(Math.floor(rnd() * 2 ** 40))); break;
      default: return text.slice(0, Math.floor(rnd() * text.length));
    }
  }
  return lines.join('\n');
}

describe('fuzz: damaged /proc files', () => {
  it('readLiveProcess and explainLines survive 120 damaged recordings', () => {
    const rnd = random(0x5eed);
    const files = [`${pid}/smaps`, `${pid}/smaps_rollup`, `${pid}/status`, `${pid}/comm`, `${pid}/cmdline`];
    for (let round = 0; round < 120; round++) {
      const reader = recordedReader(rec);
      const file = files[Math.floor(rnd() * files.length)]!;
      reader.set(file, damage(rec.files[file] as string, rnd));
      try {
        const p = readLiveProcess(reader, pid, { explain: true, pages: rnd() < 0.3 });
        for (const w of p.warnings) expect(w, file).not.toMatch(/\n/);
        for (const w of p.warnings) expect(w).toMatch(new RegExp(`^pid ${pid} \\(/proc/${pid}/|^/proc/k`));
        for (const v of p.vmas) expect(explainLines(v).split('\n').every((l) => l === '' || l.startsWith('# '))).toBe(true);
      } catch (error) {
        expect(error, `${file}: ${String(error)}`).toBeInstanceOf(ProcFileError);
      }
    }
  });

  it('hostile pagemap and kpage entries: any bits, any PFN', () => {
    const rnd = random(42);
    for (let round = 0; round < 40; round++) {
      const reader = recordedReader(rec);
      const pagemap = rec.files[`${pid}/pagemap`] as { length: number; u64: [number, string][] };
      const entries = new Map(pagemap.u64.map(([i]) => [i, BigInt(Math.floor(rnd() * 2 ** 32)) << 32n | BigInt(Math.floor(rnd() * 2 ** 32))]));
      reader.set(`${pid}/pagemap`, { kind: 'u64', length: pagemap.length, entries });
      reader.set('kpagecount', { kind: 'u64', length: 2 ** 40, entries: new Map([...entries.values()].map((v) => [Number(v & ((1n << 55n) - 1n)), BigInt(Math.floor(rnd() * 2 ** 53))])) });
      const p = readLiveProcess(reader, pid, { explain: true, pages: round % 2 === 0 });
      for (const v of p.vmas) {
        expect(Number.isFinite(v.explain!.pssKb)).toBe(true);
        expect(v.explain!.groups.every((g) => g.pages > 0 && Number.isFinite(g.pssBytes))).toBe(true);
      }
    }
  });

  it('parseStatus and parseKbFields take any text', () => {
    const rnd = random(7);
    for (let round = 0; round < 500; round++) {
      const text = damage(rec.files[`${pid}/status`] as string, rnd);
      const s = parseStatus(text);
      expect(Number.isSafeInteger(s.uid) && Number.isSafeInteger(s.ppid)).toBe(true);
      for (const v of Object.values(parseKbFields(damage(rec.files[`${pid}/smaps_rollup`] as string, rnd)))) expect(Number.isSafeInteger(v)).toBe(true);
    }
  });

  it('a VMA as large as the address space, with Rss: bounded, and says so', () => {
    const reader = recordedReader(rec);
    reader.set(`${pid}/smaps`, `${(rec.files[`${pid}/smaps`] as string).replace(/^[0-9a-f]+-([0-9a-f]+ rw-p 00000000 00:00 0 +\[heap\])/m, '1000-$1')}`);
    // Bounded by the page budget (the warning below says where the scan stopped), not by a clock: timing belongs in the bench.
    const p = readLiveProcess(reader, pid, { explain: true });
    expect(p.vmas.length).toBeGreaterThan(5);
    expect(p.warnings).toEqual([expect.stringMatching(new RegExp(`^pid ${pid} \\(/proc/${pid}/pagemap\\): only the first 16777216 of \\d+ pages of 0x1000 were read`))]);
    const heap = p.vmas.find((v) => v.path === '[heap]')!;
    expect(heap.explain!.exact).toBe(false);
    expect(heap.explain!.notes.join('\n')).toMatch(/budget/);
  });

  it('process lists with damaged rollups', () => {
    const rnd = random(99);
    for (let round = 0; round < 100; round++) {
      const reader = recordedReader(rec);
      reader.set(`${pid}/smaps_rollup`, damage(rec.files[`${pid}/smaps_rollup`] as string, rnd));
      const { rows, errors } = listProcesses(reader);
      expect(rows.length + errors.length).toBeLessThanOrEqual(1);
      for (const r of rows) expect(Number.isSafeInteger(r.pssKb)).toBe(true);
    }
  });
});
