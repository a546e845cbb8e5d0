// A property test: random memories, page tables and access sequences (writes into page-table
// pages included) run as toy6 scenarios, checked against an independent reference model.
import { describe, expect, it } from 'vitest';
import { runToy6 } from '../../../../simulator/toy6/run';

/** mulberry32: a small seeded generator, so a failing case can be replayed. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T };
}

type Outcome = { pa: number } | { fault: 'P' | 'U' | 'W' };

/** The reference: the notes' lookup written from the bits as characters, not with the simulator's masks. */
function reference(mem: number[], cr3: number, va: number, write: boolean, user: boolean): Outcome {
  const vaBits = va.toString(2).padStart(6, '0');
  const pte = mem[cr3 + parseInt(vaBits.slice(0, 3), 2)] as number;
  const bits = pte.toString(2).padStart(6, '0');
  const [u, w, p] = [bits[3] === '1', bits[4] === '1', bits[5] === '1'];
  if (!p) return { fault: 'P' };
  if (user && !u) return { fault: 'U' };
  if (write && !w) return { fault: 'W' };
  return { pa: parseInt(bits.slice(0, 3) + vaBits.slice(3), 2) };
}

/** Numbers the way a scenario may write them. */
function written(n: number, r: ReturnType<typeof generator>): string {
  return r.pick([String(n), `0x${n.toString(16)}`, `0b${n.toString(2)}`]);
}

interface Case {
  text: string;
  /** Lines where a read or write faulted, in the reference. */
  faultLines: number[];
  /** The reference memory after each line (1-based line -> memory). */
  memories: Map<number, number[]>;
  expectLines: number[];
  /** Writes (by `write`, not `poke`) that stored into a page-table page. */
  tableWrites: number;
}

function randomCase(seed: number): Case {
  const r = generator(seed);
  const mem = Array.from({ length: 64 }, () => 0);
  const lines = ['set machine toy6'];
  const faultLines: number[] = [];
  const expectLines: number[] = [];
  const memories = new Map<number, number[]>();
  let tableWrites = 0;
  const processes: { name: string; cr3: number }[] = [];
  const tableFrames = [r.int(8), r.int(8), r.int(8)];
  // PTEs biased to be present and to point at page-table frames, so writes through them rewrite tables.
  const pte = () => ((r.next() < 0.4 ? r.pick(tableFrames) : r.int(8)) << 3) | (r.next() < 0.8 ? 1 : 0) | (r.int(4) << 1);
  for (let i = 0; i < 24; i++) {
    const pa = r.next() < 0.7 ? (r.pick(tableFrames) << 3) + r.int(8) : r.int(64);
    const value = r.next() < 0.6 ? pte() : r.int(64);
    mem[pa] = value;
    lines.push(`poke ${written(pa, r)} ${written(value, r)}`);
  }
  for (const [i, frame] of tableFrames.entries()) {
    processes.push({ name: `P${i}`, cr3: frame * 8 });
    lines.push(`P${i} = process cr3 ${written(frame * 8, r)}`);
  }
  for (let i = 0; i < 80; i++) {
    const p = r.pick(processes);
    const va = r.int(64);
    const write = r.next() < 0.5;
    const user = r.next() < 0.6;
    const priv = user ? r.pick(['', ' user']) : ' kernel';
    const out = reference(mem, p.cr3, va, write, user);
    const roll = r.next();
    if (roll < 0.45) {
      const value = r.next() < 0.5 ? pte() : r.int(64);
      lines.push(write ? `write ${p.name} ${written(va, r)} ${written(value, r)}${priv}` : `read ${p.name} ${written(va, r)}${priv}`);
      if ('fault' in out) faultLines.push(lines.length);
      else if (write) {
        mem[out.pa] = value;
        if (tableFrames.includes(out.pa >> 3)) tableWrites++;
      }
    } else if (roll < 0.9) {
      const kind = write ? 'write' : 'read';
      if ('fault' in out) lines.push(`expect ${p.name} ${written(va, r)} ${kind}${priv} fault ${out.fault}`);
      else if (!write && r.next() < 0.5) lines.push(`expect ${p.name} ${written(va, r)} read${priv} value ${written(mem[out.pa] as number, r)}`);
      else lines.push(`expect ${p.name} ${written(va, r)} ${kind}${priv} pa ${written(out.pa, r)}`);
      expectLines.push(lines.length);
    } else {
      const pa = (r.pick(tableFrames) << 3) + r.int(8);
      const value = pte();
      mem[pa] = value;
      lines.push(`poke ${pa} ${value}`);
    }
    memories.set(lines.length, [...mem]);
  }
  return { text: `${lines.join('\n')}\n`, faultLines, memories, expectLines, tableWrites };
}

/** The same expect with a wrong answer: another PA, value or fault bit. */
function falsify(line: string): string {
  const m = /^(.*) (pa|value|fault) (\S+)$/.exec(line);
  if (!m) throw new Error(line);
  const [, head, what, answer] = m as unknown as [string, string, string, string];
  if (what === 'fault') return `${head} fault ${answer === 'P' ? 'U' : 'P'}`;
  return `${head} ${what} ${(Number(answer) + 1) % 64}`;
}

describe('toy6 against a reference model', () => {
  it('the random cases do write into page-table pages through a mapping', () => {
    let writes = 0;
    for (let seed = 1; seed <= 200; seed++) writes += randomCase(seed).tableWrites;
    expect(writes).toBeGreaterThan(200);
  });

  for (let seed = 1; seed <= 200; seed++) {
    it(`random scenario ${seed}`, () => {
      const c = randomCase(seed);
      const outcome = runToy6(c.text);
      if (!outcome.ok) throw new Error(`${outcome.diagnostics[0]?.message}\n${c.text}`);
      const run = outcome.run;
      expect(run.failures).toEqual([]);
      expect(run.steps.filter((s) => s.notes.length).map((s) => s.line)).toEqual(c.faultLines);
      for (const [line, memory] of c.memories) if (line % 7 === 0) expect([...run.machineAfter(run.indexAtLine(line)).memory]).toEqual(memory);
      // One expect made wrong: exactly that line fails.
      const lines = c.text.split('\n');
      const wrong = c.expectLines[seed % c.expectLines.length] as number;
      lines[wrong - 1] = falsify(lines[wrong - 1] as string);
      const bad = runToy6(lines.join('\n'));
      if (!bad.ok) throw new Error(String(bad.diagnostics[0]?.message));
      expect(bad.run.failures.length).toBe(1);
      expect(bad.run.failures[0]).toMatch(new RegExp(`^line ${wrong}:1: `));
    });
  }
});
