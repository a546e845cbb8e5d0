import * as vscode from 'vscode';
import type { ViewRegistry } from '../elf-editor/view-registry';
import { ASLR_MODES, EXPORT_FORMATS, type AslrMode, type ExportFormat } from '../../webview/view-models';

const NO_VIEW = 'Open an ELF file in Address Space Explorer first.';

const ASLR_LABELS: Readonly<Record<AslrMode, string>> = {
  off: 'off — randomize_va_space 0 (setarch -R)',
  on: 'on — randomize_va_space 1: stack, mmap and PIE base',
  full: 'full — randomize_va_space 2: also brk',
};

/** Palette commands that act on the active ELF view, as its toolbar does. */
export function registerLayoutCommands(views: ViewRegistry): vscode.Disposable[] {
  const withView = <A extends unknown[]>(run: (view: NonNullable<ReturnType<ViewRegistry['activeLayout']>>, ...args: A) => Promise<unknown>) => async (...args: A) => {
    const active = views.activeLayout();
    if (!active) return void vscode.window.showInformationMessage(NO_VIEW);
    try {
      await run(active, ...args);
    } catch (error) {
      void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
    }
  };
  return [
    vscode.commands.registerCommand('addressSpaceExplorer.setAslr', withView(async ({ view }, mode?: AslrMode) => {
      const aslr = mode ?? (await vscode.window.showQuickPick(ASLR_MODES.map((m) => ({ label: m, description: ASLR_LABELS[m] })), { title: vscode.l10n.t('ASLR mode') }))?.label;
      if (aslr && ASLR_MODES.includes(aslr)) await view.channel.post({ kind: 'event', event: 'setAslr', params: { aslr } });
    })),
    vscode.commands.registerCommand('addressSpaceExplorer.rerollSeed', withView(async ({ view }) => {
      await view.channel.post({ kind: 'event', event: 'reroll', params: {} });
    })),
    vscode.commands.registerCommand('addressSpaceExplorer.copyMaps', withView(async ({ view, params }) => {
      const { lines } = await view.handlers.copyMaps(params);
      void vscode.window.setStatusBarMessage(`Copied ${lines} lines of /proc/PID/maps`, 3000);
    })),
    vscode.commands.registerCommand('addressSpaceExplorer.export', withView(async ({ view, params }, format?: ExportFormat) => {
      const chosen = format ?? (await vscode.window.showQuickPick([...EXPORT_FORMATS], { title: vscode.l10n.t('Export the address space as') }));
      if (chosen && (EXPORT_FORMATS as readonly string[]).includes(chosen)) await view.handlers.export({ ...params, format: chosen as ExportFormat });
    })),
  ];
}
