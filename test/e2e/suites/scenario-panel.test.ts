// The scenario panel as a person uses it: open an example through Quick Open, run it from the
// command palette, move the cursor line by line and read the panel's smaps numbers, which must be
// what `asx run` prints for `show smaps` at the same line. Also the README's screenshots.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite, suiteSetup, suiteTeardown, teardown, test } from 'mocha';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { e2eEnv } from '../support/e2e-env';
import { asxSmapsAfter, panelSmaps } from '../support/scenario-smaps';
import { VIEWPORT, closeAllEditors, goToLine, openWorkbench, quickOpen, runCommand, screenshot, screenshotIfFailed } from '../support/workbench';

const EXAMPLE = '02-fork-cow.aspace';
/** The scenario of the README's screenshots: every page state in one region, two processes, swap. */
const TOUR = 'tour.aspace';
const TOUR_TEXT = `# Demand paging, the zero page, fork, copy-on-write and swap in one region.
set swap 64M
P = exec hello/hello
A = mmap P 2M rw- private anon
write P A 0 1M               # 256 private dirty pages
read P A 1M 512K             # 128 reads map the shared zero page
Q = fork P                   # the written pages are now shared with Q
write P A 0 256K             # P copies 64 of them
madvise P A 0 128K pageout   # 32 of P's own pages go to swap
read P A 0 16K               # 4 come back (and stay in the swap cache)
F = mmap P 128K r-- private file data/notes.txt
read P F 0                   # readahead and fault-around
write Q A 512K 256K          # Q copies 64 pages too
show smaps P A
`;

/** The scenario of the LRU screenshot: file pages MADV_PAGEOUT dropped, read again (refault detection). */
const REFAULT = 'refault.aspace';
const REFAULT_TEXT = `# Refault detection: file pages reclaim dropped come back on the active list.
P = exec hello/hello
F = mmap P 128K r-- private file data/notes.txt
read P F                     # 32 page-cache pages, read ahead and mapped
madvise P F 64K 32K pageout  # MADV_PAGEOUT drops 8 of them (a shadow entry each)
read P F 64K 4K              # read again: the 8 come back active
`;

/** The scenario panel's document: the webview's inner frame. */
function panel(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('#active-frame');
}

/** The example's lines, and the statement index (step) of each 1-based line (-1 before the first statement). */
function exampleLines(file: string): { text: string[]; stepOf(line: number): number; lineOf(prefix: string): number } {
  const text = readFileSync(file, 'utf8').split('\n');
  const isStatement = (l: string | undefined) => !!l?.trim() && !l.trim().startsWith('#');
  return {
    text,
    stepOf: (line) => text.slice(0, line).filter(isStatement).length - 1,
    lineOf: (prefix) => text.findIndex((l) => l.startsWith(prefix)) + 1,
  };
}

/** Waits until the panel has painted `tab` at statement index `step`. */
async function painted(view: FrameLocator, step: number, tab: string): Promise<void> {
  await view.locator(`body[data-painted$=":${step}:${tab}"]`).waitFor({ state: 'attached', timeout: 30_000 });
}

const TAB_NAMES: Readonly<Record<string, string>> = {
  Processes: 'processes', smaps: 'smaps', Pages: 'pages', 'Page table': 'pagetable', 'Physical memory': 'physical', LRU: 'lru', Timeline: 'timeline', Faults: 'faults',
};

async function openTab(view: FrameLocator, title: string): Promise<void> {
  await view.locator(`vscode-tab-header[data-tab="${TAB_NAMES[title]}"]`).click();
}

