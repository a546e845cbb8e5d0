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
});
