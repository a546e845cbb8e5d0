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

/** Device, inode and path of files are the capturing machine's; the heap's address depends on the binary (its size does not). */
function normalize(lines: readonly string[]): string[] {
  return lines.map((line) => {
    const m = /^([0-9a-f]+)-([0-9a-f]+) (\S+ \S+) \S+ \d+ *(.*)$/.exec(line);
    if (!m) return line.trimEnd();
    const name = (m[4] ?? '').split('/').at(-1) ?? '';
    const range = name === '[heap]' ? `size ${(BigInt('0x' + m[2]) - BigInt('0x' + m[1])).toString(16)}` : `${m[1]}-${m[2]}`;
    return `${range} ${m[3]} ${name}`;
  });
}

/**
 * Fields of `show status` and `show rollup` whose CHANGE between two shows of one process must
 * equal the kernel's: the totals include the oracle worker's own pages, the differences do not
 * (its own pages that a fork shares or an exit unshares move Pss and the Shared/Private split,
 * so those are left out).
 */
const DELTA_FIELDS: Record<'status' | 'rollup', readonly string[]> = {
  status: ['VmSize', 'VmRSS', 'RssAnon', 'RssFile', 'RssShmem', 'VmData', 'VmLib', 'VmPTE', 'VmSwap'],
  rollup: ['Rss', 'Anonymous', 'Pss_Shmem', 'Swap', 'SwapPss'],
};

/** For each `show status|rollup P` after the first of its process: how each field changed, in kB. */
function deltas(sections: Map<string, string[]>, kind: 'status' | 'rollup'): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  const last = new Map<string, Record<string, number>>();
  for (const [header, lines] of sections) {
    const process = new RegExp(`^# \\d+: show ${kind} (\\S+)$`).exec(header)?.[1];
    if (!process) continue;
    const now: Record<string, number> = {};
    for (const line of lines) {
      const m = /^(\w+):\s+(\d+) kB$/.exec(line);
      if (m && DELTA_FIELDS[kind].includes(m[1]!)) now[m[1]!] = Number(m[2]);
    }
    const before = last.get(process);
    if (before) out.set(header, Object.fromEntries(DELTA_FIELDS[kind].map((f) => [f, (now[f] ?? 0) - (before[f] ?? 0)])));
    last.set(process, now);
  }
  return out;
}

const scenarios = readdirSync(ORACLE_SCENARIOS).filter((f) => f.endsWith('.aspace')).map((f) => f.replace(/\.aspace$/, ''));

describe('smaps equal the kernel oracle', () => {
  beforeAll(ensureScenarioData);
  for (const name of scenarios) {
    it.skipIf(name in INHERENT)(`${name}${INHERENT[name] ? ` (skipped: ${INHERENT[name]})` : ''}`, async () => {
      const goldenText = readFileSync(resolve(REPO_ROOT, `test/golden/scenarios/${name}.out`), 'utf8');
      const golden = showSections(goldenText);
      // The capturing machine's CPU decided the ProtectionKey lines; the simulated one follows it.
      // A scenario that says so was captured on a kernel booted with pvm_no_zero_page=1 (its anonymous reads map pages of their own).
      const path = resolve(ORACLE_SCENARIOS, `${name}.aspace`);
      const forbidsZeroPage = /^# .*captured with pvm_no_zero_page=1/m.test(readFileSync(path, 'utf8'));
      const { text, failures } = await runScenarioFile(path, goldenText.includes('ProtectionKey:'), forbidsZeroPage);
      const ours = showSections(text);
      let compared = 0;
      for (const [header, lines] of golden) {
        if (!/^# \d+: show smaps \S+ \S+/.test(header)) continue;
        expect(normalize(ours.get(header) ?? []), header).toEqual(normalize(lines));
        compared++;
      }
      for (const kind of ['status', 'rollup'] as const) {
        const ourDeltas = deltas(ours, kind);
        for (const [header, delta] of deltas(golden, kind)) expect(ourDeltas.get(header), `${header} (change since the previous one)`).toEqual(delta);
      }
      expect(compared).toBeGreaterThan(0);
      expect(failures).toEqual([]);
    });
  }
});
