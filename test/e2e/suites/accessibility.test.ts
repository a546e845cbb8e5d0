// Accessibility as a tested property: axe-core (WCAG 2.0/2.1 A and AA) in every webview view —
// the ELF view and each tab of the scenario panel — in the four themes a person picks from.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite, suiteSetup, suiteTeardown, teardown, test } from 'mocha';
import type { Browser, Page } from 'playwright-core';
import { wcagViolations } from '../support/axe';
import { launchBrowser } from '../support/browser';
import { e2eEnv } from '../support/e2e-env';
import { SCENARIO_TABS, showTab, visibleWebview } from '../support/webview-frame';
import { installedExtensionsDir, type RunningServer, startServer } from '../support/vscode-server';
import { closeAllEditors, goToLine, openWorkbench, quickOpen, runCommand, screenshotIfFailed, VIEWPORT, waitForMaps } from '../support/workbench';

const THEMES = ['Dark Modern', 'Light Modern', 'Dark High Contrast', 'Light High Contrast'];
const TABS = SCENARIO_TABS;
const SCENARIO = '05-swap-fork.aspace';

suite('accessibility: axe finds no WCAG A/AA violation in any view, in four themes', () => {
  let extensionsDir: string;
  let browser: Browser;
  let page: Page;
  const found = new Map<string, string[]>();

  suiteSetup(async () => {
    extensionsDir = await installedExtensionsDir(e2eEnv('root'), e2eEnv('vsix'));
    browser = await launchBrowser();
  });

  suiteTeardown(async () => {
    await browser?.close();
  });

  let server: RunningServer | undefined;

  teardown(async function () {
    await screenshotIfFailed(page, this.currentTest);
    await page.close();
    await server?.stop();
  });

  for (const theme of THEMES) {
    test(`${theme}: the ELF view and the scenario panel's ${TABS.length} tabs`, async () => {
      // A server of its own with the theme in the user settings, as after a person picked it.
      server = await startServer(e2eEnv('root'), { extensionsDir, settings: { 'workbench.colorTheme': theme } });
      page = await browser.newPage({ viewport: VIEWPORT });
      await openWorkbench(page, server.url);
      await checkEveryView(theme);
      const failing = [...found].filter(([view, v]) => view.startsWith(theme) && v.length);
      assert.equal(failing.length, 0, failing.map(([view, v]) => `${view}:\n  ${v.join('\n  ')}`).join('\n'));
    });
  }

  async function checkEveryView(theme: string): Promise<void> {
      await quickOpen(page, 'execlib.so');
      await waitForMaps(page);
      found.set(`${theme} / ELF view`, await wcagViolations(await visibleWebview(page)));
      await closeAllEditors(page);

      await quickOpen(page, SCENARIO);
      await page.locator('.monaco-editor .view-lines .view-line').first().waitFor({ timeout: 30_000 });
      await runCommand(page, 'Address Space: Run Scenario');
      const lines = readFileSync(join(e2eEnv('workspace'), 'examples', SCENARIO), 'utf8').split('\n').length;
      await goToLine(page, lines - 1);
      for (const tab of TABS) {
        const frame = await visibleWebview(page);
        await showTab(frame, tab);
        found.set(`${theme} / ${tab}`, await wcagViolations(frame));
      }
  }
});
