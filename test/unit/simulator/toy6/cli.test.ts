// asx run on toy6 scenarios: the show outputs under their headers, fault notes on stderr, exit 0/1/2.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../../simulator/cli/main';

async function asx(...argv: string[]) {
  let out = '';
  let err = '';
  const status = await main(argv, { write: (t) => (out += t) }, { write: (t) => (err += t) });
  return { status, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'asx-toy6-'));
const scenario = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const SETUP = ['set machine toy6', 'poke 8 0b011101   # page 0 -> frame 3, U W=0 P', 'A = process cr3 8', 'poke 29 7'].join('\n');

describe('asx run, toy6', () => {
  it('exits 0 when every expect holds, and prints each show under # LINE: STATEMENT', async () => {
    const path = scenario('ok.aspace', `${SETUP}\nexpect A 5 read pa 29\nexpect A 5 read value 7\nexpect A 5 write fault W\nexpect A 5 write kernel fault W\nshow pagetable A\nshow pagetable A 5\nshow physmem\n`);
    const { status, out, err } = await asx('run', path);
    expect(err).toBe('');
    expect(status).toBe(0);
    const headers = out.split('\n').filter((l) => l.startsWith('# '));
    expect(headers).toEqual(['# 9: show pagetable A', '# 10: show pagetable A 5', '# 11: show physmem']);
    expect(out).toContain('   0  0-7          8  29 = 0b011 101       3  1 0 1  PA 24-31 (read-only)\n');
    expect(out).toContain('write user    fault W\n');
    expect(out).toContain('    1  8-15    29   0   0   0   0   0   0   0  * page table of A\n');
    expect(out).toContain('    3  24-31    0   0   0   0   0   7   0   0    mapped by A page 0\n');
    // 8 cells per line: a header line and 8 frames.
    expect(out.split('# 11: show physmem\n')[1]?.trimEnd().split('\n')).toHaveLength(9);
  });

  it('exits 1 when an expect fails, naming the file and line', async () => {
    const path = scenario('fail.aspace', `${SETUP}\nexpect A 5 read pa 30\n`);
    const { status, err } = await asx('run', path);
    expect(status).toBe(1);
    expect(err).toBe(`${path}:5:1: expect failed: expect A 5 read pa 30: expected pa 30, but the read user gives PA 29 (PTE mem[8 + 0] = mem[8] = 29 = 0b011 101 (frame 3, U=1 W=0 P=1))\n`);
  });

  it('a faulting read or write is a note on stderr, and the scenario goes on', async () => {
    const path = scenario('fault.aspace', `${SETUP}\n  write A 5 1\nread A 40 kernel\nexpect A 5 read value 7\n`);
    const { status, err } = await asx('run', path);
    expect(status).toBe(0);
    expect(err.split('\n')).toEqual([
      `${path}:5:3: note: fault W: user write of VA 5 (page 0, offset 5) by A: PTE mem[8 + 0] = mem[8] = 29 = 0b011 101 (frame 3, U=1 W=0 P=1); W is clear: a read-only page`,
      `${path}:6:1: note: fault P: kernel read of VA 40 (page 5, offset 0) by A: PTE mem[8 + 5] = mem[13] = 0 = 0b000 000 (frame 0, U=0 W=0 P=0); P is clear: the page is not present`,
      '',
    ]);
  });

  it('exits 2 for a scenario that cannot run, each error at file:line:column', async () => {
    const path = scenario('bad.aspace', `${SETUP}\nB = process cr3 12\nQ = exec /bin/true\nmmap A 4K\npoke 64 0\nread A 0 sideways\n`);
    const { status, out, err } = await asx('run', path);
    expect(status).toBe(2);
    expect(out).toBe('');
    const lines = err.trimEnd().split('\n');
    expect(lines.map((l) => l.slice(path.length + 1).split(': ')[0])).toEqual(['5:17', '6:5', '7:1', '8:6', '9:10']);
    expect(lines[0]).toContain('not a multiple of 8');
    expect(lines[1]).toContain(`'exec' is a Linux statement`);
    expect(lines[2]).toContain(`'mmap' is a Linux statement`);
    expect(lines[3]).toContain('out of range');
  });

  it('set machine toy6 after another statement is an error of the Linux scenario', async () => {
    const path = scenario('late.aspace', `set aslr off\nset machine toy6\n`);
    const { status, err } = await asx('run', path);
    expect(status).toBe(2);
    expect(err).toBe(`${path}:2:5: 'set machine toy6' must come before any other statement: it chooses the machine the whole scenario runs on\n`);
  });

  it('set machine with another machine is an error that names the choice', async () => {
    const path = scenario('other.aspace', `set machine arm64\n`);
    const { status, err } = await asx('run', path);
    expect(status).toBe(2);
    expect(err).toBe(`${path}:1:13: unknown machine 'arm64': scenarios run on Linux (x86-64) unless the first statement is 'set machine toy6'\n`);
  });

  it('--json gives the shows, failures and fault notes', async () => {
    const path = scenario('json.aspace', `${SETUP}\nwrite A 5 1\nshow physmem\n`);
    const { status, out } = await asx('run', path, '--json');
    expect(status).toBe(0);
    const doc = JSON.parse(out) as { machine: string; shows: { line: number }[]; notes: { line: number; column: number }[] };
    expect(doc.machine).toBe('toy6');
    expect(doc.shows.map((s) => s.line)).toEqual([6]);
    expect(doc.notes.map((n) => [n.line, n.column])).toEqual([[5, 1]]);
  });
});
