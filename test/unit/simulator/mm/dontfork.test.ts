// MADV_DONTFORK / MADV_DOFORK (a version 1 addition): VM_DONTCOPY (VmFlags dc) splits the VMA as
// mprotect does, fork leaves the VMA out of the child (dup_mmap) and charges nothing for it, and
// MADV_DOFORK clears it so the parts merge again.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NodeFileSystem } from '../../../../simulator/cli/node-file-access';
import { runScenario } from '../../../../simulator/scenario/run';
import { REPO_ROOT } from '../../../support/exec-layout';

const STATIC = resolve(REPO_ROOT, 'test/fixtures/elf/bin/static');

async function outputs(lines: string[]): Promise<string[]> {
  const outcome = await runScenario(lines.join('\n'), 's.aspace', { fs: new NodeFileSystem('/'), resolve: (p) => resolve(REPO_ROOT, p) }, { host: { pkeys: false } });
  if (!outcome.ok) throw new Error(outcome.diagnostics.map((d) => d.message).join('\n'));
  return outcome.run.steps.filter((s) => s.output !== undefined).map((s) => s.output as string);
}

const anonLines = (maps: string) => maps.split('\n').filter((l) => /^10000000|^10001000|^10002000/.test(l)).map((l) => l.split(/\s+/).slice(0, 2).join(' '));

describe('madvise dontfork / dofork', () => {
  it('splits off a dc VMA that fork leaves out of the child; dofork merges it back', async () => {
    const [parent, child, smaps, merged] = await outputs([
      `P = exec ${STATIC}`,
      'A = mmap P 12K rw- private anon at 0x10000000',
      'write P A',
      'madvise P A 4K 4K dontfork',
      'show maps P',
      'Q = fork P',
      'show maps Q',
      'show smaps P 0x10001000',
      'madvise P A 4K 4K dofork',
      'show maps P',
    ]);
    expect(anonLines(parent!)).toEqual(['10000000-10001000 rw-p', '10001000-10002000 rw-p', '10002000-10003000 rw-p']);
    expect(anonLines(child!)).toEqual(['10000000-10001000 rw-p', '10002000-10003000 rw-p']);
    expect(smaps).toMatch(/^VmFlags: .*\bdc\b/m);
    expect(anonLines(merged!)).toEqual(['10000000-10003000 rw-p']);
  });
});
