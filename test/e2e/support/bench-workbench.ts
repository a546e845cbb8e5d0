// The workbench the benchmarks measure in: a fresh VS Code server with the VSIX installed.
import type { Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { E2E_ENV } from './e2e-env';
import { installedExtensionsDir, startServer } from './vscode-server';
import { openWorkbench, VIEWPORT } from './workbench';

/** Runs `measure` on a page of the workbench opened on `workspace` (with the VSIX or VSIXes installed), then stops the browser and the server. */
export async function onInstalledWorkbench<T>(root: string, vsix: string | readonly string[], workspace: string, measure: (page: Page) => Promise<T>): Promise<T> {
  const running = await startServer(root, { extensionsDir: await installedExtensionsDir(root, ...(typeof vsix === 'string' ? [vsix] : vsix)) });
  const browser = await launchBrowser();
  try {
    process.env[E2E_ENV.url] = running.url;
    process.env[E2E_ENV.workspace] = workspace;
    process.env[E2E_ENV.root] = root;
    const page = await browser.newPage({ viewport: VIEWPORT });
    await openWorkbench(page);
    return await measure(page);
  } finally {
    await browser.close();
    await running.stop();
  }
}
