// One live process: smaps (or maps), smaps_rollup, status, and on request the Pss explainer
// and the pages, with the VMAs whose smaps changed while they were read read again.
import { scanPages, type ScanTarget } from './page-scan';
import { OwnMappings } from './own-mappings';
import { asProcFileError, ProcFileError } from './proc-reader';
import { parseKbFields, parseStatus } from './status';
import type { KpageAccess, LiveProcess, LiveStatus, ProcReader, ReadLiveOptions } from './types';
import { looksShmem, parseLiveVmas, skipKind, type MutableVma } from './vmas';

/** Pages a VMA may have and still be read for the grid when smaps says nothing is there. */
const SMALL_VMA_PAGES = 65536;
/** The end of x86-64's 4-level user address space (TASK_SIZE_MAX rounded up). */
const USER_TOP = 1n << 47n;

/**
 * Reads process `pid`. Throws ProcFileError when nothing can be read (the process is gone,
 * or access is denied); a file failing after that becomes a warning and a partial result.
 */
export function readLiveProcess(reader: ProcReader, pid: number, options: ReadLiveOptions = {}): LiveProcess {
  const warnings: string[] = [];
  const tryRead = <T>(path: string, parse: (text: string) => T): T | undefined => {
    try {
      const text = reader.readText(path);
      if (text === '') throw new ProcFileError(`/proc/${path}`, 'EMPTY', pid);
      return parse(text);
    } catch (error) {
      warnings.push(asProcFileError(error, path).message);
      return undefined;
    }
  };
  let command: string;
  try {
    command = reader.readText(`${pid}/comm`).replace(/\n$/, '');
  } catch (error) {
    throw asProcFileError(error, `${pid}/comm`);
  }
  const cmdline = tryRead(`${pid}/cmdline`, (t) => t.split('\0').filter((a, i, all) => a !== '' || i < all.length - 1)) ?? [];
  const status = tryRead(`${pid}/status`, parseStatus);
  const frozen = options.freeze ? freeze(reader, pid, status, warnings) : false;
  try {
    const file = options.smaps === false ? 'maps' : 'smaps';
    const own = options.explain && options.smaps !== false ? warmUp(reader, pid) : undefined;
    let text: string;
    try {
      own?.mark();
      text = reader.readText(`${pid}/${file}`);
    } catch (error) {
      throw asProcFileError(error, `${pid}/${file}`);
    }
    if (text === '') warnings.push(new ProcFileError(`/proc/${pid}/${file}`, 'EMPTY', pid).message);
    const parsed = parseLiveVmas(text, `pid ${pid} (/proc/${pid}/${file})`);
    warnings.push(...parsed.errors);
    const vmas = parsed.vmas;
    const rollup = options.smaps === false ? undefined : text === '' ? undefined : tryRead(`${pid}/smaps_rollup`, parseKbFields);
    let kpageAccess: KpageAccess | undefined;
    if ((options.explain || options.pages) && vmas.length) kpageAccess = explainVmas(reader, pid, vmas, options, warnings, own);
    return { pid, command, cmdline, ...(status ? { status } : {}), ...(rollup ? { rollup } : {}), vmas, ...(kpageAccess ? { kpageAccess } : {}), frozen, warnings };
  } finally {
    if (frozen) reader.signal?.(pid, 'SIGCONT');
  }
}

/**
 * Runs the explainer once over the target's [stack] before smaps is read, and finds our own
 * mappings of the files it maps. Our own process maps the node binary and libc too, and the first
 * run of the scan faults in more of their pages, which changes their mapcounts between smaps and
 * the scan (the observer effect): warmed up, there are fewer such pages, and OwnMappings tells
 * which they are.
 */
function warmUp(reader: ProcReader, pid: number): OwnMappings | undefined {
  try {
    const vmas = parseLiveVmas(reader.readText(`${pid}/maps`), 'maps').vmas;
    const stack = vmas.find((v) => v.path === '[stack]');
    if (stack) {
      const endVpn = Number(BigInt(stack.end) >> 12n);
      scanPages(reader, pid, [{ startVpn: Math.max(Number(BigInt(stack.start) >> 12n), endVpn - 16), endVpn, shmemGuess: false, wantPages: false, kernelRssKb: 64 }], { trustExclusive: true });
    }
    return OwnMappings.of(reader, pid, vmas);
  } catch {
    // The real read reports what fails.
    return undefined;
  }
}

/** SIGSTOP, unless the process is already stopped (then SIGCONT would wrongly wake it). */
function freeze(reader: ProcReader, pid: number, status: LiveStatus | undefined, warnings: string[]): boolean {
  if (!reader.signal) {
    warnings.push(`pid ${pid}: cannot freeze: this reader sends no signals`);
    return false;
  }
  if (status?.state.startsWith('T')) {
    warnings.push(`pid ${pid}: already stopped; left as it is`);
    return false;
  }
  try {
    reader.signal(pid, 'SIGSTOP');
  } catch (error) {
    warnings.push(`pid ${pid}: cannot freeze (SIGSTOP): ${(error as Error).message.split('\n')[0]}`);
    return false;
  }
  // SIGSTOP takes effect asynchronously: wait (briefly) until status says stopped.
  for (let i = 0; i < 200; i++) {
    try {
      if (parseStatus(reader.readText(`${pid}/status`)).state.startsWith('T')) break;
    } catch {
      break;
    }
  }
  return true;
}

