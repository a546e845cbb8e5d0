// Runs scenarios on the static test program (test/fixtures/elf/bin/static) with a host without protection
// keys, and reads their failures and events.
import { resolve } from 'node:path';
import { NodeFileSystem } from '../../simulator/cli/node-file-access';
import { runScenario, type ScenarioRun } from '../../simulator/scenario/run';
import { REPO_ROOT } from './exec-layout';

export const STATIC = resolve(REPO_ROOT, 'test/fixtures/elf/bin/static');
export const files = { fs: new NodeFileSystem('/'), resolve: (p: string) => resolve(REPO_ROOT, p) };

export async function run(text: string): Promise<ScenarioRun> {
  const outcome = await runScenario(text, 's.aspace', files, { host: { pkeys: false } });
  if (!outcome.ok) throw new Error(outcome.diagnostics.map((d) => d.message).join('\n'));
  return outcome.run;
}

/** Per line: the errno of the statement's failed call, or 'ok'. */
export function results(r: ScenarioRun): string[] {
  return r.steps.map((s) => s.events?.find((e) => e.kind === 'syscall-failed')?.errno ?? 'ok');
}

export function failureOf(r: ScenarioRun, line: number): string | undefined {
  return r.steps.find((s) => s.line === line)?.events?.find((e) => e.kind === 'syscall-failed')?.message;
}


/** Every event of a run, with its statement's line. */
export const eventsOf = (r: ScenarioRun) => r.steps.flatMap((s) => (s.events ?? []).map((e) => ({ line: s.line, ...e })));
