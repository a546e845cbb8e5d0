import * as vscode from 'vscode';
import { listProcesses, sortProcessRows, type ProcessRow, type ProcReader } from '../../simulator/live';

type ProcessItem = vscode.QuickPickItem & { readonly pid: number };

const kb = (n: number) => `${n.toLocaleString('en-US')} kB`;

/** A quick-pick item: the command, then PID, user and the numbers smem shows. */
export function processItem(row: ProcessRow, self: number): ProcessItem {
  return {
    pid: row.pid,
    label: row.command.length > 120 ? `${row.command.slice(0, 119)}…` : row.command,
    description: `PID ${row.pid} · ${row.user}${row.pid === self ? ' · this VS Code extension host' : ''}`,
    detail: `Pss ${kb(row.pssKb)} · Rss ${kb(row.rssKb)} · USS ${kb(row.ussKb)} · Swap ${kb(row.swapKb)}`,
  };
}

/**
 * The process picker of Address Space: Open Process…: every readable process (smaps_rollup), largest
 * Pss first. Type to filter by command, PID or user. Resolves with the pid, or undefined when dismissed.
 */
export async function pickProcess(reader: ProcReader): Promise<number | undefined> {
  const pick = vscode.window.createQuickPick<ProcessItem>();
  pick.title = 'Open Process: the address space of a running process';
  pick.placeholder = 'Type a command, PID or user (sorted by Pss, largest first)';
  pick.matchOnDescription = true;
  pick.matchOnDetail = false;
  pick.busy = true;
  pick.show();
  // The list is read after the picker shows: a few hundred small files.
  setTimeout(() => {
    try {
      const { rows, errors } = listProcesses(reader);
      pick.items = sortProcessRows(rows, 'pss').map((row) => processItem(row, process.pid));
      if (errors.length > 0) pick.title = `Open Process: ${errors.length} process${errors.length === 1 ? '' : 'es'} could not be read (permission denied: run VS Code as their user or as root)`;
      if (rows.length === 0) pick.placeholder = `No readable process: ${errors[0] ?? '/proc is empty'}`;
    } catch (error) {
      pick.placeholder = `Cannot list the processes: ${error instanceof Error ? error.message : String(error)}`;
    }
    pick.busy = false;
  }, 0);
  return new Promise((resolve) => {
    let chosen: number | undefined;
    pick.onDidAccept(() => {
      chosen = pick.selectedItems[0]?.pid;
      pick.hide();
    });
    pick.onDidHide(() => {
      pick.dispose();
      resolve(chosen);
    });
  });
}
