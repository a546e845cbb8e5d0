// A streamed run (asx run) hands on, statement by statement, exactly the records the editor's run
// keeps, and lets go of the statements it has run.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scenarioFilesOnDisk } from '../../../../simulator/cli/node-file-access';
import type { Statement } from '../../../../simulator/scenario/ast';
import { runScenario } from '../../../../simulator/scenario/run';
import { streamScenario } from '../../../../simulator/scenario/stream-run';
import type { StepRecord } from '../../../../simulator/scenario/step-record';
import { REPO_ROOT } from '../../../support/exec-layout';
import { ensureScenarioData, ORACLE_SCENARIOS } from '../../../support/scenarios';

const examples = readdirSync(resolve(REPO_ROOT, 'examples')).filter((f) => f.endsWith('.aspace') && !f.startsWith('toy6-')).map((f) => resolve(REPO_ROOT, 'examples', f));
const oracle = readdirSync(ORACLE_SCENARIOS).filter((f) => f.endsWith('.aspace')).map((f) => resolve(ORACLE_SCENARIOS, f)).filter((_, i) => i % 8 === 0);

/** What a record says, its fault log listed. */
const said = (step: StepRecord) => ({ ...step, faults: [...step.faults], usage: step.usage?.map((u) => ({ ...u })) });

describe('streamScenario', () => {
  beforeAll(ensureScenarioData);
  for (const path of [...examples, ...oracle]) {
    it(`${path.split('/').slice(-2).join('/')}: the editor's records, in order`, async () => {
      const text = readFileSync(path, 'utf8');
      const kept = await runScenario(text, path, scenarioFilesOnDisk(path));
      if (!kept.ok) throw new Error(`${path} does not parse`);
      const streamed: { statement: Statement; step: StepRecord }[] = [];
      const outcome = await streamScenario(text, scenarioFilesOnDisk(path), {}, (statement, step) => streamed.push({ statement, step }));
      expect(outcome.ok).toBe(true);
      expect(streamed.map((s) => s.statement.line)).toEqual(kept.run.statements.map((s) => s.line));
      expect(streamed.map((s) => said(s.step))).toEqual(kept.run.steps.map(said));
    });
  }

  it('reports the diagnostics of a scenario that does not parse, and runs nothing', async () => {
    let ran = 0;
    const outcome = await streamScenario('P = exec\n', scenarioFilesOnDisk('/tmp/bad.aspace'), {}, () => ran++);
    expect(outcome.ok).toBe(false);
    expect(ran).toBe(0);
  });

  it('reports progress after each slice and at the end', async () => {
    const path = examples[0]!;
    const progress: number[] = [];
    await streamScenario(readFileSync(path, 'utf8'), scenarioFilesOnDisk(path), { sliceMs: 0, onProgress: (done) => progress.push(done) }, () => {});
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toBe(progress.at(-2));
  });
});
