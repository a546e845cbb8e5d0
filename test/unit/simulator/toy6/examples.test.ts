// The toy6 examples, one per lesson: asx run exits 0 on each, each has expects, and each
// expect made wrong makes asx run exit 1 naming its line.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../../simulator/cli/main';
import { runScenario } from '../../../../simulator/scenario/run';
import { REPO_ROOT } from '../../../support/exec-layout';

const folder = resolve(REPO_ROOT, 'examples');
const examples = readdirSync(folder).filter((f) => f.startsWith('toy6-') && f.endsWith('.aspace'));
const scratch = mkdtempSync(join(tmpdir(), 'asx-toy6-examples-'));

async function asx(...argv: string[]) {
  let out = '';
  let err = '';
  const status = await main(argv, { write: (t) => (out += t) }, { write: (t) => (err += t) });
  return { status, out, err };
}

describe('toy6 examples', () => {
  it('one per lesson', () => {
    expect(examples.sort()).toEqual(['toy6-aliasing.aspace', 'toy6-isolation.aspace', 'toy6-kernel-page.aspace', 'toy6-read-only.aspace', 'toy6-writable-page-table.aspace']);
  });

  for (const name of examples) {
    it(`asx run ${name} exits 0, and 1 when an expect is made wrong`, async () => {
      const path = join(folder, name);
      const { status, out } = await asx('run', path);
      expect(status).toBe(0);
      expect(out).toMatch(/^# \d+: show /);
      const lines = readFileSync(path, 'utf8').split('\n');
      const expects = lines.flatMap((l, i) => (l.startsWith('expect ') ? [i] : []));
      expect(expects.length).toBeGreaterThanOrEqual(4);
      const i = expects[Math.floor(expects.length / 2)] as number;
      lines[i] = (lines[i] as string).replace(/ (pa|value) (\d+)/, (_, what: string, n: string) => ` ${what} ${(Number(n) + 1) % 64}`).replace(/ fault ([PUW])/, (_, b: string) => ` fault ${b === 'P' ? 'W' : 'P'}`);
      const wrong = join(scratch, name);
      writeFileSync(wrong, lines.join('\n'));
      const bad = await asx('run', wrong);
      expect(bad.status).toBe(1);
      expect(bad.err).toContain(`${wrong}:${i + 1}:1: expect failed: `);
    });

    it(`${name}: the editor's run (runScenario) carries the toy6 run, with no failures`, async () => {
      const outcome = await runScenario(readFileSync(join(folder, name), 'utf8'), name, { fs: { read: () => Promise.reject(new Error('no files')) } as never, resolve: (p) => p });
      if (!outcome.ok) throw new Error(outcome.diagnostics[0]?.message);
      expect(outcome.run.statements).toEqual([]);
      expect(outcome.run.toy6?.statements.length).toBeGreaterThan(5);
      expect(outcome.run.failures).toEqual([]);
    });
  }
});
