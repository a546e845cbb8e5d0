import { formatDiagnostic } from '../scenario/diagnostics';
import { formatEvent } from '../scenario/events';
import { ScenarioError } from '../scenario/prepare';
import { streamScenario } from '../scenario/stream-run';
import type { Statement } from '../scenario/ast';
import type { StepRecord } from '../scenario/step-record';
import { JsonReport } from './run-json-report';
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
  const json = args.flags.has('--json');
  const report = json ? new JsonReport(file) : undefined;
  // Written once the run is over (a statement the simulator refuses midway prints nothing but its error;
  // no output crosses the progress line): the shows' output, then on stderr, in line order, each
  // statement's failed calls and deaths and its failed expectations.
  const shown: string[] = [];
  const said: string[] = [];
  let failures = 0;
  const take = (statement: Statement, step: StepRecord) => {
    if (report) report.add(statement, step);
    else if (step.output !== undefined) shown.push(`# ${step.line}: ${statement.text}\n${step.output}`);
    for (const event of step.events ?? []) said.push(formatEvent(file, step.line, event));
    for (const failure of step.failures) said.push(`${file}:${failure.replace(/^line /, '')}`);
    failures += step.failures.length;
  };
  let outcome;
  const progress = progressLine(err);
  try {
    outcome = await streamScenario(text, scenarioFilesOnDisk(file), { host: { ...host, pkeys, forbidsZeroPage, thp }, ...progress.control }, take);
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
  out.write(report ? report.text() : shown.join(''));
  for (const line of said) err.write(`${line}\n`);
  return failures ? 1 : 0;
}
