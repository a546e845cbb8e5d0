// `set exec entry` and `dlopen`: parsing, and the layout they give compared
// with a real process (a C program that calls dlopen from main).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioFilesOnDisk } from '../../../../simulator/cli/node-file-access';
import { formatDiagnostic } from '../../../../simulator/scenario/diagnostics';
import { parseScenario } from '../../../../simulator/scenario/parser';
import { runScenario } from '../../../../simulator/scenario/run';
import { REPO_ROOT } from '../../../support/exec-layout';
import { compile, liveKernelAvailable } from '../../../support/live-kernel';

const diags = (text: string) => parseScenario(text, 's.aspace').diagnostics.map((d) => formatDiagnostic('s.aspace', d));

describe('parsing', () => {
  it('reads set exec and dlopen', () => {
    const { statements, diagnostics } = parseScenario('set exec entry\nP = exec ./prog\ndlopen P libm.so.6\n', 's.aspace');
    expect(diagnostics).toEqual([]);
    expect(statements[0]).toMatchObject({ kind: 'set', setting: 'exec', value: 'entry' });
    expect(statements[2]).toMatchObject({ kind: 'dlopen', process: { name: 'P' }, path: { text: 'libm.so.6' } });
  });
  it('reports a bad stop, a missing path and an unknown process', () => {
    expect(diags('set exec main\n')).toEqual([`s.aspace:1:10: expected 'start' (the first instruction) or 'entry' (the entry point, after ld.so), found 'main'`]);
    expect(diags('P = exec ./prog\ndlopen P\n')[0]).toMatch(/^s\.aspace:2:\d+: .*a library name or path/);
    expect(diags('dlopen Q libm.so.6\n')[0]).toMatch(/^s\.aspace:1:8: process 'Q' is not defined/);
  });
});

const hello = resolve(REPO_ROOT, 'examples/hello/hello');

async function run(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'asx-dlopen-'));
  const path = join(dir, 's.aspace');
  writeFileSync(path, text);
  const outcome = await runScenario(text, path, scenarioFilesOnDisk(path));
  if (!outcome.ok) throw new Error(outcome.diagnostics.map((d) => d.message).join('; '));
  return outcome.run;
}

describe('running', () => {
  it('exec runs the program to its entry point by default, with its libraries', async () => {
    const r = await run(`P = exec ${hello}\nshow maps P\n`);
    expect(r.steps[1]?.output).toMatch(/libc\.so\.6/);
  });
  it('set exec start stops at the first instruction, before ld.so', async () => {
    const r = await run(`set exec start\nP = exec ${hello}\nshow maps P\n`);
    expect(r.steps[2]?.output).not.toMatch(/libc\.so/);
  });
  it.skipIf(!existsSync('/etc/ld.so.cache'))('a missing library is a note, and the process goes on', async () => {
    const r = await run(`set exec entry\nP = exec ${hello}\ndlopen P libdoes-not-exist.so.9\nshow maps P\n`);
    expect(r.steps[2]?.notes.join('\n')).toMatch(/dlopen failed: libdoes-not-exist\.so\.9: cannot open shared object file/);
    expect(r.steps[3]?.output).toMatch(/libc\.so\.6/);
  });
  it('dlopen after set exec start says what to change', async () => {
    const r = await run(`set exec start\nP = exec ${hello}\ndlopen P libm.so.6\n`);
    expect(r.steps[2]?.notes.join('\n')).toMatch(/set exec entry/);
  });
});

const live = liveKernelAvailable();
const DLOPEN_MAIN = `#include <dlfcn.h>
#include <fcntl.h>
#include <unistd.h>
static char buf[1 << 16];
int main(int argc, char **argv) {
  if (argc > 1 && !dlopen(argv[1], RTLD_NOW)) return 1;
  int fd = open("/proc/self/maps", O_RDONLY), n;
  while ((n = read(fd, buf, sizeof buf)) > 0) write(1, buf, n);
  return 0;
}
`;

describe.skipIf(!live)('the layout after dlopen matches a real process (ASLR off)', () => {
  for (const lib of ['libm.so.6', 'libz.so.1', '/usr/lib/x86_64-linux-gnu/libstdc++.so.6']) {
    it.skipIf(lib.startsWith('/') && !existsSync(lib))(`dlopen ${lib}`, async () => {
      const prog = compile('dlopen-main', DLOPEN_MAIN, []);
      const real = spawnSync('setarch', ['-R', 'env', '-i', prog, lib], { encoding: 'utf8' });
      if (real.status !== 0) return; // the library is not on this machine
      const r = await run(`set exec entry\nP = exec ${prog}\ndlopen P ${lib}\nshow maps P\n`);
      expect(r.steps[3]?.output).toBe(real.stdout);
    });
  }
});
