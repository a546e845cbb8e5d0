import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { NodeFileSystem, readHostFile } from '../../simulator/cli/node-file-access';
import { machineFromCpuinfo } from '../../simulator/scenario/host-cpu';
import { DEFAULT_SETTINGS } from '../../simulator/scenario/state';
import { runScenario } from '../../simulator/scenario/run';
import { REPO_ROOT } from './exec-layout';

export const ORACLE_SCENARIOS = resolve(REPO_ROOT, 'test/oracle/scenarios');

/** The data files the oracle scenarios map, made as test/oracle/build.sh makes them. */
export function ensureScenarioData(): void {
  const files: [string, number][] = [['file32.bin', 131072], ['file256.bin', 1048576], ['shared32.bin', 131072], ['fork32.bin', 131072], ['warm32.bin', 131072], ['reclaim32.bin', 131072], ['file4m.bin', 4194304]];
  const dir = resolve(ORACLE_SCENARIOS, 'data');
  mkdirSync(dir, { recursive: true });
  for (const [name, size] of files) {
    const path = resolve(dir, name);
    if (existsSync(path) && statSync(path).size === size) continue;
    let text = '';
    for (let i = 0; text.length < size; i++) text += `asx-oracle data line ${String(i).padStart(8, '0')} 0123456789abcdefghijklmnopqrstuvwxyz\n`;
    writeFileSync(path, text.slice(0, size));
  }
}

/** Whether this machine's kernel prints smaps' ProtectionKey line, as `asx run` decides by default. */
const HOST_MACHINE = machineFromCpuinfo(readHostFile('/proc/cpuinfo'));
export const HOST_PKEYS = HOST_MACHINE.pkeys ?? DEFAULT_SETTINGS.pkeys;

/**
 * `asx run` as a function (the CPU as this machine's, its protection keys unless `pkeys` says; the zero
 * page unless `forbidsZeroPage`): the printed text, the failures and notes.
 */
export async function runScenarioFile(path: string, pkeys = HOST_PKEYS, forbidsZeroPage = false): Promise<{ text: string; failures: string[] }> {
  const folder = dirname(path);
  const outcome = await runScenario(readFileSync(path, 'utf8'), path, { fs: new NodeFileSystem('/'), resolve: (p) => resolve(folder, p) }, { host: { ...HOST_MACHINE, pkeys, forbidsZeroPage } });
  if (!outcome.ok) throw new Error(outcome.diagnostics.map((d) => d.message).join('\n'));
  const run = outcome.run;
  const text = run.steps.map((step, i) => (step.output === undefined ? '' : `# ${step.line}: ${run.statements[i]?.text}\n${step.output}`)).join('');
  return { text, failures: run.failures };
}

/** The output split into `show` sections keyed by their header line. */
export function showSections(text: string): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('# ')) sections.set(line, (current = []));
    else current?.push(line);
  }
  return sections;
}
