import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { e2eEnv } from '../support/e2e-env';
import { installedExtensionsDir, type RunningServer, startServer } from '../support/vscode-server';
import { asxMaps, mapsRows, notification, openWorkbench, quickOpen, runCommand, screenshot, VIEWPORT, waitForMaps } from '../support/workbench';

const EXTENSION_ID = 'address-space-explorer.address-space-explorer';

suite('the ELF view from the browser entry (the web worker extension host, as in VS Code for the Web)', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  suiteSetup(async () => {
    const root = e2eEnv('root');
    const extensionsDir = await installedExtensionsDir(root, e2eEnv('vsix'));
    // remote.extensionKind makes the workbench run the extension's `browser` entry in its web worker host.
    server = await startServer(root, { extensionsDir, settings: { 'remote.extensionKind': { [EXTENSION_ID]: ['web'] } } });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: VIEWPORT });
    await openWorkbench(page, server.url);
  });

  suiteTeardown(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('reads the file and the interpreter through workspace.fs and shows every region\'s start and flags as `asx maps` prints them', async () => {
    await quickOpen(page, 'execlib.so');
    const view = await waitForMaps(page);
    const rows = await mapsRows(view);
    assert.deepEqual(rows.map((r) => `${r[0]?.split('-')[0]} ${r[1]}`), asxMaps('execlib.so').map((l) => l.split(' ').slice(0, 2).join(' ').replace(/-\S+/, '')));
    assert.match((await view.locator('.layout-facts').textContent()) ?? '', /interpreter \/lib64\/ld-linux-x86-64\.so\.2 read from vscode-remote:/);
    await screenshot(page, 'web-host');
  });

  test('Open Process… says plainly that live processes need the desktop', async () => {
    await runCommand(page, 'Address Space: Open Process…');
    const message = await notification(page, /needs VS Code on the desktop/);
    assert.match((await message.textContent()) ?? '', /VS Code for the Web runs the extension in the browser, which has no \/proc/);
    await screenshot(page, 'web-host-open-process');
  });

  test('Simulate This Process is not in the command palette: it reads /proc, which the browser has not', async () => {
    await page.keyboard.press('Control+Shift+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    const labels = page.locator('.quick-input-list .monaco-list-row .label-name');
    // The extension's other commands are there (it is active, and its context key set: the test before ran one).
    await input.fill('>Address Space: Open Process');
    await labels.filter({ hasText: 'Open Process' }).first().waitFor();
    await input.fill('>Address Space: Simulate This Process');
    // Nothing tells when the list has taken the text (it keeps "similar commands"): let it settle.
    await page.waitForTimeout(1500);
    await screenshot(page, 'web-host-no-simulate');
    assert.deepEqual((await labels.allTextContents()).filter((l) => l.includes('Simulate This Process')), []);
    await page.keyboard.press('Escape');
  });
});
