// asx twin --pid PID | CORE: a real process (or a core) written as a scenario that rebuilds it;
// --compare runs that scenario and compares its smaps with the live ones, VMA by VMA.
import { readTwinInput, coreTwinInput } from '../live/twin-input';
import { twinScenario, type TwinScenario } from '../live/twin';
import { compareTwin, renderTwinComparison, type TwinComparison } from '../live/twin-compare';
import type { TwinInput } from '../live/twin-model';
import { thpModeFromSysfs } from '../mm/huge-memory';
import { formatDiagnostic } from '../scenario/diagnostics';
import { streamScenario } from '../scenario/stream-run';
import type { Statement } from '../scenario/ast';
import type { StepRecord } from '../scenario/step-record';
import { machineFromCpuinfo, zeroPageForbiddenByCmdline } from '../scenario/host-cpu';
import { lastOption, parseArguments, UsageError } from './arguments';
import { isCoreFilePath, readCoreFile } from './core-command';
import type { Output } from './main';
import { readHostFile, readLink, scenarioFilesOnDisk, writeTextFile } from './node-file-access';
import { NodeProcReader } from './node-proc-reader';

/** asx twin --pid PID | CORE [-o FILE] [--sharers N] [--compare] [--no-freeze]. */
export async function runTwinCommand(argv: readonly string[], out: Output, err: Output): Promise<number> {
  const args = parseArguments(argv, ['--pid', '-o', '--sharers'], ['--compare', '--no-freeze', '--json']);
  const pidText = lastOption(args, '--pid');
  const sharersText = lastOption(args, '--sharers');
  if (sharersText !== undefined && !/^\d{1,2}$/.test(sharersText)) throw new UsageError(`--sharers must be a number from 0 to 99, not '${sharersText}'`);
  const sharers = sharersText === undefined ? undefined : Number(sharersText);
  let input: TwinInput;
  if (pidText !== undefined) {
    if (args.positional.length) throw new UsageError(`asx twin --pid takes no FILE, not '${args.positional[0]}'`);
    if (!/^\d{1,10}$/.test(pidText) || Number(pidText) === 0) throw new UsageError(`--pid must be a process id, not '${pidText}'`);
    const pid = Number(pidText);
    // Not ours to read: the file mapped lowest stands for it.
    const program = readLink(`/proc/${pid}/exe`);
    input = readTwinInput(new NodeProcReader(), pid, { ...(program ? { program } : {}), freeze: !args.flags.has('--no-freeze') }).input;
  } else {
    const [file] = args.positional;
    if (!file || args.positional.length > 1) throw new UsageError('asx twin needs --pid PID or exactly one CORE file');
    if (!(await isCoreFilePath(file))) throw new UsageError(`${file} is not a core file (ET_CORE); for a running process use --pid PID`);
    input = coreTwinInput(await readCoreFile(file), file);
  }
  const thp = thpModeFromSysfs(readHostFile('/sys/kernel/mm/transparent_hugepage/enabled'));
  const twin = twinScenario(input, { ...(sharers === undefined ? {} : { sharers }), ...(thp ? { thp } : {}) });
  const outFile = lastOption(args, '-o');
  if (outFile !== undefined) writeTextFile(outFile, twin.text);
  for (const note of twin.notes) err.write(`asx twin: note: ${note}\n`);
  if (!args.flags.has('--compare')) {
    if (outFile === undefined) out.write(twin.text);
    return 0;
  }
  const comparison = await runAndCompare(input, twin, outFile ?? 'twin.aspace', err);
  if (!comparison) return 1;
  out.write(args.flags.has('--json') ? `${JSON.stringify(comparison, null, 1)}\n` : renderTwinComparison(comparison));
  return comparison.privateMatched === comparison.privateVmas ? 0 : 1;
}

/** Runs the twin as `asx run` would on this machine (streamed: no record kept) and compares its last `show smaps` with the live VMAs. */
export async function runAndCompare(input: TwinInput, twin: TwinScenario, fileName: string, err: Output): Promise<TwinComparison | undefined> {
  const host = machineFromCpuinfo(readHostFile('/proc/cpuinfo'));
  const cmdline = readHostFile('/proc/cmdline');
  const forbidsZeroPage = cmdline !== undefined && zeroPageForbiddenByCmdline(cmdline);
  let last: string | undefined;
  const take = (_statement: Statement, step: StepRecord) => {
    for (const note of step.notes) if (/failed|skipped|killed|out of memory/.test(note)) err.write(`asx twin: ${fileName}:${step.line}: ${note}\n`);
    if (step.output !== undefined) last = step.output;
  };
  const outcome = await streamScenario(twin.text, scenarioFilesOnDisk(fileName), { host: { ...host, forbidsZeroPage } }, take);
  if (!outcome.ok) {
    for (const d of outcome.diagnostics.slice(0, 5)) err.write(`asx twin: the twin does not run: ${formatDiagnostic(fileName, d)}\n`);
    return undefined;
  }
  return compareTwin(input, twin, last ?? '');
}
