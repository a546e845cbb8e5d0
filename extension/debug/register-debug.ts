import * as vscode from 'vscode';
import type { LiveHost, LivePanels } from '../live/live-commands';
import { DebuggeeHover } from './debuggee-hover';
import { DebuggeeTrackers } from './debuggee-trackers';
import { SHOW_IN_ADDRESS_SPACE, showInAddressSpace } from './show-in-address-space';

/**
 * The program being debugged (issue 12): a tracker on every debug session that follows its
 * debuggee's live view at each stop, Show in Address Space, and the hover while stopped.
 * Only where live processes can be read (the desktop's Node host).
 */
export function registerDebugSupport(panels: LivePanels, host: LiveHost, log: vscode.LogOutputChannel): { trackers: DebuggeeTrackers; disposables: vscode.Disposable[] } {
  const trackers = new DebuggeeTrackers(panels, host, log);
  const hover = new DebuggeeHover(trackers, host, host.openFile);
  return {
    trackers,
    disposables: [
      trackers,
      hover,
      vscode.commands.registerCommand(SHOW_IN_ADDRESS_SPACE, (arg?: unknown) => showInAddressSpace(trackers, panels, host, host.openFile, arg)),
    ],
  };
}