const kb = (v: MutableVma, name: string): number | undefined => v.fields[name];

function targetOf(v: MutableVma, options: ReadLiveOptions): ScanTarget | undefined {
  // pagemap covers the user address space only: [vsyscall] (the gate area) is not in it.
  if (BigInt(v.start) >= USER_TOP) return undefined;
  const startVpn = Number(BigInt(v.start) >> 12n);
  const endVpn = Number(BigInt(v.end) >> 12n);
  const count = endVpn - startVpn;
  const wantPages = !!options.pages && count <= (options.maxPagesPerVma ?? 1 << 20);
  const rss = kb(v, 'Rss');
  const swap = kb(v, 'Swap');
  // smaps says nothing is mapped: skip the read unless a small VMA's grid is wanted (zero-page mappings are not in Rss).
  if (rss === 0 && (swap ?? 0) === 0 && !(wantPages && count <= SMALL_VMA_PAGES)) return undefined;
  return { startVpn, endVpn, skip: skipKind(v), shmemGuess: looksShmem(v), wantPages, kernelRssKb: rss, kernelPssKb: kb(v, 'Pss'), kernelSwapKb: swap, kernelSwapPssKb: kb(v, 'SwapPss') };
}

function explainVmas(reader: ProcReader, pid: number, vmas: MutableVma[], options: ReadLiveOptions, warnings: string[], own: OwnMappings | undefined): KpageAccess {
  const emptyExplain = { groups: [], pssKb: 0, exact: true, skippedPages: 0, notes: [] };
  let access: KpageAccess = 'full';
  let pending = vmas;
  for (let attempt = 0; ; attempt++) {
    const targets: ScanTarget[] = [];
    const owners: MutableVma[] = [];
    for (const v of pending) {
      const t = targetOf(v, options);
      if (t) {
        targets.push(t);
        owners.push(v);
      } else if (options.explain) v.explain = { ...emptyExplain, ...(kb(v, 'Pss') !== undefined ? { kernelPssKb: kb(v, 'Pss') } : {}) };
    }
    let result;
    try {
      // First pass: exclusive pages need no kpagecount read; a VMA read again reads every mapcount.
      result = scanPages(reader, pid, targets, { trustExclusive: attempt === 0, ownChanges: own && (() => own.since()) });
    } catch (error) {
      warnings.push(asProcFileError(error, `${pid}/pagemap`).message);
      return 'no-pagemap';
    }
    if (attempt === 0) warnings.push(...result.warnings);
    if (result.access !== 'full') access = result.access;
    owners.forEach((v, i) => {
      if (options.explain) v.explain = result.explains[i];
      const pages = result.pages[i];
      if (pages) v.pages = pages;
    });
    // A VMA whose smaps Pss and page-level Pss disagree changed while it was read: read it again.
    const changed = owners.filter((v) => v.explain?.exact && v.explain.kernelPssKb !== undefined && v.explain.pssKb !== v.explain.kernelPssKb);
    if (!changed.length || options.smaps === false) return access;
    // Each retry reads the whole smaps again: a process with thousands of VMAs gets one.
    if (attempt >= (options.retries ?? (vmas.length > 4096 ? 1 : 3))) {
      for (const v of changed) warnings.push(`pid ${pid} (/proc/${pid}/smaps): ${v.start.slice(2)}-${v.end.slice(2)} ${v.path}: Pss changed while it was read (smaps ${v.explain!.kernelPssKb} kB, pages ${v.explain!.pssKb} kB) ${attempt + 1} times`.replace(' : ', ': '));
      return access;
    }
    let fresh;
    try {
      own?.mark();
      fresh = parseLiveVmas(reader.readText(`${pid}/smaps`), `pid ${pid} (/proc/${pid}/smaps)`).vmas;
    } catch (error) {
      warnings.push(asProcFileError(error, `${pid}/smaps`).message);
      return access;
    }
    const byRange = new Map(fresh.map((v) => [`${v.start}-${v.end}`, v]));
    pending = [];
    for (const v of changed) {
      const now = byRange.get(`${v.start}-${v.end}`);
      if (!now) {
        warnings.push(`pid ${pid} (/proc/${pid}/smaps): ${v.start.slice(2)}-${v.end.slice(2)} was unmapped or changed while it was read`);
        continue;
      }
      v.fields = now.fields;
      v.smapsText = now.smapsText;
      v.vmFlags = now.vmFlags;
      pending.push(v);
    }
    if (!pending.length) return access;
  }
}
