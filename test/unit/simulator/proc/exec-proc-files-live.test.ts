// Differential tests of status, smaps_rollup and smaps against the kernel this test
// runs on: each static program is stopped after execve (ptrace, ASLR off) and the
// kernel's files are compared with `show` in a scenario that execs the same program.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_BIN } from '../../../support/exec-layout';
import { captureMaps, compile, liveKernelAvailable } from '../../../support/live-kernel';
import { runScenarioFile } from '../../../support/scenarios';

const live = liveKernelAvailable();

const HELLO = 'int main(void){ return 0; }\n';
const BIG_DATA = 'char big[3 << 20] = {1}; int main(void){ return big[12345]; }\n';
const BIG_BSS = 'char big[5 << 20]; int main(void){ return big[12345]; }\n';

const programs: Record<string, () => string> = {
  'static fixture': () => join(FIXTURE_BIN, 'static'),
  'static-pie fixture': () => join(FIXTURE_BIN, 'static-pie'),
  'static-pie with 3 MiB of data': () => compile('bigdata-static-pie', BIG_DATA, ['-static-pie']),
  'static with 5 MiB of bss': () => compile('bigbss-static', BIG_BSS, ['-static']),
  'static, -z execstack': () => compile('static-execstack', HELLO, ['-static', '-Wl,-z,execstack']),
};

/** The `Vm*`, `Rss*` and `HugetlbPages` lines of status: what `show status` prints. */
const statusLines = (text: string) =>
  text
    .split('\n')
    .filter((l) => /^(Vm|Rss|HugetlbPages)/.test(l))
    .join('\n');

async function simulated(prog: string): Promise<{ status: string; rollup: string; smaps: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'asx-proc-'));
  const file = join(dir, 'exec.aspace');
  writeFileSync(file, `P = exec ${prog}\nshow status P\nshow rollup P\nshow smaps P\n`);
  const { text } = await runScenarioFile(file);
  const [status = '', rollup = '', smaps = ''] = text.split(/^# \d+: .*\n/m).slice(1);
  return { status, rollup, smaps };
}

describe.skipIf(!live)('status, smaps_rollup and smaps at exec match the running kernel', () => {
  for (const [what, build] of Object.entries(programs)) {
    it(what, async () => {
      const prog = build();
      const sim = await simulated(prog);
      expect(statusLines(sim.status)).toBe(statusLines(captureMaps({ prog, procFile: 'status' })));
      expect(sim.rollup).toBe(captureMaps({ prog, procFile: 'smaps_rollup' }));
      expect(sim.smaps).toBe(captureMaps({ prog, procFile: 'smaps' }));
    });
  }
});
