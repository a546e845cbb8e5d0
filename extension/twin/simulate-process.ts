import * as vscode from 'vscode';
import { ElfDocument } from '../elf-editor/elf-document';
import type { ViewRegistry } from '../elf-editor/view-registry';
import type { FileOpener } from '../files/file-opener';
import type { LiveHost, LivePanels } from '../live/live-commands';
import { pickProcess } from '../live/process-pick';
import { COMMANDS } from '../scenario/commands/command-ids';
import { sysrootUri } from '../settings';
import type { TwinDocuments } from './twin-documents';
import { TwinError, twinOfCore, twinOfProcess, type TwinSource } from './twin-source';

/** What Simulate This Process needs from the rest of the extension. */
export interface TwinContext {
  readonly twins: TwinDocuments;
  readonly views: ViewRegistry;
  readonly opener: FileOpener;
  readonly log: vscode.LogOutputChannel;
  /** Absent in VS Code for the Web: no /proc there. */
  readonly live?: LiveHost;
  readonly panels?: LivePanels;
}

export const NEEDS_DESKTOP_FOR_TWIN = 'Address Space: Simulate This Process needs VS Code on the desktop (or a remote window) for a running process: it is read from /proc of the machine the extension runs on. A core file can be simulated anywhere (its Core tab).';

/** What the command was asked to simulate: a pid, or a core file. */
export type TwinTarget = { readonly pid: number } | { readonly core: vscode.Uri };

/** The target from the command's argument, else the active live view or core file, else undefined (ask). */
export function twinTarget(arg: unknown, ctx: TwinContext): TwinTarget | undefined {
  if (typeof arg === 'number' && Number.isSafeInteger(arg) && arg > 0) return { pid: arg };
  if (typeof arg === 'string' && /^\d{1,10}$/.test(arg.trim()) && Number(arg) > 0) return { pid: Number(arg) };
  if (arg instanceof vscode.Uri) return { core: arg };
  const live = ctx.panels?.active();
  if (live) return { pid: live.session.pid };
  const elf = ctx.views.all().find((v) => v.panel.active && v.document.isCore);
  return elf ? { core: elf.document.uri } : undefined;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

async function readProcess(pid: number, ctx: TwinContext, live: LiveHost): Promise<TwinSource> {
  const reader = live.reader() as ReturnType<LiveHost['reader']> & { close?(): void };
  // A debuggee is never sent SIGSTOP: its debugger would take it for the program's signal.
  const debuggee = ctx.panels?.get(pid)?.session.status().debug !== undefined;
  try {
    const program = live.executable?.(pid);
    return twinOfProcess(reader, pid, { freeze: !debuggee, ...(program ? { program } : {}) });
  } finally {
    reader.close?.();
  }
}

async function readCore(uri: vscode.Uri, ctx: TwinContext): Promise<TwinSource> {
  const view = ctx.views.all().find((v) => v.document.uri.toString() === uri.toString());
  const document = view?.document ?? (await ElfDocument.open(uri, ctx.opener));
  try {
    if (!document.isCore) throw new TwinError(`${uri.path.split('/').pop()} is not a core file (ET_CORE): open a program with the ELF view, or a running process with Open Process…`);
    return twinOfCore(await document.core(sysrootUri(uri), ctx.opener), uri.path.split('/').pop() || 'core');
  } finally {
    if (!view) document.dispose();
  }
}

/**
 * Simulate This Process: reads the process (or the core), writes its twin scenario, opens it beside as
 * an untitled `.aspace` document and runs it, so the scenario panel shows it. Resolves with the twin's
 * document, or undefined when it was cancelled or failed (said in one line).
 */
export async function simulateProcess(arg: unknown, ctx: TwinContext): Promise<vscode.Uri | undefined> {
  let target = twinTarget(arg, ctx);
  if (!target && ctx.live) {
    const reader = ctx.live.reader() as ReturnType<LiveHost['reader']> & { close?(): void };
    try {
      const pid = await pickProcess(reader);
      if (pid !== undefined) target = { pid };
    } finally {
      reader.close?.();
    }
  }
  if (!target) {
    if (!ctx.live) void vscode.window.showErrorMessage(NEEDS_DESKTOP_FOR_TWIN);
    return undefined;
  }
  const live = ctx.live;
  if ('pid' in target && !live) {
    void vscode.window.showErrorMessage(NEEDS_DESKTOP_FOR_TWIN);
    return undefined;
  }
  const what = 'pid' in target ? `pid ${target.pid}` : (target.core.path.split('/').pop() ?? 'the core');
  let source: TwinSource | undefined;
  try {
    source = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Simulate This Process: {0}', what), cancellable: true }, async (progress, token) => {
      progress.report({ message: 'pid' in target ? vscode.l10n.t('reading smaps, pagemap and kpagecount…') : vscode.l10n.t('reading the core…') });
      await tick();
      if (token.isCancellationRequested) return undefined;
      const made = 'pid' in target ? await readProcess(target.pid, ctx, live as LiveHost) : await readCore(target.core, ctx);
      return token.isCancellationRequested ? undefined : made;
    });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    if (!(error instanceof TwinError)) ctx.log.error(`Simulate This Process (${what}): ${error instanceof Error ? (error.stack ?? message) : message}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('Simulate This Process: {0}', message ?? ''));
    return undefined;
  }
  if (!source) return undefined;
  const document = await ctx.twins.open(source);
  for (const note of source.twin.notes.slice(0, 3)) ctx.log.info(`${source.title}: ${note}`);
  await vscode.commands.executeCommand(COMMANDS.run, document.uri);
  return document.uri;
}
