// A process killed by a fault says so (issue 14 §2): asx run prints the signal, si_code, address
// and line on stderr, and `show` of the dead process says how and where it ended. The si_code and
// address are checked against the kernel: test/oracle/segv-kill.c stores past a 1 MiB mapping.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../../simulator/cli/main';
import { REPO_ROOT } from '../../../support/exec-layout';
import { compile, liveKernelAvailable } from '../../../support/live-kernel';

const STATIC = resolve(REPO_ROOT, 'test/fixtures/elf/bin/static');
const dir = mkdtempSync(join(tmpdir(), 'asx-kill-'));

async function asx(name: string, text: string) {
  const path = join(dir, name);
  writeFileSync(path, text);
  let out = '';
  let err = '';
  const status = await main(['run', path], { write: (t) => (out += t) }, { write: (t) => (err += t) });
  return { path, status, out, err };
}

/** One store at OFF past a 1 MiB mapping: the mapping's address and the kill's si_code and si_addr. */
async function simulated(offset: number) {
  const r = await asx(`store-${offset}.aspace`, `P = exec ${STATIC}\nA = mmap P 1M rw- private anon\nshow maps P\nwrite P A ${offset}\n`);
  const kill = /killed by SIGSEGV \(si_code (\w+), si_addr (0x[0-9a-f]+)/.exec(r.err);
  return { ...r, code: kill?.[1], address: kill?.[2] };
}

describe('a fault that kills', () => {
  it('prints the kill on stderr at the statement (signal, si_code, address, error code) and exits 0', async () => {
    const r = await asx('kill.aspace', `P = exec ${STATIC}\nA = mmap P 1M rw- private anon\n  write P A 0 2M\nshow maps P\nread P A\n`);
    expect(r.status).toBe(0);
    expect(r.err.split('\n')).toEqual([
      `${r.path}:3:3: note: P (pid 1000) killed by SIGSEGV (si_code SEGV_ACCERR, si_addr 0x7ffff7ff7000, error 6): write to a VMA without write permission: SEGV_ACCERR`,
      `${r.path}:5:1: note: P was killed by SIGSEGV at line 3: statement skipped`,
      '',
    ]);
    // show of the dead process: how and where it ended, not an empty section.
    expect(r.out).toBe('# 4: show maps P\nP is not running: it was killed by SIGSEGV (SEGV_ACCERR) at 0x7ffff7ff7000 at line 3\n');
  });

  it('says at which line a process exited', async () => {
    const r = await asx('exit.aspace', `P = exec ${STATIC}\nexit P\nshow status P\n`);
    expect(r.out).toBe('# 3: show status P\nP is not running: it exited at line 2\n');
  });

  it('prints a failed call as FILE:LINE:COL: note: CALL failed with ERRNO: REASON, and --json lists it', async () => {
    const text = `P = exec ${STATIC}\n    A = mmap P 131072G rw- private anon\nexpect A failed ENOMEM\n`;
    const r = await asx('fail.aspace', text);
    expect(r.status).toBe(0);
    expect(r.err).toBe(`${r.path}:2:5: note: mmap failed with ENOMEM: 128 TiB is more than the address space's TASK_SIZE (0x7ffffffff000)\n`);
    let out = '';
    await main(['run', r.path, '--json'], { write: (t) => (out += t) }, { write: () => {} });
    expect(JSON.parse(out).events).toEqual([{ line: 2, kind: 'syscall-failed', column: 5, call: 'mmap', errno: 'ENOMEM', message: "mmap failed with ENOMEM: 128 TiB is more than the address space's TASK_SIZE (0x7ffffffff000)" }]);
  });

  it.skipIf(!existsSync('/etc/ld.so.cache'))('prints a dlopen that failed, in ld.so\'s words', async () => {
    const r = await asx('dlopen.aspace', `P = exec ${resolve(REPO_ROOT, 'examples/hello/hello')}\ndlopen P libdoes-not-exist.so.9\n`);
    expect(r.status).toBe(0);
    expect(r.err).toMatch(/^\S+:2:1: note: dlopen failed: libdoes-not-exist\.so\.9: cannot open shared object file/);
  });

  it('prints a failed expect failed in expect\'s style, exit 1', async () => {
    const r = await asx('expect.aspace', `P = exec ${STATIC}\nA = mmap P 4K rw- private anon\nexpect A failed ENOMEM\n`);
    expect(r.status).toBe(1);
    expect(r.err).toBe(`${r.path}:3: expected the mmap of A (line 2) to fail with ENOMEM, but it succeeded at 0x7ffff7ff6000\n`);
  });

  it.skipIf(!liveKernelAvailable() || spawnSync('gcc', ['-static', '-x', 'c', '-o', '/dev/null', '-'], { input: 'int main(){return 0;}' }).status !== 0)(
    'chooses SEGV_ACCERR or SEGV_MAPERR and the address as the kernel does',
    async () => {
      const binary = compile('segv-kill', readFileSync(resolve(REPO_ROOT, 'test/oracle/segv-kill.c'), 'utf8'), ['-static']);
      for (const offset of [1 << 20, 2 << 20, 8 << 20]) {
        const live = spawnSync('bash', ['-c', `ulimit -S -s 8192 && exec '${binary}' ${offset}`], { encoding: 'utf8' });
        const [mmapLine, signalLine] = live.stdout.trim().split('\n');
        const sim = await simulated(offset);
        expect(sim.out, `offset ${offset}`).toContain(`${mmapLine!.slice('mmap 0x'.length)}-`);
        expect(`signal 11 ${sim.code} ${sim.address}`, `offset ${offset}`).toBe(signalLine);
      }
    },
  );
});
