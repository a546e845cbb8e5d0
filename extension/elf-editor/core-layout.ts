// A core file (ET_CORE) in the ELF view: read with live/'s readCore, its regions as the layout the
// map and the maps table show, and the process, the crash and the registers for the Core tab.
import type * as vscode from 'vscode';
import { readCore, type CoreAddress, type CoreDump, type CoreRegion } from '../../simulator/live/core';
import { coreMapsLine } from '../../simulator/live/core-maps';
import type { CoreAddressView, CoreView } from '../../webview/core-view-model';
import type { LayoutView, RegionOwner, RegionView } from '../../webview/view-models';
import type { FileOpener, HostFile } from '../files/file-opener';

const PERMS_SOURCES: Readonly<Record<CoreRegion['permsSource'], string>> = {
  core: "permissions from the core's PT_LOAD (exact)",
  'core+file': "w and x from gcore's PT_LOAD, r from the mapped file's program headers",
  file: "not dumped: permissions from the mapped file's program headers",
  'core-guess': "w and x from gcore's PT_LOAD, r guessed",
  guess: 'permissions guessed: nothing in the core says',
};

const kib = (bytes: number) => `${(bytes / 1024).toLocaleString('en-US')} KiB`;

/** Reads the core, opening the files it mapped (by their NT_FILE paths, inside `sysroot`) for what gcore leaves out. */
export async function readCoreDocument(file: HostFile, sysroot: vscode.Uri, opener: FileOpener): Promise<CoreDump> {
  const opened: HostFile[] = [];
  try {
    return await readCore(file.access, {
      openMappedFile: async (path) => {
        try {
          const mapped = await opener.openInSysroot(sysroot, path);
          opened.push(mapped);
          return mapped.access;
        } catch {
          return undefined;
        }
      },
    });
  } finally {
    for (const f of opened) f.dispose();
  }
}

function owner(r: CoreRegion, executable: string | undefined): RegionOwner {
  if (r.name === '[stack]') return 'stack';
  if (r.name && r.name !== '[heap]') return 'kernel';
  if (r.path !== undefined) return r.path === executable ? 'program' : 'interpreter';
  return 'anonymous';
}

function description(r: CoreRegion, dump: CoreDump): string {
  const size = Number(BigInt(r.end) - BigInt(r.start));
  const parts = [
    r.dumpedBytes === 0 ? 'not in the core (no bytes dumped)' : `${kib(r.dumpedBytes)} of ${kib(size)} dumped${r.segment !== undefined ? ` (program header ${r.segment})` : ''}`,
    PERMS_SOURCES[r.permsSource],
  ];
  if (!r.known.name && (r.name ?? r.path)) parts.push(`the name ${r.name ?? r.path} is inferred`);
  if (dump.crash?.region !== undefined && dump.regions[dump.crash.region] === r) parts.push(`the crashing instruction (${dump.crash.address}) is here`);
  if (dump.faultAddress?.region !== undefined && dump.regions[dump.faultAddress.region] === r) parts.push(`the fault address (${dump.faultAddress.address}) is here`);
  return parts.join(' · ');
}

/** The core's regions as a layout: maps lines as the kernel printed them, in address order. */
export function coreLayout(dump: CoreDump): LayoutView {
  const regions: RegionView[] = dump.regions.map((r) => {
    const line = coreMapsLine(r);
    const [range = '', perms = r.perms, offset = '', device = '', inode = ''] = line.split(/\s+/);
    return {
      start: r.start, end: r.end, line, range, perms, offset, device, inode, name: r.path ?? r.name ?? '',
      owner: owner(r, dump.executable), description: description(r, dump), linkStart: null, linkEnd: null,
    };
  });
  const entry = dump.auxv.AT_ENTRY ?? '0x0';
  return { kind: 'layout', aslr: 'off', seed: '0', regions, loadBias: '0x0', entry, interpreter: null, incomplete: null };
}

function addressView(a: CoreAddress | undefined, dump: CoreDump): CoreAddressView | null {
  if (!a) return null;
  const r = a.region === undefined ? undefined : dump.regions[a.region];
  if (!r) return { address: a.address, region: null, where: 'in no mapped region' };
  const offset = BigInt(a.address) - BigInt(r.start) + BigInt(r.offset);
  const what = r.path ?? r.name ?? 'anonymous memory';
  return { address: a.address, region: a.region ?? null, where: `in ${what} ${r.perms} ${r.start.slice(2)}-${r.end.slice(2)}${r.path ? ` at file offset 0x${offset.toString(16)}` : ''}` };
}

/** The Core tab's model. */
export function coreView(dump: CoreDump): CoreView {
  const s = dump.signal;
  return {
    machine: dump.machine,
    producer: dump.producer === 'kernel' ? 'the kernel (do_coredump)' : dump.producer === 'gdb' ? "gdb's gcore" : 'unknown',
    pid: dump.process?.pid ?? null,
    command: dump.process?.fname ?? null,
    commandLine: dump.process?.psargs ?? null,
    executable: dump.executable ?? null,
    signal: s ? `${s.name}${s.codeName ? ` (${s.codeName})` : ''}` : null,
    crash: addressView(dump.crash, dump),
    faultAddress: addressView(dump.faultAddress, dump),
    threads: dump.threads.map((t) => ({ tid: t.tid, signal: t.signal, registers: Object.entries(t.registers) })),
    notes: dump.notes,
    warnings: dump.warnings,
  };
}
