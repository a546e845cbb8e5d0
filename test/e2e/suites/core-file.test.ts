// A core file opened by a person: Quick Open on crash.core, the ELF view opens on its Core dump tab
// with the signal and the crash's region, and its map holds the regions `asx maps CORE` prints;
// Simulate This Process there opens the core's twin.
import * as assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite, suiteSetup, test } from 'mocha';
import type { Page } from 'playwright-core';
import { wcagViolations } from '../support/axe';
import { e2eEnv } from '../support/e2e-env';
import { visibleWebview } from '../support/webview-frame';
import { workbenchPageHooks } from '../support/workbench-suite';
import { asxMaps, elfView, mapStarts, notification, quickOpen, screenshot } from '../support/workbench';

suite('a core file in the ELF view, installed from the VSIX', () => {
  let page: Page;
  suiteSetup(() => copyFileSync(join(e2eEnv('root'), 'test/fixtures/core/kernel.core'), join(e2eEnv('workspace'), 'crash.core')));
  workbenchPageHooks((p) => (page = p));

  test('opens on the Core dump tab: the signal, the crash in its region, the registers; the map is `asx maps CORE`', async () => {
    await quickOpen(page, 'crash.core');
    const view = elfView(page);
    await view.locator('.core-view h2', { hasText: 'Killed by SIGSEGV (SEGV_MAPERR)' }).waitFor({ timeout: 30_000 });
    const crash = view.locator('.core-address').first();
    assert.match((await crash.textContent()) ?? '', /tiny-core r-xp/);
    await view.locator('.core-registers').first().waitFor();
    const expected = asxMaps('crash.core').map((l) => `0x${l.split('-')[0]?.replace(/^0+(?=.)/, '')}`);
    assert.deepEqual(await mapStarts(view), expected);
    // The crashing instruction's region is selected in the map.
    const selected = await view.locator('.map-region[aria-selected="true"]').getAttribute('data-start');
    assert.equal(selected, expected[1]);
    await screenshot(page, 'core-file', true);
    assert.deepEqual(await wcagViolations(await visibleWebview(page)), []);
  });

  test('Simulate This Process on the Core dump tab opens the twin of the core beside: its mappings at their addresses', async () => {
    const view = elfView(page);
    await view.locator('.core-view vscode-button', { hasText: 'Simulate This Process' }).click();
    // The twin's text, the cursor at its end; the core's program is not on this machine, so its run says why.
    await page.locator('.monaco-editor .view-line', { hasText: '# --- end of the twin of the core crash.core (pid 17887, tiny-core)' }).first().waitFor({ timeout: 30_000 });
    await notification(page, /tiny-core/);
  });
});
