// The simulator against the real kernel: each oracle scenario was run with real
// system calls on Linux 6.18 (test/oracle), and every `show smaps P R` section the
// kernel printed must come out of `asx run` the same, field by field.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../support/exec-layout';
import { ensureScenarioData, ORACLE_SCENARIOS, runScenarioFile, showSections } from '../../../support/scenarios';

/** Scenarios whose kernel output depends on the oracle process itself, not on the statements. */
const INHERENT: Record<string, string> = {
  '19-stack-growth': 'the oracle worker is a running program: its own code touched 20 kB of stack that a process stopped after execve has not',
  '23-reclaim': 'the oracle reclaims through a memory cgroup limit, and which pages go differs from run to run',
};

/** Device, inode and path of files are the capturing machine's; addresses of the heap depend on the binary. */
function normalize(lines: readonly string[], scenario: string): string[] {
  return lines.map((line) => {
    const m = /^([0-9a-f]+)-([0-9a-f]+) (\S+ \S+) \S+ \d+ *(.*)$/.exec(line);
    if (!m) return line.trimEnd();
    const name = (m[4] ?? '').split('/').at(-1) ?? '';
    const range = scenario === '18-brk-heap' ? `size ${(BigInt('0x' + m[2]) - BigInt('0x' + m[1])).toString(16)}` : `${m[1]}-${m[2]}`;
    return `${range} ${m[3]} ${name}`;
  });
}

const scenarios = readdirSync(ORACLE_SCENARIOS).filter((f) => f.endsWith('.aspace')).map((f) => f.replace(/\.aspace$/, ''));

describe('smaps equal the kernel oracle', () => {
  beforeAll(ensureScenarioData);
  for (const name of scenarios) {
    it.skipIf(name in INHERENT)(`${name}${INHERENT[name] ? ` (skipped: ${INHERENT[name]})` : ''}`, async () => {
      const golden = showSections(readFileSync(resolve(REPO_ROOT, `test/golden/scenarios/${name}.out`), 'utf8'));
      const { text, failures } = await runScenarioFile(resolve(ORACLE_SCENARIOS, `${name}.aspace`));
      const ours = showSections(text);
      let compared = 0;
      for (const [header, lines] of golden) {
        if (!/^# \d+: show smaps \S+ \S+/.test(header)) continue;
        expect(normalize(ours.get(header) ?? [], name), header).toEqual(normalize(lines, name));
        compared++;
      }
      expect(compared).toBeGreaterThan(0);
      expect(failures).toEqual([]);
    });
  }
});
