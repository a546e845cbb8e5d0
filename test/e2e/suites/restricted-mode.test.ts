// Restricted Mode: a folder nobody has trusted (a downloaded binary is the usual case). The ELF
// view and the scenarios only read and simulate, so they must work there
// (capabilities.untrustedWorkspaces: limited in package.json).
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, teardown, test } from 'mocha';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { e2eEnv } from '../support/e2e-env';
import { installedExtensionsDir, type RunningServer, startServer } from '../support/vscode-server';
import { asxMaps, closeAllEditors, mapsRows, openWorkbench, quickOpen, runCommand, screenshot, screenshotIfFailed, VIEWPORT, waitForMaps } from '../support/workbench';

/** Trust on, and no start-up prompt: the folder opens straight in Restricted Mode, as after "Don't Trust". */
const UNTRUSTED = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.untrustedFiles': 'open',
  'security.workspace.trust.emptyWindow': false,
};

suite('Restricted Mode (an untrusted folder)', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  suiteSetup(async () => {
    const root = e2eEnv('root');
    const extensionsDir = await installedExtensionsDir(root, e2eEnv('vsix'));
    server = await startServer(root, { extensionsDir, workspaceTrust: true, settings: UNTRUSTED });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: VIEWPORT });
    await openWorkbench(page, server.url);
  });

  suiteTeardown(async () => {
    await browser?.close();
    await server?.stop();
  });

  teardown(async function () {
    await screenshotIfFailed(page, this.currentTest);
  });

  test('the workbench is in Restricted Mode', async () => {
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 30_000 });
  });

  test('the ELF view shows the kernel\'s regions', async () => {
    await quickOpen(page, 'execlib.so');
    const rows = await mapsRows(await waitForMaps(page));
    assert.deepEqual(rows.map((r) => `${r[0]?.split('-')[0]} ${r[1]}`), asxMaps('execlib.so').map((l) => l.split(' ').slice(0, 2).join(' ').replace(/-\S+/, '')));
    await screenshot(page, 'restricted-mode-elf');
    await closeAllEditors(page);
  });

  test('Run Scenario opens the scenario panel', async () => {
    await quickOpen(page, '01-demand-paging.aspace');
    await page.locator('.monaco-editor .view-lines .view-line').first().waitFor({ timeout: 30_000 });
    await runCommand(page, 'Address Space: Run Scenario');
    const view = page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('#active-frame');
    await view.locator('.step-header .counter', { hasText: /^step \d+ of \d+$/ }).waitFor({ timeout: 30_000 });
    await screenshot(page, 'restricted-mode-scenario');
  });
});
