import { suiteSetup, suiteTeardown, teardown } from 'mocha';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { VIEWPORT, closeAllEditors, openWorkbench, screenshotIfFailed } from './workbench';

/**
 * The hooks of a suite that drives the workbench in one page: before the suite, a browser on the
 * workbench, handed to `opened`; after a failed test, its screenshot; after the suite, the browser
 * closed. Hooks the suite registers before this call run before these.
 */
export function workbenchPageHooks(opened: (page: Page) => void): void {
  let browser: Browser | undefined;
  let page: Page;

  suiteSetup(async () => {
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: VIEWPORT });
    await openWorkbench(page);
    opened(page);
  });

  suiteTeardown(async () => {
    // The next suite's page reopens this workspace: editors left open (a dirty untitled twin above all,
    // whose hot-exit backup comes back with its save dialog) would be in its way.
    if (page) await closeAllEditors(page).catch(() => undefined);
    await browser?.close();
  });

  teardown(async function () {
    await screenshotIfFailed(page, this.currentTest);
  });
}
