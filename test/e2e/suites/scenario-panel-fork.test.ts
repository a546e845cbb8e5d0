// The scenario panel after a fork, as a person reads it (issue 14): a click on the child keeps the
// region chosen in the parent, the smaps tab says whose smaps it shows, lists every field
// `asx run` prints (THPeligible too), and the walk's CR3 card says what CR3 is.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite, suiteSetup, suiteTeardown, teardown, test } from 'mocha';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { e2eEnv } from '../support/e2e-env';
import { asxSmapsAfter, panelSmaps } from '../support/scenario-smaps';
import { VIEWPORT, closeAllEditors, goToLine, openWorkbench, quickOpen, runCommand, screenshot, screenshotIfFailed } from '../support/workbench';

const EXAMPLE = '02-fork-cow.aspace';

const panel = (page: Page): FrameLocator => page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('#active-frame');

const openTab = (view: FrameLocator, tab: string) => view.locator(`vscode-tab-header[data-tab="${tab}"]`).click();

suite('the scenario panel after a fork', () => {
  let browser: Browser;
  let page: Page;
  const file = () => join(e2eEnv('workspace'), 'examples', EXAMPLE);

  suiteSetup(async () => {
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: VIEWPORT });
    await openWorkbench(page);
  });
  suiteTeardown(async () => {
    await closeAllEditors(page).catch(() => undefined);
    await browser?.close();
  });
  teardown(async function () {
    await screenshotIfFailed(page, this.currentTest);
  });

  test('a click on the child keeps the region; smaps names its process and shows THPeligible; the CR3 card says register', async () => {
    await quickOpen(page, EXAMPLE);
    await page.locator('.monaco-editor .view-lines .view-line').first().waitFor({ timeout: 30_000 });
    await runCommand(page, 'Address Space: Run Scenario');
    const view = panel(page);
    if (!(await view.locator('.step-header').waitFor({ timeout: 15_000 }).then(() => true, () => false))) await runCommand(page, 'Address Space: Show Panel');
    await view.locator('.step-header .counter', { hasText: /^step \d+ of \d+$/ }).waitFor({ timeout: 30_000 });
    const showQ = readFileSync(file(), 'utf8').split('\n').findIndex((l) => l.startsWith('show smaps Q A')) + 1;
    await runCommand(page, 'View: Focus First Editor Group');
    await quickOpen(page, EXAMPLE);
    await goToLine(page, showQ);
    await view.locator('.step-header .line-no', { hasText: `line ${showQ}:` }).waitFor({ timeout: 30_000 });

    // In the parent, choose a region other than A: libc's first mapping.
    await openTab(view, 'processes');
    await view.locator('.process-table tr[data-process="P"]').click();
    const pid = async (name: string) => (await view.locator(`.process-table tr[data-process="${name}"] td`).nth(1).textContent())?.trim();
    const [pidP, pidQ] = [await pid('P'), await pid('Q')];
    assert.ok(pidP && pidQ && pidP !== pidQ, `two pids: ${pidP}, ${pidQ}`);
    const libc = view.locator('.vrow', { hasText: 'libc.so.6' }).first();
    const start = (await libc.getAttribute('data-start'))!.slice(2);
    await libc.click();
    await openTab(view, 'smaps');
    await view.locator('.smaps-process', { hasText: `/proc/${pidP}/smaps of P` }).waitFor({ timeout: 30_000 });
    const header = view.locator('.smaps-header', { hasText: new RegExp(`^${start}-.*libc\\.so\\.6`) });
    await header.waitFor({ timeout: 30_000 });
    const parentLine = await header.textContent();

    // The child: same VMA, its own name and pid.
    await openTab(view, 'processes');
    await view.locator('.process-table tr[data-process="Q"]').click();
    await view.locator('.process-table tr[data-process="Q"][aria-selected="true"]').waitFor();
    await openTab(view, 'smaps');
    await view.locator('.smaps-process', { hasText: `/proc/${pidQ}/smaps of Q` }).waitFor({ timeout: 30_000 });
    await header.waitFor({ timeout: 30_000 });
    assert.equal(await header.textContent(), parentLine, 'the child shows the VMA chosen in the parent');

    // The child's A: every field asx run prints, THPeligible included.
    await openTab(view, 'processes');
    await view.locator('.vrow', { hasText: '(A)' }).first().click();
    await openTab(view, 'smaps');
    await view.locator('.smaps-header', { hasText: 'rw-p' }).waitFor({ timeout: 30_000 });
    await view.locator('.smaps-table tr[data-field="THPeligible"]').waitFor({ timeout: 30_000 });
    // Before asx run's cut file appears in the explorer.
    await screenshot(page, 'scenario-smaps-after-fork');
    const expected = asxSmapsAfter(file(), showQ, 'Q');
    assert.ok('THPeligible' in expected, 'asx run prints THPeligible');
    assert.deepEqual(await panelSmaps(view), expected);
    assert.equal((await view.locator('.smaps-table tr[data-field="THPeligible"] td.kb').textContent())?.trim(), String(expected.THPeligible));

    // The walk of A's first page: the CR3 card is a register, the others name their address bits.
    const a = (await view.locator('.smaps-header').textContent())!.split('-')[0]!;
    await openTab(view, 'pagetable');
    const field = view.locator('vscode-textfield.address-field');
    // The address is filled in at once (keys typed one by one were lost under load: the field once held
    // "0xb8000" for 0x7ffff7fb8000), checked, then submitted with Enter; again if no walk comes.
    const input = field.locator('input');
    const value = () => field.evaluate((e) => (e as unknown as { value: string }).value);
    for (let attempt = 1; ; attempt++) {
      await input.fill(`0x${a}`);
      if ((await value()) === `0x${a}`) {
        await input.press('Enter');
        if (await view.locator('.walk-level[data-level="PTE"]').waitFor({ timeout: 15_000 }).then(() => true, () => false)) break;
      }
      if (attempt === 3) assert.fail(`no walk of 0x${a}: the field holds ${JSON.stringify(await value())}`);
    }
    assert.equal((await view.locator('.walk-level[data-level="CR3"] .walk-bits').textContent())?.trim(), 'register');
    assert.match((await view.locator('.walk-level[data-level="CR3"] .walk-bits').getAttribute('title')) ?? '', /register, not a table/);
    assert.equal((await view.locator('.walk-level[data-level="PML4E"] .walk-bits').textContent())?.trim(), 'bits 47:39');
  });
});
