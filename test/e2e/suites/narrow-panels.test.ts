// Layouts that hold from a 320 px panel (beside the Chat side bar) to a wide one: one line per
// table row, tables that scroll instead of cutting columns off, and a tab strip that says it
// overflows and scrolls by keyboard. Screenshots of every tab at each width.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite, suiteSetup, suiteTeardown, teardown, test } from 'mocha';
import type { Browser, Frame, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { e2eEnv } from '../support/e2e-env';
import { SCENARIO_TABS, showTab, visibleWebview } from '../support/webview-frame';
import { closeAllEditors, goToLine, openWorkbench, quickOpen, runCommand, screenshot, screenshotIfFailed, VIEWPORT } from '../support/workbench';

const SCENARIO = '05-swap-fork.aspace';
const PANEL_WIDTHS = [320, 480, 1200];

/** The width of the visible webview's iframe, in CSS pixels. */
async function panelWidth(page: Page): Promise<number> {
  const box = await page.locator('iframe.webview.ready >> visible=true').first().boundingBox();
  return Math.round(box?.width ?? 0);
}

/** Resizes the window until the panel (half of the editor area) is about `target` pixels wide. */
async function fitPanel(page: Page, target: number): Promise<number> {
  for (let i = 0; i < 4; i++) {
    const now = await panelWidth(page);
    if (Math.abs(now - target) <= 8) return now;
    const viewport = page.viewportSize() ?? VIEWPORT;
    await page.setViewportSize({ width: Math.max(400, viewport.width + 2 * (target - now)), height: viewport.height });
    await page.waitForTimeout(400);
  }
  return panelWidth(page);
}

interface Layout {
  readonly overflow: string | null;
  readonly documentScrolls: boolean;
  readonly tallRows: number;
}

/** What a person sees of the layout: the tab strip's overflow mark, a page wider than the panel, rows taller than one line. */
function layout(frame: Frame): Promise<Layout> {
  return frame.evaluate(() => {
    const doc = (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(a: string): string | null } | null; querySelectorAll(s: string): ArrayLike<{ getBoundingClientRect(): { height: number }; offsetParent: unknown }>; scrollingElement: { scrollWidth: number; clientWidth: number } } }).document;
    const rows = Array.from(doc.querySelectorAll('vscode-tab-panel:not([hidden]) tbody tr')).filter((r) => r.offsetParent !== null);
    return {
      overflow: doc.querySelector('vscode-tabs')?.getAttribute('data-overflow') ?? null,
      documentScrolls: doc.scrollingElement.scrollWidth > doc.scrollingElement.clientWidth + 1,
      tallRows: rows.filter((r) => r.getBoundingClientRect().height > 30).length,
    };
  });
}

suite('narrow panels: 320, 480 and 1200 px', () => {
  let browser: Browser;
  let page: Page;

  suiteSetup(async () => {
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: VIEWPORT });
    await openWorkbench(page);
    await closeAllEditors(page);
    await quickOpen(page, SCENARIO);
    await page.locator('.monaco-editor .view-lines .view-line').first().waitFor({ timeout: 30_000 });
    await runCommand(page, 'Address Space: Run Scenario');
    await goToLine(page, readFileSync(join(e2eEnv('workspace'), 'examples', SCENARIO), 'utf8').split('\n').length - 1);
  });

  suiteTeardown(async () => {
    await page?.setViewportSize(VIEWPORT).catch(() => undefined);
    await closeAllEditors(page).catch(() => undefined);
    await browser?.close();
  });

  teardown(async function () {
    await screenshotIfFailed(page, this.currentTest);
  });

  for (const width of PANEL_WIDTHS) {
    test(`at ${width} px every tab keeps one line per table row and the page never scrolls sideways`, async () => {
      const measured = await fitPanel(page, width);
      const problems: string[] = [];
      for (const tab of SCENARIO_TABS) {
        const frame = await visibleWebview(page);
        await showTab(frame, tab);
        const l = await layout(frame);
        if (l.documentScrolls) problems.push(`${tab}: the page is wider than the panel`);
        if (l.tallRows) problems.push(`${tab}: ${l.tallRows} table rows take more than one line`);
        if (width <= 480 && !['end', 'both', 'start'].includes(l.overflow ?? '')) problems.push(`${tab}: the tab strip does not mark its overflow (${l.overflow})`);
        if (width >= 1200 && l.overflow !== 'none') problems.push(`${tab}: the tab strip marks an overflow at ${measured} px (${l.overflow})`);
        await screenshot(page, `panel-${width}px-${tab}`);
      }
      assert.deepEqual(problems, [], `panel ${measured} px wide`);
    });
  }

  test('at 320 px the arrow keys bring a hidden tab header into view', async () => {
    await fitPanel(page, 320);
    const frame = await visibleWebview(page);
    await showTab(frame, 'processes');
    await frame.locator('vscode-tab-header[data-tab="processes"]').focus();
    for (let i = 0; i < SCENARIO_TABS.length - 1; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await frame.locator('body[data-painted$=":faults"]').waitFor({ state: 'attached', timeout: 30_000 });
    const visible = await frame.locator('vscode-tab-header[data-tab="faults"]').evaluate((el) => {
      const header = el as unknown as { getBoundingClientRect(): { right: number }; ownerDocument: { documentElement: { clientWidth: number } } };
      return header.getBoundingClientRect().right <= header.ownerDocument.documentElement.clientWidth + 1;
    });
    assert.ok(visible, 'the Faults header is scrolled into view');
    assert.equal(await frame.locator('vscode-tabs').getAttribute('data-overflow'), 'start');
    await screenshot(page, 'panel-320px-keyboard-faults');
  });
});
