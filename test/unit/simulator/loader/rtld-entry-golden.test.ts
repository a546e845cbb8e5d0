// Golden tests: /proc/PID/maps of real programs stopped by gdb at their entry
// point (AT_ENTRY, ASLR off) on the capture machine, compared byte for byte
// with the simulated ld.so. The system files the captures mapped (libc, ld.so,
// libstdc++, /etc/ld.so.cache, the system programs...) come from the bundle of
// the capture host's files (test/fixtures/entry-sysroot), so the cases run on
// any machine; the fixtures built in the checkout are this checkout's. A case
// is skipped only when a file differs from the one captured, and the suite
// ends with a line saying how many ran and why any did not. test/golden/entry-intel holds the
// same cases captured on an Intel CPU with AVX-512, whose ld.so searches more legacy hwcaps
// subdirectories ("haswell", "avx512_1") and expands $PLATFORM to "haswell": its allocations and
// search paths differ, and so do its maps.
import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../../../simulator/cli/main';
import type { IsaLevel, LegacyHwcaps } from '../../../../simulator/loader/rtld';
import { REPO_ROOT } from '../../../support/exec-layout';
import { simulateEntryMaps } from '../../../support/entry-layout';
import { relocateCapture } from '../../../support/relocate-capture';
import { BundledFileSystem, bundleManifest, capturedFileHash } from '../../../support/bundled-sysroot';
import { GoldenLedger } from '../../../support/golden-skips';

interface EntryCase { name: string; prog: string; env: string[]; cache: string; result: 'maps' | 'err'; kind: string; files: Record<string, string> }
interface Captures { repoRoot: string; stackRlimit: number; isaLevel: IsaLevel; legacyHwcaps?: LegacyHwcaps; cases: EntryCase[] }
const captures = (dir: string) => JSON.parse(readFileSync(resolve(REPO_ROOT, `test/golden/${dir}/cases.json`), 'utf8')) as Captures;
const golden = captures('entry');

const here = (path: string) => path.replace(golden.repoRoot, REPO_ROOT);
const absolute = (prog: string) => (prog.startsWith('/') ? prog : resolve(REPO_ROOT, prog));

const manifest = bundleManifest();
const inCheckout = (path: string) => path.startsWith(`${REPO_ROOT}/`);
const fileSystem = manifest && new BundledFileSystem(manifest, [REPO_ROOT]);

/** Why a case cannot run here (a file differs from the one its capture mapped), or undefined. */
function skipReason(c: EntryCase): string | undefined {
  for (const [captured, hash] of Object.entries(c.files)) {
    const path = here(captured);
    if (capturedFileHash(manifest, path, inCheckout(path)) === hash) continue;
    if (inCheckout(path)) return 'a fixture built in the checkout differs from the captured one (rebuilt with another compiler? run test/fixtures/capture/capture-entry.sh)';
    return manifest ? `${path} is not bundled as captured (run test/fixtures/capture/bundle-sysroot.sh on the capture host)` : 'the bundled capture-host files (test/fixtures/entry-sysroot) are missing';
  }
  return undefined;
}

/** The capture moved to this checkout: repo paths and their device:inode columns change; bundled files keep the capture host's. */
const relocate = (text: string) => relocateCapture(text, here, (path) => (inCheckout(path) ? path : undefined));

function collect(): { out: string; err: string; text: { write(t: string): void }; errors: { write(t: string): void } } {
  const result = { out: '', err: '', text: { write: (t: string) => void (result.out += t) }, errors: { write: (t: string) => void (result.err += t) } };
  return result;
}

for (const [dir, cpu] of [['entry', 'the capture machine (AMD EPYC)'], ['entry-intel', 'an Intel Xeon with AVX-512']] as const) {
  const set = captures(dir);
  describe(`maps at the entry point match ${cpu} (gdb captures, ASLR off)`, () => {
    const ledger = new GoldenLedger(`entry-point goldens (test/golden/${dir}, capture host files from test/fixtures/entry-sysroot)`);
    for (const c of set.cases.filter((x) => x.result === 'maps')) {
      it.skipIf(!ledger.runs(c.name, skipReason(c)))(`${c.name}: ${c.kind}`, async () => {
        const expected = relocate(readFileSync(resolve(REPO_ROOT, `test/golden/${dir}/${c.name}.maps`), 'utf8'));
        const llp = c.env.map(here).find((e) => e.startsWith('LD_LIBRARY_PATH='))?.slice('LD_LIBRARY_PATH='.length);
        const options = { envp: c.env.map(here), stackRlimit: BigInt(set.stackRlimit), ldLibraryPath: llp, cachePath: absolute(c.cache), isaLevel: set.isaLevel, legacyHwcaps: set.legacyHwcaps, fileSystem };
        expect(await simulateEntryMaps(absolute(c.prog), options)).toBe(expected);
      });
    }
  });
}

describe('asx maps --at entry reports what ld.so reports', () => {
  const ledger = new GoldenLedger('ld.so error goldens (test/golden/entry/*.err)');
  for (const c of golden.cases.filter((x) => x.result === 'err')) {
    it.skipIf(!ledger.runs(c.name, skipReason(c)))(`${c.name}: ${c.kind}`, async () => {
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
