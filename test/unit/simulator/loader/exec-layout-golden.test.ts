// Golden tests: the maps the real kernel (6.18, ASLR off) printed for our fixture
// binaries at their first instruction, compared line by line with the simulator.
// A system program (/usr/bin/true) runs from the bundle of the capture host's files
// (test/fixtures/entry-sysroot), so it too runs on any machine.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, SYSROOT, simulateMaps } from '../../../support/exec-layout';
import { relocateCapture } from '../../../support/relocate-capture';
import { BundledFileSystem, bundleManifest } from '../../../support/bundled-sysroot';
import { GoldenLedger } from '../../../support/golden-skips';

interface GoldenCase { name: string; prog: string; args: string[]; env: string[]; kind: string }
const golden = JSON.parse(readFileSync(resolve(REPO_ROOT, 'test/golden/maps/cases.json'), 'utf8')) as { repoRoot: string; stackRlimit: number; cases: GoldenCase[] };

const asRepoPath = (p: string) => (p.startsWith('test/') ? resolve(REPO_ROOT, p) : p);

const manifest = bundleManifest();
/** A system program of the capture host (not the sysroot's ld.so): its files come from the bundle. */
const isSystemProgram = (c: GoldenCase) => c.prog.startsWith('/') && !c.prog.startsWith('/lib64/');

/** Moves a capture to this checkout and this sysroot: repo paths and file identities change, nothing else; bundled files keep the capture host's. */
const relocate = (text: string, bundled: boolean) =>
  relocateCapture(
    text,
    (path) => path.replace(golden.repoRoot, REPO_ROOT),
    (path) => (path.startsWith(REPO_ROOT) ? path : bundled ? undefined : resolve(SYSROOT, '.' + path)),
  );

describe('exec layout matches the kernel (golden captures, ASLR off)', () => {
  const ledger = new GoldenLedger('exec-layout goldens (test/golden/maps)');
  for (const c of golden.cases) {
    const bundled = isSystemProgram(c);
    const reason = bundled && !manifest?.files[c.prog] ? `${c.prog} is not in the bundled capture-host files (test/fixtures/entry-sysroot)` : undefined;
    it.skipIf(!ledger.runs(c.name, reason))(`${c.name}: ${c.kind}`, async () => {
      const expected = relocate(readFileSync(resolve(REPO_ROOT, `test/golden/maps/${c.name}.maps`), 'utf8'), bundled);
      const prog = bundled ? c.prog : c.prog.startsWith('/') ? resolve(SYSROOT, '.' + c.prog) : asRepoPath(c.prog);
      const fileSystem = bundled && manifest ? new BundledFileSystem(manifest, [REPO_ROOT]) : undefined;
      const actual = await simulateMaps(prog, c.args.map(asRepoPath), { envp: c.env, sysroot: SYSROOT, fileSystem, stackRlimit: BigInt(golden.stackRlimit) });
      expect(actual).toBe(expected);
    });
  }
});
