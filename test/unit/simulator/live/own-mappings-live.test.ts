// The observer effect on the real kernel. Two processes of test/fixtures/live/own-mapping.c map
// the same file: the one read (all 64 pages), and a stand-in for the reading process itself
// (its "self" files are the stand-in's), which maps the second half of the pages between the first
// one's smaps and its kpagecount. Needs x86-64 Linux, gcc and root (pagemap PFNs, kpagecount).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NodeProcReader } from '../../../../simulator/cli/node-proc-reader';
import { readLiveProcess } from '../../../../simulator/live/index';
import { REPO_ROOT } from '../../../support/exec-layout';

const runnable = process.platform === 'linux' && process.arch === 'x64' && process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v gcc']).status === 0;
const PAGES = 64;
const work = mkdtempSync(join(tmpdir(), 'asx-own-mappings-'));
const program = join(work, 'own-mapping');
const data = join(work, 'data.bin');
const children: ChildProcess[] = [];
let started = 0;

beforeAll(() => {
  if (!runnable) return;
  const cc = spawnSync('gcc', ['-O1', '-o', program, join(REPO_ROOT, 'test/fixtures/live/own-mapping.c')], { encoding: 'utf8' });
  if (cc.status !== 0) throw new Error(`gcc own-mapping.c: ${cc.stderr}`);
  writeFileSync(data, Buffer.alloc(PAGES * 4096, 7));
});

/** Each test's processes go before the next maps the file: they would share its pages. */
const stopAll = () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
};

afterEach(stopAll);

afterAll(() => {
  stopAll();
  rmSync(work, { recursive: true, force: true });
});

/** Waits synchronously (the reader's hooks are synchronous) until `file` holds `text`. */
function waitForText(file: string, text: string): void {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < 1000; i++) {
    if (readFileSync(file, 'utf8').includes(text)) return;
    Atomics.wait(sleeper, 0, 0, 10);
  }
  throw new Error(`${file} never said ${JSON.stringify(text)}`);
}

/** Starts the program mapping the data file, having read its first `first` pages; its stdout goes to a file. */
function start(first: number): { pid: number; out: string } {
  const out = join(work, `out-${++started}`);
  const child = spawn(program, [data, String(PAGES), String(first)], { stdio: ['ignore', openSync(out, 'w'), 'inherit'] });
  children.push(child);
  waitForText(out, 'ready');
  return { pid: child.pid as number, out };
}

/**
 * /proc as the stand-in's: "self/…" is `standIn`'s files. Once the target's smaps has been read,
 * the stand-in reads the rest of the file's pages (SIGUSR1) before anything else is read.
 */
class StandInReader extends NodeProcReader {
  smapsReads = 0;
  constructor(private readonly target: number, private readonly standIn: { pid: number; out: string }, private readonly redirect: boolean) {
    super();
  }
  private path(path: string): string {
    return this.redirect ? path.replace(/^self\//, `${this.standIn.pid}/`) : path;
  }
  override readText(path: string): string {
    const text = super.readText(this.path(path));
    if (path === `${this.target}/smaps` && ++this.smapsReads === 1) {
      process.kill(this.standIn.pid, 'SIGUSR1');
      waitForText(this.standIn.out, 'touched');
    }
    return text;
  }
  override readAt(path: string, offset: number, into: Uint8Array): number {
    return super.readAt(this.path(path), offset, into);
  }
}

/** The target (every page read) explained while the stand-in (half read) maps the rest; `redirect`: the stand-in's files are our own. */
function explainWithStandIn(redirect: boolean) {
  const target = start(PAGES);
  const standIn = start(PAGES / 2);
  const reader = new StandInReader(target.pid, standIn, redirect);
  const vma = readLiveProcess(reader, target.pid, { explain: true }).vmas.find((v) => v.path === data)!;
  return { target, reader, vma };
}

describe.skipIf(!runnable)('the reading process maps pages of the file while it reads (the real kernel)', () => {
  it('those pages are counted with the mapcount smaps saw: the VMA is explained from the first smaps', () => {
    const { target, vma } = explainWithStandIn(true);
    // The stand-in read the first half, and fault-around mapped it a few neighbours more: the pages
    // it had not mapped when smaps was read were the target's alone (4 kB each), the others 2 kB.
    const alone = vma.explain!.groups.find((g) => g.mapcount === 1)?.pages ?? 0;
    expect(alone).toBeGreaterThan(0);
    expect(alone).toBeLessThanOrEqual(PAGES / 2);
    expect(vma.fields.Pss).toBe(alone * 4 + (PAGES - alone) * 2);
    expect(vma.explain).toMatchObject({ exact: true, pssKb: vma.fields.Pss });
    expect(vma.explain!.groups).toEqual([
      { kind: 'file', mapcount: 1, pages: alone, pssBytes: alone * 4096 },
      { kind: 'file', mapcount: 2, pages: PAGES - alone, pssBytes: (PAGES - alone) * 2048 },
    ]);
    expect(vma.explain!.notes).toEqual([`${alone === 1 ? '1 page was' : `${alone} pages were`} mapped or unmapped by the reading process itself after smaps was read (it maps the same file): counted with the mapcount smaps saw, not /proc/kpagecount's`]);
    // Since then the stand-in maps every page: smaps says so now.
    expect(readFileSync(`/proc/${target.pid}/smaps`, 'utf8').split(data)[1]).toMatch(/\nPss: +128 kB\n/);
  });

  it('without its own pagemap to compare, the VMA is read again: smaps then says what kpagecount says', () => {
    const { reader, vma } = explainWithStandIn(false);
    expect(reader.smapsReads).toBeGreaterThanOrEqual(2);
    expect(vma.fields.Pss).toBe(PAGES * 2);
    expect(vma.explain).toMatchObject({ exact: true, pssKb: PAGES * 2, notes: [] });
  });
});
