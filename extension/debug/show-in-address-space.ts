import * as vscode from 'vscode';
import type { FileAccess } from '../../simulator/elf';
import { readLiveProcess } from '../../simulator/live';
import { hexInValue, regionOf, symbolAt, translateLive, type LiveTranslation } from '../../simulator/live/translate-live';
import type { LiveHost, LivePanels } from '../live/live-commands';
import type { DebuggeeTrackers } from './debuggee-trackers';

export const SHOW_IN_ADDRESS_SPACE = 'addressSpaceExplorer.showInAddressSpace';

/** Opens a file of a debuggee's mapping for its symbols (the Node host), closed after use. */
export type OpenMappedFile = (path: string) => Promise<FileAccess & { close(): void }>;

/** What the Variables and Watch views hand a `debug/variables/context` command. */
interface VariablesContext {
  readonly sessionId?: string;
  readonly variable?: { readonly name?: string; readonly value?: string; readonly evaluateName?: string };
  /** A watch expression's value, where a Watch view hands the expression itself. */
  readonly value?: string;
  readonly name?: string;
}

const MAX_SYMBOL_FILE = 2 ** 31;

/**
 * Where `address` leads in process `pid`, read now: the region (maps), the page (pagemap, kpagecount)
 * and, when the region maps an ELF file, the symbol there. Throws when the process cannot be read.
 */
export async function translateInProcess(host: LiveHost, pid: number, address: bigint, open?: OpenMappedFile): Promise<LiveTranslation> {
  const reader = host.reader() as ReturnType<LiveHost['reader']> & { close?(): void };
  try {
    const process = readLiveProcess(reader, pid, { smaps: false });
    const vma = regionOf(process, address);
    let symbol: string | undefined;
    if (vma && open && vma.path.startsWith('/') && vma.inode !== 0) {
      // The file as the process sees it (its root may differ from ours: a container, a chroot).
      const file = await open(`/proc/${pid}/root${vma.path}`).catch(() => undefined);
      try {
        if (file && file.size < MAX_SYMBOL_FILE) symbol = await symbolAt(file, vma, address).catch(() => undefined);
      } finally {
        file?.close();
      }
    }
    return translateLive(reader, process, address, symbol);
  } finally {
    reader.close?.();
  }
}

/** The address the command was given: a variable's value, a string, or one typed in. */
async function addressOf(arg: unknown): Promise<{ value: bigint; sessionId?: string } | undefined> {
  if (typeof arg === 'string') {
    const value = hexInValue(arg);
    return value === undefined ? undefined : { value };
  }
  const context = typeof arg === 'object' && arg !== null ? (arg as VariablesContext) : undefined;
  const text = context?.variable?.value ?? context?.value;
  if (typeof text === 'string') {
    const value = hexInValue(text);
    if (value === undefined) {
      void vscode.window.showWarningMessage(vscode.l10n.t('{0} is not an address: its value {1} holds no hex number.', context?.variable?.name ?? context?.name ?? 'The variable', text.slice(0, 80)));
      return undefined;
    }
    return { value, ...(typeof context?.sessionId === 'string' ? { sessionId: context.sessionId } : {}) };
  }
  const typed = await vscode.window.showInputBox({
    title: vscode.l10n.t('Show in Address Space'),
    prompt: vscode.l10n.t('An address in the address space of the program being debugged'),
    placeHolder: '0x7ffff7ff0000',
    validateInput: (value) => (hexInValue(value) === undefined ? vscode.l10n.t('a hex address: 0x… or 8 to 16 hex digits') : undefined),
  });
  const value = typed === undefined ? undefined : hexInValue(typed);
  return value === undefined ? undefined : { value };
}

/**
 * Show in Address Space (the Variables and Watch views' context menu, or the palette while a debug
 * session is stopped): the value translated in the debuggee's address space, its live view opened
 * beside the editor with the region selected and the translation said. Resolves with the translation.
 */
export async function showInAddressSpace(trackers: DebuggeeTrackers, panels: LivePanels, host: LiveHost, open: OpenMappedFile | undefined, arg?: unknown): Promise<LiveTranslation | undefined> {
  const tracked = trackers.tracked(typeof arg === 'object' && arg !== null ? (arg as VariablesContext).sessionId : undefined);
  if (!tracked) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Show in Address Space needs a debug session: start debugging a program, then use it on a pointer in the Variables or Watch view.'));
    return undefined;
  }
  const address = await addressOf(arg);
  if (!address) return undefined;
  const pid = await trackers.pidOf(tracked);
  if (pid === undefined) return undefined;
  let translation: LiveTranslation;
  try {
    translation = await translateInProcess(host, pid, address.value, open);
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('The address space of pid {0} could not be read: {1}', pid, error instanceof Error ? error.message : String(error)));
    return undefined;
  }
  const panel = panels.get(pid) ?? panels.open(pid, true);
  panel.panel.reveal(undefined, true);
  if (translation.region) panel.reveal({ address: translation.address, start: translation.region.start, summary: translation.summary });
  const copy = vscode.l10n.t('Copy');
  void vscode.window.showInformationMessage(translation.summary, copy).then((choice) => {
    if (choice === copy) void vscode.env.clipboard.writeText(translation.summary);
  });
  return translation;
}