/** Switches between the light and the dark theme (workbench.preferredDarkColorTheme: Dark Modern), as a person does. */
async function toggleTheme(page: Page): Promise<void> {
  await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
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

/**
 * Brings the scenario's editor forward in the first group. A click in the panel makes the panel's
 * group the active one, and Quick Open from there would open a second editor over the panel.
 */
async function showInFirstGroup(page: Page, file: string): Promise<void> {
  await runCommand(page, 'View: Focus First Editor Group');
  await quickOpen(page, file);
}

suite('the scenario panel, installed from the VSIX', () => {
  let browser: Browser;
  let page: Page;
  let dark = false;
  const examples = () => join(e2eEnv('workspace'), 'examples');

  suiteSetup(async () => {
    writeFileSync(join(examples(), TOUR), TOUR_TEXT);
    writeFileSync(join(examples(), REFAULT), REFAULT_TEXT);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: VIEWPORT });
    await openWorkbench(page);
  });

  suiteTeardown(async () => {
    // The next suites see the workbench as they expect it.
    if (dark) await toggleTheme(page).catch(() => undefined);
    await browser?.close();
  });

  teardown(async function () {
    await screenshotIfFailed(page, this.currentTest);
  });

  test('moving the cursor line by line, the panel\'s smaps numbers are `asx run`\'s `show smaps` at each line', async () => {
    const view = await runAndShowPanel(page, EXAMPLE);
    await openTab(view, 'smaps');
    const file = join(examples(), EXAMPLE);
    const { text, stepOf, lineOf } = exampleLines(file);
    const first = lineOf('A = mmap');
    // Down the file with the arrow key, from the line that maps A to the end.
    await showInFirstGroup(page, EXAMPLE);
    await goToLine(page, first);
    let compared = 0;
    for (let line = first; line <= text.length; line++) {
      if (line > first) await page.keyboard.press('ArrowDown');
      if (!text[line - 1]?.trim() || text[line - 1]?.startsWith('#')) continue;
      const step = stepOf(line);
      await view.locator('.step-header .line-no', { hasText: `line ${line}:` }).waitFor({ timeout: 10_000 });
      await painted(view, step, 'smaps');
      assert.deepEqual(await panelSmaps(view), asxSmapsAfter(file, line, 'P'), `smaps of P's A after line ${line}`);
      compared++;
    }
    assert.ok(compared >= 10, `compared ${compared} lines`);
    // The child after its copy-on-write: select Q in Processes, read smaps again.
    const showQ = lineOf('show smaps Q A');
    await goToLine(page, showQ);
    await painted(view, stepOf(showQ), 'smaps');
    await openTab(view, 'Processes');
    await view.locator('.process-table tr[data-process="Q"]').click();
    await openTab(view, 'smaps');
    await painted(view, stepOf(showQ), 'smaps');
    await view.locator('.smaps-header').filter({ hasText: 'rw-p' }).waitFor();
    assert.deepEqual(await panelSmaps(view), asxSmapsAfter(file, showQ, 'Q'), `smaps of Q's A after line ${showQ}`);
  });

  test('Step Back in the panel moves the editor\'s cursor; a region\'s line is revealed from the maps table', async () => {
    const view = panel(page);
    const { lineOf } = exampleLines(join(examples(), EXAMPLE));
    const previous = lineOf('write Q A');
    await view.locator('.step-header vscode-button', { hasText: 'Back' }).click();
    await view.locator('.step-header .line-no', { hasText: `line ${previous}:` }).waitFor();
    // The editor's cursor is on the statement: its line number is the active one.
    const activeLine = (line: number) => page.locator('.monaco-editor .line-numbers.active-line-number', { hasText: new RegExp(`^${line}$`) }).first();
    await activeLine(previous).waitFor({ timeout: 10_000 });
    await openTab(view, 'Processes');
    await view.locator('.process-table tr[data-process="P"]').click();
    const reveal = view.locator('.vrow[data-start] .reveal', { hasText: /^\d+$/ }).last();
    const line = Number(await reveal.textContent());
    assert.ok(line > 0, 'a region made by a statement');
    await reveal.click();
    await activeLine(line).waitFor({ timeout: 10_000 });
  });

  test('screenshots of the tour: smaps with the Pss explainer, the pages grid, the page-table walk, the timeline', async () => {
    await closeAllEditors(page);
    await toggleTheme(page);
    dark = true;
    await runCommand(page, 'View: Close Primary Side Bar').catch(() => undefined);
    const view = await runAndShowPanel(page, TOUR);
    await showInFirstGroup(page, TOUR);
    await goToLine(page, 14);
    const last = TOUR_TEXT.split('\n').filter((l) => l.trim() && !l.startsWith('#')).length - 1;
    await view.locator('.step-header .line-no', { hasText: 'line 14:' }).waitFor();
    await openTab(view, 'smaps');
    await painted(view, last, 'smaps');
    assert.equal((await panelSmaps(view)).Pss, asxSmapsAfter(join(examples(), TOUR), 14, 'P').Pss);
    // The Pss explainer's groups add up to Pss. For the picture, give VS Code's debounced code lens
    // refresh a moment to show the step (the scenario editor suite checks that the lens follows).
    await view.locator('.pss-sum', { hasText: /→ Pss: [\d,]+ kB/ }).waitFor();
    await page.locator('.codelens-decoration', { hasText: `line 14 · step ${last + 1}/${last + 1}` }).waitFor({ timeout: 5_000 }).catch(() => undefined);
    await screenshot(page, 'scenario-panel-smaps', true);

    await openTab(view, 'Pages');
    await painted(view, last, 'pages');
    const grid = view.locator('.grid-viewport').first();
    const box = await grid.boundingBox();
    assert.ok(box);
    // Hover a page of P's copy that went to swap and came back: the tooltip tells its story.
    await grid.hover({ position: { x: 20, y: 5 } });
    await view.locator('.tooltip:not([hidden])').first().waitFor({ timeout: 10_000 });
    await screenshot(page, 'scenario-pages', true);

    // A click shows the page and reveals the line that last changed it: the editor's cursor, and so the step, go there.
    await grid.click({ position: { x: 80, y: 5 } });
    await view.locator('.step-header .line-no', { hasText: /^line ([2-9]|1[0-3]):$/ }).waitFor({ timeout: 10_000 });
    await view.locator('.page-detail vscode-button', { hasText: 'Walk page table' }).click();
    await view.locator('body[data-painted$=":pagetable"]').waitFor({ state: 'attached', timeout: 30_000 });
    await view.locator('.walk-level').first().waitFor();
    assert.equal(await view.locator('.walk-level').count(), 5, 'CR3, PML4E, PDPTE, PDE, PTE');
    await screenshot(page, 'scenario-pagetable', true);

    await openTab(view, 'Timeline');
    await view.locator('body[data-painted$=":timeline"]').waitFor({ state: 'attached', timeout: 30_000 });
    await screenshot(page, 'scenario-timeline', true);
    // Scrub back to the fork with the keyboard: the editor's cursor follows.
    await view.locator('.timeline-canvas').focus();
    await page.keyboard.press('Home');
    await view.locator('.step-header .line-no', { hasText: 'line 2:' }).waitFor({ timeout: 10_000 });

    for (const [tab, name] of [['Physical memory', 'physical'], ['LRU', 'lru'], ['Faults', 'faults']] as const) {
      await openTab(view, tab);
      await painted(view, 0, name);
      await screenshot(page, `scenario-${name}`);
    }
    await runCommand(page, 'View: Toggle Primary Side Bar Visibility').catch(() => undefined);
    await closeAllEditors(page);
  });

  test('the LRU tab at a refault: each page reclaim dropped and a fault read again is active, with the reason', async () => {
    await closeAllEditors(page);
    const view = await runAndShowPanel(page, REFAULT);
    await showInFirstGroup(page, REFAULT);
    const { stepOf, lineOf } = exampleLines(join(examples(), REFAULT));
    const line = lineOf('read P F 64K');
    await goToLine(page, line);
    await view.locator('.step-header .line-no', { hasText: `line ${line}:` }).waitFor({ timeout: 10_000 });
    await openTab(view, 'LRU');
    await painted(view, stepOf(line), 'lru');
    const rows = view.locator('.reclaim-table tbody tr.action-activated');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 8, 'the 8 pages MADV_PAGEOUT dropped');
    assert.match((await rows.first().locator('td').last().getAttribute('title')) ?? '', /workingset_refault/);
    // For the picture: the panel wider, scrolled to the statement's reclaim and refault table.
    await runCommand(page, 'View: Close Primary Side Bar').catch(() => undefined);
    await view.locator('.reclaim h2').scrollIntoViewIfNeeded();
    await screenshot(page, 'scenario-lru-refault', true);
    await runCommand(page, 'View: Toggle Primary Side Bar Visibility').catch(() => undefined);
    await closeAllEditors(page);
  });
});
