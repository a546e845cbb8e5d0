// Golden tests: the maps the real kernel (6.18, ASLR off) printed for our fixture
// binaries at their first instruction, compared line by line with the simulator.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, SYSROOT, simulateMaps } from '../../../support/exec-layout';
import { relocateCapture } from '../../../support/relocate-capture';

interface GoldenCase { name: string; prog: string; args: string[]; env: string[]; kind: string }
const golden = JSON.parse(readFileSync(resolve(REPO_ROOT, 'test/golden/maps/cases.json'), 'utf8')) as { repoRoot: string; stackRlimit: number; cases: GoldenCase[] };

const asRepoPath = (p: string) => (p.startsWith('test/') ? resolve(REPO_ROOT, p) : p);

/** Moves a capture to this checkout and this sysroot: repo paths and file identities change, nothing else. */
const relocate = (text: string) =>
  relocateCapture(
    text,
    (path) => path.replace(golden.repoRoot, REPO_ROOT),
    (path) => (path.startsWith(REPO_ROOT) ? path : resolve(SYSROOT, '.' + path)),
  );

describe('exec layout matches the kernel (golden captures, ASLR off)', () => {
  for (const c of golden.cases) {
    const portable = !c.prog.startsWith('/') || c.prog.startsWith('/lib64/');
    it.skipIf(!portable)(`${c.name}: ${c.kind}`, async () => {
      const expected = relocate(readFileSync(resolve(REPO_ROOT, `test/golden/maps/${c.name}.maps`), 'utf8'));
      const prog = c.prog.startsWith('/') ? resolve(SYSROOT, '.' + c.prog) : asRepoPath(c.prog);
      const actual = await simulateMaps(prog, c.args.map(asRepoPath), { envp: c.env, sysroot: SYSROOT, stackRlimit: BigInt(golden.stackRlimit) });
      expect(actual).toBe(expected);
    });
  }
});
