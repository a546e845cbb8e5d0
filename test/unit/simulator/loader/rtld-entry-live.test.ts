// Differential tests against the machine running them: system programs are
// stopped by gdb at their entry point (ASLR off, empty environment) and their
// maps compared byte for byte with the simulated ld.so. Programs whose
// libraries' constructors allocate more than the first 132 KiB of heap
// (cmake, LLVM tools, gdb) differ in the [heap] line only and are left out.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { captureEntryMaps, gdbAvailable, simulateEntry } from '../../../support/entry-layout';

const PROGRAMS = ['/usr/bin/true', '/usr/bin/ls', '/usr/bin/bash', '/usr/bin/perl', '/usr/bin/python3', '/usr/bin/git', '/usr/bin/ssh', '/usr/bin/curl', '/usr/bin/gpg', '/usr/bin/node'].filter((p) => existsSync(p));

describe.skipIf(!gdbAvailable())('maps at the entry point match this machine (gdb, ASLR off)', () => {
  for (const prog of PROGRAMS) {
    it(prog, async () => {
      const expected = captureEntryMaps(prog);
      const { maps } = await simulateEntry(prog);
      expect(maps).toBe(expected);
    });
  }
});
