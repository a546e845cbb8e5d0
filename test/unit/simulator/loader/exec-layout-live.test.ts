// Differential tests against the kernel this test runs on: each program is
// stopped after execve with ASLR off and its maps compared byte for byte.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_BIN, simulateMaps } from '../../../support/exec-layout';
import { captureMaps, compile, liveKernelAvailable, type LiveRun } from '../../../support/live-kernel';

const live = liveKernelAvailable();

const BIG_DATA = 'char big[3 << 20] = {1}; int main(void){ return big[12345]; }\n';
const HELLO = 'int main(void){ return 0; }\n';
const EXEC_LIB = 'void lib_entry(void){ __asm__ volatile("mov $60,%eax; xor %edi,%edi; syscall"); }\n__attribute__((section(".interp"))) const char interp[] = "/lib64/ld-linux-x86-64.so.2";\n';

/** Programs built here and now, so the comparison covers binaries the goldens never saw. */
const built: Record<string, () => string> = {
  'static-pie, 3 MiB of data (THP-aligned top-down file mapping)': () => compile('bigdata-static-pie', BIG_DATA, ['-static-pie']),
  'static-pie, 2 MiB p_align (realigned top-down)': () => compile('align2m-static-pie', HELLO, ['-static-pie', '-Wl,-z,max-page-size=0x200000']),
  'PIE, 3 MiB of data': () => compile('bigdata-pie', BIG_DATA, []),
  'no-PIE at 0x60000000 (-Ttext-segment)': () => compile('high-text', HELLO, ['-no-pie', '-Wl,-Ttext-segment=0x60000000']),
  'PIE, RELRO off, lazy binding': () => compile('norelro', HELLO, ['-Wl,-z,norelro', '-Wl,-z,lazy']),
  'executable shared library, 64 KiB pages': () => compile('execlib64k.so', EXEC_LIB, ['-shared', '-fPIC', '-nostartfiles', '-Wl,-e,lib_entry', '-Wl,-z,max-page-size=0x10000']),
  'static, -z execstack': () => compile('static-execstack', HELLO, ['-static', '-Wl,-z,execstack']),
};

const systemPrograms = ['/usr/bin/true', '/usr/bin/ls', '/usr/bin/bash', '/usr/bin/perl', '/usr/bin/python3', '/usr/bin/node', '/usr/lib/x86_64-linux-gnu/libc.so.6', '/lib64/ld-linux-x86-64.so.2'].filter((p) => existsSync(p));

async function compare(run: LiveRun): Promise<void> {
  const expected = captureMaps(run);
  const stackLimit = run.stackLimit === 'unlimited' ? (1n << 64n) - 1n : BigInt(run.stackLimit ?? '8192') * 1024n;
  const actual = await simulateMaps(run.prog, run.args ?? [], { envp: run.env ?? [], stackRlimit: stackLimit });
  expect(actual).toBe(expected);
}

describe.skipIf(!live)('exec layout matches the running kernel (ASLR off)', () => {
  for (const prog of systemPrograms) it(`system program ${prog}`, () => compare({ prog }));
  for (const [what, build] of Object.entries(built)) it(what, () => compare({ prog: build() }));
  it('fixture pie with 200 arguments and an environment', () =>
    compare({ prog: join(FIXTURE_BIN, 'pie'), args: Array.from({ length: 200 }, (_, i) => `arg-${i}-${'x'.repeat(i % 50)}`), env: ['HOME=/root', 'LANG=C.UTF-8'] }));
  it('arguments ending exactly at a page boundary', async () => {
    for (const n of [4030, 4040, 4050, 4060, 4070, 4080]) await compare({ prog: join(FIXTURE_BIN, 'pie'), args: ['y'.repeat(n)] });
  });
  it('20000 arguments: the pointer array outgrows the 128 KiB headroom', () => compare({ prog: join(FIXTURE_BIN, 'nopie'), args: Array.from({ length: 20000 }, () => 'a') }));
  it('ulimit -s unlimited', () => compare({ prog: join(FIXTURE_BIN, 'pie'), stackLimit: 'unlimited' }));
  it('ulimit -s 1 GiB moves mmap_base down', () => compare({ prog: join(FIXTURE_BIN, 'pie'), stackLimit: String(1 << 20) }));
  it('ulimit -s 100 KiB caps the initial stack', () => compare({ prog: join(FIXTURE_BIN, 'pie'), stackLimit: '100' }));
  it('ld.so run directly with a program argument', () => compare({ prog: '/lib64/ld-linux-x86-64.so.2', args: [join(FIXTURE_BIN, 'pie')] }));
});
