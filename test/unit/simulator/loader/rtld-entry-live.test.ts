// Differential tests against the machine running them: system programs are
// stopped by gdb at their entry point (ASLR off, empty environment) and their
// maps compared byte for byte with the simulated ld.so, which searches the
// glibc-hwcaps levels of this machine's CPU. gdb itself is left out: its
// libraries' constructors make one request that the heap model (the sum of what
// each constructor keeps) does not foresee.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readHostFile } from '../../../../simulator/cli/node-file-access';
import { machineFromCpuinfo } from '../../../../simulator/scenario/host-cpu';
import { captureEntryMaps, gdbAvailable, simulateEntry } from '../../../support/entry-layout';

const PROGRAMS = ['/usr/bin/true', '/usr/bin/ls', '/usr/bin/bash', '/usr/bin/perl', '/usr/bin/python3', '/usr/bin/git', '/usr/bin/ssh', '/usr/bin/curl', '/usr/bin/gpg', '/usr/bin/node', '/usr/bin/pic', '/usr/bin/cmake', '/usr/lib/llvm-14/bin/llvm-as'].filter((p) => existsSync(p));

describe.skipIf(!gdbAvailable())('maps at the entry point match this machine (gdb, ASLR off)', () => {
  for (const prog of PROGRAMS) {
    it(prog, async () => {
      const expected = captureEntryMaps(prog);
      const { isaLevel, legacyHwcaps } = machineFromCpuinfo(readHostFile('/proc/cpuinfo'));
      const { maps } = await simulateEntry(prog, [], { isaLevel, legacyHwcaps });
      expect(maps).toBe(expected);
    });
  }
});
