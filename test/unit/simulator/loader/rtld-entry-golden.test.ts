// Golden tests: /proc/PID/maps of real programs stopped by gdb at their entry
// point (AT_ENTRY, ASLR off) on the capture machine, compared byte for byte
// with the simulated ld.so. A case is skipped when a file it maps (or
// /etc/ld.so.cache) differs from the one captured.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../../simulator/cli/main';
import type { IsaLevel } from '../../../../simulator/loader/rtld';
import { REPO_ROOT } from '../../../support/exec-layout';
import { simulateEntryMaps } from '../../../support/entry-layout';
import { relocateCapture } from '../../../support/relocate-capture';

interface EntryCase { name: string; prog: string; env: string[]; cache: string; result: 'maps' | 'err'; kind: string; files: Record<string, string> }
const golden = JSON.parse(readFileSync(resolve(REPO_ROOT, 'test/golden/entry/cases.json'), 'utf8')) as { repoRoot: string; stackRlimit: number; isaLevel: IsaLevel; cases: EntryCase[] };

const here = (path: string) => path.replace(golden.repoRoot, REPO_ROOT);
const absolute = (prog: string) => (prog.startsWith('/') ? prog : resolve(REPO_ROOT, prog));

function sha256(path: string): string | undefined {
  return existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : undefined;
}

/** Whether every file of the capture is on this machine, unchanged. */
function sameFiles(c: EntryCase): boolean {
  return Object.entries(c.files).every(([path, hash]) => sha256(here(path)) === hash);
}

/** The capture moved to this checkout: repo paths and device:inode columns change, nothing else. */
const relocate = (text: string) => relocateCapture(text, here, (path) => path);

function collect(): { out: string; err: string; text: { write(t: string): void }; errors: { write(t: string): void } } {
  const result = { out: '', err: '', text: { write: (t: string) => void (result.out += t) }, errors: { write: (t: string) => void (result.err += t) } };
  return result;
}

describe('maps at the entry point match the real machine (gdb captures, ASLR off)', () => {
  for (const c of golden.cases.filter((x) => x.result === 'maps')) {
    it.skipIf(!sameFiles(c))(`${c.name}: ${c.kind}`, async () => {
      const expected = relocate(readFileSync(resolve(REPO_ROOT, `test/golden/entry/${c.name}.maps`), 'utf8'));
      const llp = c.env.map(here).find((e) => e.startsWith('LD_LIBRARY_PATH='))?.slice('LD_LIBRARY_PATH='.length);
      const maps = await simulateEntryMaps(absolute(c.prog), { envp: c.env.map(here), stackRlimit: BigInt(golden.stackRlimit), ldLibraryPath: llp, cachePath: absolute(c.cache), isaLevel: golden.isaLevel });
      expect(maps).toBe(expected);
    });
  }
});

describe('asx maps --at entry reports what ld.so reports', () => {
  for (const c of golden.cases.filter((x) => x.result === 'err')) {
    it.skipIf(!sameFiles(c))(`${c.name}: ${c.kind}`, async () => {
      const ldso = here(readFileSync(resolve(REPO_ROOT, `test/golden/entry/${c.name}.err`), 'utf8').trim());
      const io = collect();
      const status = await main(['maps', absolute(c.prog), '--at', 'entry'], io.text, io.errors);
      expect(status).not.toBe(0);
      expect(io.out).toBe('');
      expect(io.err.split('\n').filter(Boolean)).toHaveLength(1);
      expect(io.err.startsWith(`asx: ${ldso} (searched: `)).toBe(true);
    });
  }
});
