// Helpers for the in-host suites: the extension's API, fixtures in the test workspace, asx's own output.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { AddressSpaceExplorerApi, ViewInfo } from '../../extension/api';

export const EXTENSION_ID = 'address-space-explorer.address-space-explorer';

export function extension(): vscode.Extension<AddressSpaceExplorerApi> {
  const ext = vscode.extensions.getExtension<AddressSpaceExplorerApi>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed in this host`);
  return ext;
}

export async function api(): Promise<AddressSpaceExplorerApi> {
  return extension().activate();
}

/** A file of the test workspace (the driver copies the ELF fixtures there). */
export function fixture(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the tests need a workspace folder');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** `asx maps` output lines for the same file, from the project's own CLI. */
export function asxMaps(file: vscode.Uri, ...options: string[]): string[] {
  const asx = join(extension().extensionPath, 'bin', 'asx.js');
  return execFileSync(process.execPath, [asx, 'maps', file.fsPath, ...options], { encoding: 'utf8' }).trimEnd().split('\n');
}

/** Resolves with the first view render of `uri` that satisfies `test` (checking renders already done first). */
export async function rendered(uri: vscode.Uri, test: (v: ViewInfo) => boolean = () => true, timeoutMs = 30_000): Promise<ViewInfo> {
  const explorer = await api();
  const matches = (v: ViewInfo) => v.uri === uri.toString() && !!v.rendered && test(v);
  const done = explorer.views().find(matches);
  if (done) return done;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`no matching render of ${uri.toString()} within ${timeoutMs} ms; views: ${JSON.stringify(explorer.views())}`));
    }, timeoutMs);
    const listener = explorer.onDidRender((v) => {
      if (!matches(v)) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(v);
    });
  });
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** A request as the webview sends it, through the same validation and handlers. */
export async function request(uri: vscode.Uri, method: string, params: unknown, id = 1): Promise<{ ok: boolean; result?: unknown; error?: string }> {
  const reply = await (await api()).deliver(uri, { kind: 'request', id, method, params });
  if (!reply) throw new Error('the request got no reply');
  if (reply.id !== id) throw new Error(`reply id ${reply.id} is not the request's ${id}`);
  return reply.ok ? { ok: true, result: reply.result } : { ok: false, error: reply.error };
}

interface PerformanceMarks {
  getMarks(): { name: string; startTime: number }[];
}

/**
 * The extension's activation as VS Code itself counts it ("Developer: Show Running Extensions"):
 * loading its code plus running activate(), from the extension host's performance marks.
 * Undefined when this VS Code does not keep those marks.
 */
export function activationTimes(): { loadMs: number; activateMs: number } | undefined {
  const marks = (globalThis as { MonacoPerformanceMarks?: PerformanceMarks }).MonacoPerformanceMarks?.getMarks() ?? [];
  const at = (what: string) => marks.find((m) => m.name === `code/extHost/${what}/${EXTENSION_ID}`)?.startTime;
  const [willLoad, didLoad, willActivate, didActivate] = ['willLoadExtensionCode', 'didLoadExtensionCode', 'willActivateExtension', 'didActivateExtension'].map(at);
  if (willLoad === undefined || didLoad === undefined || willActivate === undefined || didActivate === undefined) return undefined;
  return { loadMs: didLoad - willLoad, activateMs: didActivate - willActivate };
}

/** Polls `probe` until it gives a value (not undefined or false), or fails after `timeoutMs`. */
export async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
