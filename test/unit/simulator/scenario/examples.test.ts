// The bundled examples: every expect holds, and the state after any statement,
// rebuilt from checkpoints, prints exactly what the full run printed.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scenarioFilesOnDisk } from '../../../../simulator/cli/node-file-access';
import { runScenario } from '../../../../simulator/scenario/run';
import { REPO_ROOT } from '../../../support/exec-layout';
import { ensureScenarioData, ORACLE_SCENARIOS } from '../../../support/scenarios';

// The toy6 machine's examples (set machine toy6) have no Linux statements: test/unit/simulator/toy6/examples.test.ts.
const examples = readdirSync(resolve(REPO_ROOT, 'examples')).filter((f) => f.endsWith('.aspace') && !f.startsWith('toy6-')).map((f) => resolve(REPO_ROOT, 'examples', f));
const oracle = readdirSync(ORACLE_SCENARIOS).filter((f) => f.endsWith('.aspace')).map((f) => resolve(ORACLE_SCENARIOS, f));

async function run(path: string) {
  const outcome = await runScenario(readFileSync(path, 'utf8'), path, scenarioFilesOnDisk(path));
  if (!outcome.ok) throw new Error(`${path}: ${outcome.diagnostics.map((d) => d.message).join('; ')}`);
  return outcome.run;
}

describe('bundled examples', () => {
  it('cover every idea of the course', () => expect(examples.length).toBeGreaterThanOrEqual(9));
  for (const path of examples) {
    it(`${path.split('/').at(-1)}: every expect holds`, async () => {
      const r = await run(path);
      expect(r.failures).toEqual([]);
      expect(r.statements.some((s) => s.kind === 'expect' || s.kind === 'expectKilled')).toBe(true);
    });
  }
});

describe('any line can be shown again (checkpoints and replay)', () => {
  beforeAll(ensureScenarioData);
  for (const path of [...examples, ...oracle]) {
    it(path.split('/').slice(-2).join('/'), async () => {
      const r = await run(path);
      // Visit steps out of order so the cache and the checkpoints are both exercised.
      const order = r.steps.map((_, i) => i).sort((a, b) => ((a * 7919) % 13) - ((b * 7919) % 13));
      for (const i of order) {
        const again = r.replayStep(i);
        expect(again.output, `line ${r.steps[i]?.line}`).toEqual(r.steps[i]?.output);
        expect(again.failures).toEqual(r.steps[i]?.failures);
      }
    });
  }
});
