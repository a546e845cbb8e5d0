// The simulator against the real kernel: each oracle scenario was run with real
// system calls on Linux 6.18 (test/oracle), and every `show smaps P R` section the
// kernel printed must come out of `asx run` the same, field by field.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../support/exec-layout';
import { ensureScenarioData, ORACLE_SCENARIOS, runScenarioFile, showSections } from '../../../support/scenarios';

/** The value of a `Field:   N kB` line of a smaps section. */
function kb(lines: readonly string[], field: string): number {
  const line = lines.find((l) => l.startsWith(`${field}:`));
  return Number(/(\d+) kB/.exec(line ?? '')?.[1] ?? NaN);
}

/** What a statement's output cannot change with the worker's own activity: the maps line, Size and VmFlags. */
function layout(lines: readonly string[]): string[] {
  return normalize(lines.filter((l, i) => i === 0 || l.startsWith('Size:') || l.startsWith('VmFlags:')));
}

/** Every kB field's change from the previous smaps section to this one. */
function changes(sections: readonly (readonly string[])[]): Record<string, number>[] {
  return sections.slice(1).map((lines, i) => Object.fromEntries(lines.filter((l) => / kB$/.test(l)).map((l) => {
    const field = l.slice(0, l.indexOf(':'));
    return [field, kb(lines, field) - kb(sections[i]!, field)];
  })));
}

/** The smaps sections of one scenario's output, golden and ours, by header (in the golden's order). */
interface SmapsShows {
  readonly headers: readonly string[];
  readonly golden: Map<string, string[]>;
  readonly ours: Map<string, string[]>;
  readonly scenario: string;
}

/**
 * Scenarios whose kernel output depends partly on the oracle process itself, not only on the
 * statements: of these, each VMA's layout (maps line, Size, VmFlags) is compared, and then what
 * the statements decide of the rest.
 */
const PARTLY: Record<string, (shows: SmapsShows) => void> = {
  // The oracle worker is a running program whose own code touched 20 kB of stack: how each kB field changed from one show to the next.
  '19-stack-growth': ({ headers, golden, ours }) => {
    expect(changes(headers.map((h) => ours.get(h)!))).toEqual(changes(headers.map((h) => golden.get(h)!)));
  },
  // The oracle reclaims through a memory cgroup limit, and which pages go differs from run to run: the shows
  // before the reclaim whole; after it, the anonymous pages are all still there, resident or swapped.
  '23-reclaim': ({ headers, golden, ours, scenario }) => {
    const reclaimLine = scenario.split('\n').findIndex((l) => l.startsWith('reclaim ')) + 1;
    for (const h of headers) {
      const [g, o] = [golden.get(h)!, ours.get(h)!];
      if (Number(/^# (\d+):/.exec(h)![1]) < reclaimLine) expect(normalize(o), h).toEqual(normalize(g));
      else if (kb(g, 'Anonymous') + kb(g, 'Swap') > 0) expect(kb(o, 'Anonymous') + kb(o, 'Swap'), `${h}: Anonymous + Swap`).toBe(kb(g, 'Anonymous') + kb(g, 'Swap'));
    }
  },
};

/** The comparison of a PARTLY scenario: every smaps section's layout, then the scenario's own part. */
function partlyEqual(name: string, golden: Map<string, string[]>, ours: Map<string, string[]>, scenario: string): void {
  const headers = [...golden.keys()].filter((h) => /^# \d+: show smaps \S+ \S+/.test(h));
  for (const h of headers) expect(layout(ours.get(h) ?? []), h).toEqual(layout(golden.get(h)!));
  PARTLY[name]!({ headers, golden, ours, scenario });
}

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
    it(`${name}${name in PARTLY ? ' (the parts its statements decide)' : ''}`, async () => {
      const goldenText = readFileSync(resolve(REPO_ROOT, `test/golden/scenarios/${name}.out`), 'utf8');
      const golden = showSections(goldenText);
      // The capturing machine's CPU decided the ProtectionKey lines; the simulated one follows it.
      // A scenario that says so was captured on a kernel booted with pvm_no_zero_page=1 (its anonymous reads map pages of their own).
      const path = resolve(ORACLE_SCENARIOS, `${name}.aspace`);
      const scenario = readFileSync(path, 'utf8');
      const forbidsZeroPage = /^# .*captured with pvm_no_zero_page=1/m.test(scenario);
      const { text, failures } = await runScenarioFile(path, goldenText.includes('ProtectionKey:'), forbidsZeroPage);
      const ours = showSections(text);
      expect(failures).toEqual([]);
      if (name in PARTLY) return partlyEqual(name, golden, ours, scenario);
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
    });
  }
});
