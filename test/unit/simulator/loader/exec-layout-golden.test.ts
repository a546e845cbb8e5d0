// Golden tests: the maps the real kernel (6.18, ASLR off) printed for our fixture
// binaries at their first instruction, compared line by line with the simulator.
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, SYSROOT, simulateMaps } from '../../../support/exec-layout';

interface GoldenCase { name: string; prog: string; args: string[]; env: string[]; kind: string }
const golden = JSON.parse(readFileSync(resolve(REPO_ROOT, 'test/golden/maps/cases.json'), 'utf8')) as { repoRoot: string; stackRlimit: number; cases: GoldenCase[] };

const asRepoPath = (p: string) => (p.startsWith('test/') ? resolve(REPO_ROOT, p) : p);

/** The device:inode the simulator should print for a path seen in the golden capture. */
function identityOf(path: string): string {
  const host = path.startsWith(REPO_ROOT) ? path : resolve(SYSROOT, '.' + path);
  const st = statSync(host, { bigint: true });
  const major = ((st.dev >> 8n) & 0xfffn) | ((st.dev >> 32n) & ~0xfffn);
  const minor = (st.dev & 0xffn) | ((st.dev >> 12n) & ~0xffn);
  return `${major.toString(16).padStart(2, '0')}:${minor.toString(16).padStart(2, '0')} ${st.ino}`;
}

/** Moves a capture to this checkout and this sysroot: repo paths and file identities change, nothing else. */
function relocate(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const m = /^(\S+ \S+ \S+) (\S+ \d+) +(\/.*)$/.exec(line);
      if (!m) return line;
      const path = (m[3] as string).replace(golden.repoRoot, REPO_ROOT);
      const prefix = `${m[1]} ${identityOf(path)} `;
      return `${prefix.padEnd(72, ' ')} ${path}`;
    })
    .join('\n');
}

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
