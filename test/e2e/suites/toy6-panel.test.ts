// The toy6 machine in the scenario panel, as a person uses it: each toy6 example run, the cursor on
// a line of its lesson, the Page table tab's memory grid, tables and walk (a screenshot of each);
// and a PTE bit clicked in the panel edits the scenario's poke line.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite, suiteSetup, suiteTeardown, teardown, test } from 'mocha';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { e2eEnv } from '../support/e2e-env';
import { VIEWPORT, closeAllEditors, goToLine, openWorkbench, quickOpen, runCommand, screenshot, screenshotIfFailed } from '../support/workbench';

/** Each example, and the line of its lesson the screenshot shows (its first line starting so). */
const LESSONS: readonly [string, string][] = [
  ['toy6-isolation.aspace', 'expect B 0 read value 22'],
  ['toy6-kernel-page.aspace', 'expect A 56 read fault U'],
  ['toy6-read-only.aspace', 'write A 11 1'],
  ['toy6-aliasing.aspace', 'expect B 43 read value 9'],
  ['toy6-writable-page-table.aspace', 'expect A 48 read value 42'],
];
const TOGGLE = 'toy6-toggle.aspace';

function panel(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('#active-frame');
}

/** The 1-based line that starts with `prefix`, and its statement index. */
function lineOf(file: string, prefix: string): { line: number; step: number } {
  const text = readFileSync(file, 'utf8').split('\n');
  const line = text.findIndex((l) => l.startsWith(prefix)) + 1;
  assert.ok(line > 0, `${prefix} in ${file}`);
  const step = text.slice(0, line).filter((l) => l.trim() && !l.trim().startsWith('#')).length - 1;
  return { line, step };
}

async function runAndShowPanel(page: Page, file: string): Promise<FrameLocator> {
  await quickOpen(page, file);
  await page.locator('.monaco-editor .view-lines .view-line').first().waitFor({ timeout: 30_000 });
  await runCommand(page, 'Address Space: Run Scenario');
  const view = panel(page);
  const shown = await view.locator('.step-header').waitFor({ timeout: 15_000 }).then(() => true, () => false);
  if (!shown) await runCommand(page, 'Address Space: Show Panel');
  await view.locator('.step-header .counter', { hasText: /^step \d+ of \d+$/ }).waitFor({ timeout: 30_000 });
  return view;
}

suite('the toy6 machine in the scenario panel', () => {
  let browser: Browser;
  let page: Page;
  const examples = () => join(e2eEnv('workspace'), 'examples');

  suiteSetup(async () => {
    writeFileSync(join(examples(), TOGGLE), readFileSync(join(examples(), 'toy6-read-only.aspace'), 'utf8'));
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: VIEWPORT });
    await openWorkbench(page);
  });

  suiteTeardown(async () => {
    await browser?.close();
  });

  teardown(async function () {
    await screenshotIfFailed(page, this.currentTest);
  });

  for (const [name, prefix] of LESSONS) {
    test(`${name}: the memory grid, the tables and the walk of "${prefix}"`, async () => {
      await closeAllEditors(page);
      const view = await runAndShowPanel(page, name);
      // The first toy6 scenario in view switches the panel to the Page table tab by itself.
      if (name === LESSONS[0]?.[0]) await view.locator('body[data-painted$=":pagetable"]').waitFor({ state: 'attached', timeout: 15_000 });
      else await view.locator('vscode-tab-header[data-tab="pagetable"]').click();
      const { line, step } = lineOf(join(examples(), name), prefix);
      await runCommand(page, 'View: Focus First Editor Group');
      await quickOpen(page, name);
      await goToLine(page, line);
      await view.locator('.step-header .line-no', { hasText: `line ${line}:` }).waitFor({ timeout: 15_000 });
      await view.locator(`body[data-painted$=":${step}:pagetable"]`).waitFor({ state: 'attached', timeout: 30_000 });
      await view.locator('.toy6-walk').waitFor();
      assert.equal(await view.locator('.toy6-memory td.toy6-cell').count(), 64, '8 x 8 cells');
      assert.ok((await view.locator('.toy6-memory td.toy6-cell.table').count()) >= 8, 'a page-table page marked');
      assert.ok((await view.locator('.toy6-table').count()) >= 1, 'a process table');
      assert.match(await view.locator('.toy6-walk h3').textContent() ?? '', new RegExp(`VA ${prefix.split(' ')[2]}\\b`));
      // The docs show one lesson (--update-docs-images); the others stay in test-results/screenshots.
      await screenshot(page, `toy6-panel-${name.replace(/^toy6-|\.aspace$/g, '')}`, name === 'toy6-writable-page-table.aspace');
    });
  }

  test('clicking a PTE bit edits the poke line of that entry', async () => {
    await closeAllEditors(page);
    const view = await runAndShowPanel(page, TOGGLE);
    await view.locator('vscode-tab-header[data-tab="pagetable"]').click();
    const { line, step } = lineOf(join(examples(), TOGGLE), 'expect A 11 write fault W');
    await runCommand(page, 'View: Focus First Editor Group');
    await quickOpen(page, TOGGLE);
    await goToLine(page, line);
    await view.locator(`body[data-painted$=":${step}:pagetable"]`).waitFor({ state: 'attached', timeout: 30_000 });
    const w = view.locator('button.toy6-bit[data-address="9"][data-bit="W"]');
    assert.equal(await w.getAttribute('aria-pressed'), 'false');
    await w.click();
    // poke 9 0b100101 (U P) becomes 0b100111 (U W P) in the editor, and the run that follows shows W set.
    await page.locator('.monaco-editor .view-line', { hasText: 'poke 9 0b100111' }).first().waitFor({ timeout: 15_000 });
    await view.locator('button.toy6-bit[data-address="9"][data-bit="W"][aria-pressed="true"]').waitFor({ timeout: 30_000 });
    await screenshot(page, 'toy6-panel-toggle');
    await runCommand(page, 'File: Revert File').catch(() => undefined);
    await closeAllEditors(page);
  });
});
