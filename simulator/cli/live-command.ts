// asx ps, asx maps --pid and asx smaps --pid: live processes through /proc (simulator/live).
import { explainLines } from '../live/explain-text';
import { listProcesses, sortProcessRows, type ProcessSort } from '../live/processes';
import { readLiveProcess } from '../live/process';
import { ProcFileError } from '../live/proc-reader';
import type { LiveVma, ProcessRow } from '../live/types';
import { lastOption, parseArguments, UsageError } from './arguments';
import type { Output } from './main';
import { NodeProcReader } from './node-proc-reader';

const SORTS: readonly ProcessSort[] = ['rss', 'pss', 'uss', 'swap', 'pid'];

function parsePid(text: string | undefined, command: string): number {
  if (text === undefined) throw new UsageError(`${command} needs --pid PID`);
  if (!/^\d{1,10}$/.test(text) || Number(text) === 0) throw new UsageError(`--pid must be a process id, not '${text}'`);
  return Number(text);
}

/** asx ps [--sort rss|pss|uss|swap|pid] [--json]: every readable process, like smem. */
export function runPsCommand(argv: readonly string[], out: Output, err: Output): number {
  const args = parseArguments(argv, ['--sort'], ['--json']);
  if (args.positional.length) throw new UsageError(`asx ps takes no FILE, not '${args.positional[0]}'`);
  const sort = (lastOption(args, '--sort') ?? 'pss') as ProcessSort;
  if (!SORTS.includes(sort)) throw new UsageError(`--sort must be rss, pss, uss, swap or pid, not '${sort}'`);
  const reader = new NodeProcReader();
  const { rows, errors } = listProcesses(reader);
  sortProcessRows(rows, sort);
  if (args.flags.has('--json')) out.write(`${JSON.stringify(rows, null, 1)}\n`);
  else out.write(renderPs(rows));
  if (errors.length) err.write(`asx ps: ${errors.length} process${errors.length === 1 ? '' : 'es'} could not be read, e.g. ${errors[0]}\n`);
  return 0;
}

/** The smem-like table: sizes in kB, the command last and whole. */
export function renderPs(rows: readonly ProcessRow[]): string {
  const userWidth = Math.max(4, ...rows.map((r) => r.user.length));
  const line = (pid: string, user: string, rss: string, pss: string, uss: string, swap: string, command: string) =>
    `${pid.padStart(7)} ${user.padEnd(userWidth)} ${rss.padStart(9)} ${pss.padStart(9)} ${uss.padStart(9)} ${swap.padStart(9)} ${command}\n`;
  let text = line('PID', 'USER', 'RSS kB', 'PSS kB', 'USS kB', 'SWAP kB', 'COMMAND');
  for (const r of rows) text += line(String(r.pid), r.user, String(r.rssKb), String(r.pssKb), String(r.ussKb), String(r.swapKb), r.command.length > 200 ? `${r.command.slice(0, 199)}…` : r.command);
  return text;
}

/** Whether `asx maps ARGV` asks for a live process: --pid before the FILE (after it, the word is the program's). */
export function wantsLivePid(argv: readonly string[], valued: readonly string[]): boolean {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--pid' || word.startsWith('--pid=')) return true;
    if (word === '--') return false;
    if (valued.includes(word)) i++;
    else if (!word.startsWith('-')) return false;
  }
  return false;
}

/** asx maps --pid PID: the live /proc/PID/maps, as the kernel prints it. */
export function runLiveMapsCommand(argv: readonly string[], out: Output): number {
  const args = parseArguments(argv, ['--pid'], []);
  if (args.positional.length) throw new UsageError(`asx maps --pid takes no FILE, not '${args.positional[0]}'`);
  const pid = parsePid(lastOption(args, '--pid'), 'asx maps');
  const text = new NodeProcReader().readText(`${pid}/maps`);
  if (text === '') throw new ProcFileError(`/proc/${pid}/maps`, 'EMPTY', pid);
  out.write(text);
  return 0;
}

/** The --json form of one VMA: addresses and offsets as hex strings, fields in kB. */
function vmaJson(v: LiveVma) {
  const base = { start: v.start, end: v.end, perms: v.perms, offset: v.offset, dev: v.dev, inode: v.inode, path: v.path, fields: v.fields };
  if (!v.explain) return base;
  const { groups, pssKb, exact } = v.explain;
  return { ...base, explain: { groups: groups.map((g) => ({ kind: g.kind, mapcount: g.mapcount, pages: g.pages, pssBytes: g.pssBytes })), pssKb, exact } };
}

/** asx smaps --pid PID [--explain] [--json] [--freeze]: the live smaps, and where Pss comes from. */
export function runSmapsCommand(argv: readonly string[], out: Output, err: Output): number {
  const args = parseArguments(argv, ['--pid'], ['--explain', '--json', '--freeze']);
  if (args.positional.length) throw new UsageError(`asx smaps reads a live process: use --pid PID, not '${args.positional[0]}'`);
  const pid = parsePid(lastOption(args, '--pid'), 'asx smaps');
  const explain = args.flags.has('--explain');
  const reader = new NodeProcReader();
  try {
    const p = readLiveProcess(reader, pid, { explain, freeze: args.flags.has('--freeze') });
    if (args.flags.has('--json')) {
      // One VMA at a time: 64k VMAs make a 60 MB document.
      out.write(`{"pid":${pid},"vmas":[`);
      p.vmas.forEach((v, i) => out.write(`${i ? ',' : ''}${JSON.stringify(vmaJson(v))}`));
      out.write(']}\n');
    }
    else {
      for (const v of p.vmas) out.write(explain ? v.smapsText + explainLines(v) : v.smapsText);
    }
    for (const w of p.warnings) err.write(`asx smaps: ${w}\n`);
    if (p.frozen) err.write(`asx smaps: pid ${pid} was stopped (SIGSTOP) while it was read and continued (SIGCONT) after\n`);
    return p.vmas.length || !p.warnings.length ? 0 : 1;
  } finally {
    reader.close();
  }
}
