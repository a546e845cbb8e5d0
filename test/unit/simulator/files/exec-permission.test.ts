// exec of a regular file without execute permission is EACCES, as execve says (may_open →
// inode_permission(MAY_EXEC); root too needs one x bit): checked against this kernel's execve.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../../simulator/cli/main';
import { NodeFileAccess } from '../../../../simulator/cli/node-file-access';
import { REPO_ROOT } from '../../../support/exec-layout';

const dir = mkdtempSync(join(tmpdir(), 'asx-noexec-'));
const program = join(dir, 'prog');
copyFileSync(resolve(REPO_ROOT, 'test/fixtures/elf/bin/static'), program);
chmodSync(program, 0o644);

describe('exec of a file without the x bit', () => {
  it('is EACCES in asx run (the scenario cannot run), as execve(2) returns here', async () => {
    // The kernel's answer for this user (root needs one x bit as well).
    const kernel = spawnSync(program, { encoding: 'utf8' });
    expect((kernel.error as NodeJS.ErrnoException | undefined)?.code).toBe('EACCES');
    const scenario = join(dir, 's.aspace');
    writeFileSync(scenario, 'P = exec ./prog\nshow maps P\n');
    let err = '';
    const status = await main(['run', scenario], { write: () => {} }, { write: (t) => (err += t) });
    expect(status).toBe(2);
    expect(err).toBe(`${scenario}:1:10: cannot exec ./prog: Permission denied: the file may not be executed (mode 0644) (EACCES)\n`);
  });

  it('is refused only for exec: the same file maps and reads', () => {
    expect(() => NodeFileAccess.open(program, 'exec')).toThrow(/\(EACCES\)$/);
    for (const purpose of ['map', 'read'] as const) {
      const file = NodeFileAccess.open(program, purpose);
      expect(file.size).toBeGreaterThan(0);
      file.close();
    }
    chmodSync(program, 0o744);
    const file = NodeFileAccess.open(program, 'exec');
    expect(file.kind).toBe('regular');
    file.close();
    chmodSync(program, 0o644);
  });
});
