import { formatDiagnostic } from '../scenario/diagnostics';
import { formatEvent } from '../scenario/events';
import { ScenarioError } from '../scenario/prepare';
import { runScenario } from '../scenario/run';
import { DEFAULT_SETTINGS, type ScenarioSettings } from '../scenario/state';
import { machineFromCpuinfo, zeroPageForbiddenByCmdline } from '../scenario/host-cpu';
import { lastOption, parseArguments, UsageError } from './arguments';
import { THP_MODES, thpModeFromSysfs } from '../mm/huge-memory';
import type { ThpMode } from '../mm/kernel';
import type { Output } from './main';
import { readHostFile, readTextFile, scenarioFilesOnDisk } from './node-file-access';
import { isToy6Scenario } from '../toy6/parser';
import { runToy6Command } from './toy6-run-command';
import { progressLine } from './progress-line';

/** --pkeys on|off, or host (the default): whether this machine's CPU has protection keys (/proc/cpuinfo). */
function pkeysOption(value: string | undefined, host: Partial<ScenarioSettings>): boolean {
  if (value === 'on' || value === 'off') return value === 'on';
  if (value !== undefined && value !== 'host') throw new UsageError(`--pkeys takes on, off or host, not '${value}'`);
  return host.pkeys ?? DEFAULT_SETTINGS.pkeys;
}

/**
 * --zero-page on (the default, as Linux does), off, or host: whether read faults map the zero page.
 * `host` follows this machine's kernel (/proc/cmdline), which a PVM guest can boot without it.
 */
function forbidsZeroPageOption(value: string | undefined): boolean {
  if (value === undefined || value === 'on' || value === 'off') return value === 'off';
  if (value !== 'host') throw new UsageError(`--zero-page takes on, off or host, not '${value}'`);
  const cmdline = readHostFile('/proc/cmdline');
  return cmdline === undefined ? DEFAULT_SETTINGS.forbidsZeroPage : zeroPageForbiddenByCmdline(cmdline);
}

/**
 * --thp always|madvise|never, or host (the default): /sys/kernel/mm/transparent_hugepage/enabled at boot,
 * this machine's where readable, else madvise. `set thp` in the scenario changes it from its line on.
 */
function thpOption(value: string | undefined): ThpMode {
  const mode = THP_MODES.find((m) => m === value);
  if (mode) return mode;
  if (value !== undefined && value !== 'host') throw new UsageError(`--thp takes always, madvise, never or host, not '${value}'`);
  return thpModeFromSysfs(readHostFile('/sys/kernel/mm/transparent_hugepage/enabled')) ?? 'madvise';
}

/** asx run SCENARIO.aspace [--json] [--pkeys on|off|host] [--zero-page on|off|host] [--thp always|madvise|never|host]: each show statement's output; exit 0, 1 (an expect failed) or 2 (cannot run). */
export async function runRunCommand(argv: readonly string[], out: Output, err: Output): Promise<number> {
  const args = parseArguments(argv, ['--pkeys', '--zero-page', '--thp'], ['--json']);
  // This machine's CPU: its protection keys and the hwcaps level that ld.so's library search sees.
  const host = machineFromCpuinfo(readHostFile('/proc/cpuinfo'));
  const pkeys = pkeysOption(lastOption(args, '--pkeys'), host);
  const forbidsZeroPage = forbidsZeroPageOption(lastOption(args, '--zero-page'));
  const thp = thpOption(lastOption(args, '--thp'));
  const [file] = args.positional;
  if (!file || args.positional.length > 1) throw new UsageError('asx run needs exactly one SCENARIO.aspace');
  const text = readTextFile(file);
  // `set machine toy6` as the first statement: the 6-bit teaching machine runs it instead of Linux.
  if (isToy6Scenario(text)) return runToy6Command(text, file, args.flags.has('--json'), out, err);
  let outcome;
  const progress = progressLine(err);
  try {
    outcome = await runScenario(text, file, scenarioFilesOnDisk(file), { host: { ...host, pkeys, forbidsZeroPage, thp }, checkpoints: false, ...progress.control });
  } catch (error) {
    progress.clear();
    if (error instanceof ScenarioError) {
      err.write(`${file}:${error.line}:${error.column}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  progress.clear();
  if (!outcome.ok) {
    for (const d of outcome.diagnostics) err.write(`${formatDiagnostic(file, d)}\n`);
    return 2;
  }
  const run = outcome.run;
  if (args.flags.has('--json')) {
    const shows = run.steps.flatMap((step, i) => (step.output === undefined ? [] : [{ line: step.line, statement: run.statements[i]?.text, output: step.output }]));
    const events = run.steps.flatMap((s) => (s.events ?? []).map((e) => ({ line: s.line, ...e })));
    out.write(`${JSON.stringify({ file, shows, failures: run.failures, notes: run.steps.flatMap((s) => s.notes.map((note) => ({ line: s.line, note }))), events }, null, 2)}\n`);
  } else {
    for (const [i, step] of run.steps.entries()) {
      if (step.output === undefined) continue;
      out.write(`# ${step.line}: ${run.statements[i]?.text}\n${step.output}`);
    }
  }
  // In line order: each statement's failed calls and deaths (notes), then its failed expectations.
  for (const step of run.steps) {
    for (const event of step.events ?? []) err.write(`${formatEvent(file, step.line, event)}\n`);
    for (const failure of step.failures) err.write(`${file}:${failure.replace(/^line /, '')}\n`);
  }
  return run.failures.length ? 1 : 0;
}
