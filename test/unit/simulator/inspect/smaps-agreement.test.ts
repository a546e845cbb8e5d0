// The panel's numbers are the numbers `asx run` prints: every VMA of every
// `show smaps` in the examples and oracle scenarios, field by field, and the
// process totals against `status` (VmRSS, VmSwap) and `smaps_rollup` (Pss).
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listProcesses, listRegions, regionSmaps } from '../../../../simulator/inspect';
import { renderRollup, renderStatus } from '../../../../simulator/proc/status';
import { ensureScenarioData, ORACLE_SCENARIOS } from '../../../support/scenarios';
import { EXAMPLES, runText } from './run-scenario';

const scenarios = [
  ...readdirSync(EXAMPLES).filter((f) => f.endsWith('.aspace')).map((f) => resolve(EXAMPLES, f)),
  ...readdirSync(ORACLE_SCENARIOS).filter((f) => f.endsWith('.aspace')).map((f) => resolve(ORACLE_SCENARIOS, f)),
];

/** Printed smaps entries: the header line, its "Label: N kB" fields, and the unitless ones (THPeligible) as "Label: N". */
function parseSmaps(text: string): { header: string; fields: Map<string, number>; lines: string[]; vmFlags: string }[] {
  const out: { header: string; fields: Map<string, number>; lines: string[]; vmFlags: string }[] = [];
  for (const line of text.split('\n')) {
    const field = /^(\w+):\s+(\d+)( kB)?$/.exec(line);
    if (field) {
      out.at(-1)?.fields.set(field[1]!, Number(field[2]));
      out.at(-1)?.lines.push(field[3] ? `${field[1]}: ${field[2]} kB` : `${field[1]}: ${field[2]}`);
    } else if (line.startsWith('VmFlags: ')) out.at(-1)!.vmFlags = line.slice(9).trim();
    else if (line && !/^\w+:/.test(line)) out.push({ header: line, fields: new Map(), lines: [], vmFlags: '' });
    // Any other line of an entry is one the panel would not show.
    else if (line) out.at(-1)?.lines.push(`unparsed: ${line}`);
  }
  return out;
}

const field = (text: string, label: string) => Number(new RegExp(`^${label}:\\s+(\\d+) kB$`, 'm').exec(text)?.[1]);

describe('region smaps equal `show smaps`', () => {
  beforeAll(ensureScenarioData);
  for (const path of scenarios) {
    it(path.split('/').slice(-2).join('/'), async () => {
      const run = await runText(readFileSync(path, 'utf8'), path);
      let checked = 0;
      for (const [i, s] of run.statements.entries()) {
        // `show` of a process that died says how it ended instead (scenario 128's SIGSEGV).
        if (s.kind !== 'show' || s.what !== 'smaps' || !run.steps[i]?.output || run.steps[i]!.output!.includes(' is not running: ')) continue;
        const state = run.stateAfter(i);
        const process = s.process.name;
        const rows = listRegions(state, process);
        for (const printed of parseSmaps(run.steps[i]!.output!)) {
          const row = rows.find((r) => r.mapsLine === printed.header);
          expect(row, printed.header).toBeDefined();
          const smaps = regionSmaps(state, process, row!.index)!;
          expect(smaps.header).toBe(printed.header);
          expect(new Map(smaps.fields.map((f) => [f.name, f.kb]))).toEqual(printed.fields);
          // Every line `asx run` prints between the header and VmFlags is a row of the smaps tab, in order, THPeligible too.
          expect(smaps.fields.map((f) => (f.plain ? `${f.name}: ${f.kb}` : `${f.name}: ${f.kb} kB`))).toEqual(printed.lines);
          expect(printed.fields.has('THPeligible')).toBe(true);
          expect(smaps.vmFlags).toBe(printed.vmFlags);
          expect([row!.rssKb, row!.pssKb, row!.swapKb]).toEqual([printed.fields.get('Rss'), printed.fields.get('Pss'), printed.fields.get('Swap')]);
          expect(smaps.residentPages * 4).toBe(printed.fields.get('Rss'));
          // The Pss explainer's groups hold every resident page, and their shares add up to the printed Pss.
          expect(smaps.pssGroups.reduce((n, g) => n + g.pages, 0)).toBe(smaps.residentPages);
          expect(Math.floor(smaps.pssGroups.reduce((kb, g) => kb + g.pssKb, 0))).toBe(printed.fields.get('Pss'));
          checked++;
        }
      }
      expect(checked > 0).toBe(run.statements.some((s, i) => s.kind === 'show' && s.what === 'smaps' && !!run.steps[i]?.output));
    });
  }
});

describe('process totals equal status and smaps_rollup', () => {
  beforeAll(ensureScenarioData);
  for (const path of scenarios) {
    it(path.split('/').slice(-2).join('/'), async () => {
      const run = await runText(readFileSync(path, 'utf8'), path);
      for (let i = 0; i < run.steps.length; i++) {
        const state = run.stateAfter(i);
        for (const p of listProcesses(state)) {
          const task = state.kernel.tasks.get(p.name)!;
          if (p.state !== 'running') {
            expect([p.rssKb, p.pssKb, p.swapKb, p.vmaCount]).toEqual([0, 0, 0, 0]);
            continue;
          }
          const status = renderStatus(task);
          expect(p.rssKb).toBe(field(status, 'VmRSS'));
          expect(p.swapKb).toBe(field(status, 'VmSwap'));
          expect(p.pssKb).toBe(field(renderRollup(state.kernel, task), 'Pss'));
          expect(p.vmaCount).toBe(listRegions(state, p.name).length);
        }
      }
    });
  }
});
