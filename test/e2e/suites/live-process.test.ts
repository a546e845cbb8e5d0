// The live view as a person uses it: a program compiled for the test is running; Address Space:
// Open Process… from the command palette, the process picked by its pid, and the view's regions and
// one region's Rss must be what /proc/PID/smaps says. Screenshots of every tab.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import type { FrameLocator, Page } from 'playwright-core';
import { kernelSmaps, startLiveTarget, type LiveTarget } from '../../support/live-target';
import { wcagViolations } from '../support/axe';
import { e2eEnv } from '../support/e2e-env';
import { visibleWebview } from '../support/webview-frame';
import { workbenchPageHooks } from '../support/workbench-suite';
import { mapStarts, openProcess, screenshot } from '../support/workbench';

/** The live view's document: the webview's inner frame. */
function liveView(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('#active-frame');
}

async function openTab(view: FrameLocator, tab: string): Promise<void> {
  await view.locator(`vscode-tab-header[data-tab="${tab}"]`).click();
  await view.locator(`body[data-painted$=":${tab}"]`).waitFor({ state: 'attached', timeout: 30_000 });
}

const big = (hex: string | null) => BigInt(hex ?? '0');

suite('the live view of a process, installed from the VSIX', () => {
  let page: Page;
  let target: LiveTarget;
  let view: FrameLocator;

  suiteSetup(async function () {
    this.timeout(60_000);
    target = await startLiveTarget(e2eEnv('root'));
  });
  workbenchPageHooks((p) => (page = p));
  suiteTeardown(() => target?.stop());

  test('Open Process… picks the program by its pid; the map and the maps table are /proc/PID/maps', async () => {
    await openProcess(page, target.pid, 'live-target');
    view = liveView(page);
    await view.locator('.map-region').first().waitFor({ timeout: 30_000 });
    await view.locator('.live-header h1', { hasText: `PID ${target.pid}` }).waitFor();
    const kernel = kernelSmaps(target.pid);
    assert.deepEqual((await mapStarts(view)).map(big), kernel.map((v) => big(v.start)));
    const rows = view.locator('.vrow[data-start]');
    await rows.first().waitFor();
    const starts = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-start')));
    assert.deepEqual(starts.map(big), kernel.slice(0, starts.length).map((v) => big(v.start)));
    await screenshot(page, 'live-maps');
  });

  test("a region's smaps, its Rss as the kernel's, and where its Pss comes from", async () => {
    await view.locator(`.map-region[data-start="${target.anon}"]`).click();
    await openTab(view, 'smaps');
    await view.locator('.smaps-header', { hasText: target.anon.slice(2) }).waitFor();
    const rss = await view.locator('.smaps-table tr[data-field="Rss"] td.kb').textContent();
    const kernel = kernelSmaps(target.pid).find((v) => big(v.start) === big(target.anon));
    assert.equal(rss, `${kernel?.fields.Rss} kB`);
    assert.equal(rss, '256 kB');
    await view.locator('.pss-groups li[data-kind="anon"]').first().waitFor();
    await screenshot(page, 'live-smaps-anon');
    // libc's text: file pages that other processes map too, grouped by their mapcounts.
    await view.locator('.map-region', { hasText: 'libc.so.6' }).filter({ hasText: 'r-xp' }).first().click();
    await view.locator('.smaps-header', { hasText: 'libc.so.6' }).waitFor();
    await view.locator('.pss-groups li[data-kind="file"]').first().waitFor();
    await view.locator('.explainer').scrollIntoViewIfNeeded();
    await screenshot(page, 'live-smaps', true);
  });

  test('the pages grid from pagemap, and one page in detail', async () => {
    await openTab(view, 'pages');
    const grid = view.locator('.grid-viewport');
    await grid.click({ position: { x: 6, y: 6 } });
    await view.locator('.page-facts').waitFor();
    assert.match(await view.locator('.page-facts').textContent() ?? '', /present \(bit 63\)yes/);
    await screenshot(page, 'live-pages');
  });

  test('Snapshot, more pages written, Refresh: the Diff tab and the timeline show it', async () => {
    await view.locator('.live-header vscode-button[icon="device-camera"]').click();
    await view.locator('.live-header .fact', { hasText: /snapshot\d/ }).waitFor();
    await target.touchMore();
    await view.locator('.live-header vscode-button', { hasText: 'Refresh' }).click();
    await openTab(view, 'diff');
    const row = view.locator(`.diff-table tr[data-start="${target.anon}"]`);
    await row.waitFor({ timeout: 30_000 });
    assert.match(await row.textContent() ?? '', /\+256 kB/);
    await screenshot(page, 'live-diff');
    await openTab(view, 'timeline');
    await screenshot(page, 'live-timeline');
  });

  test('axe finds no WCAG A/AA violation in any tab of the live view', async () => {
    const found: string[] = [];
    for (const tab of ['maps', 'smaps', 'pages', 'timeline', 'diff']) {
      await openTab(view, tab);
      found.push(...(await wcagViolations(await visibleWebview(page))).map((v) => `${tab}: ${v}`));
    }
    assert.deepEqual(found, []);
  });

  test('when the process exits, the view says so and keeps its last reading', async () => {
    target.stop();
    await new Promise((r) => setTimeout(r, 300));
    // The auto-refresh may see the exit first and disable Refresh: click it only while it is enabled.
    const exited = view.locator('.banner.error', { hasText: /exited/ });
    const refresh = view.locator('.live-header vscode-button:not([disabled])', { hasText: 'Refresh' });
    if (!(await exited.isVisible())) await refresh.click({ timeout: 5_000 }).catch(() => undefined);
    await exited.waitFor({ timeout: 30_000 });
    await openTab(view, 'maps');
    assert.ok(await view.locator('.map-region').count() > 0);
    await screenshot(page, 'live-exited');
  });
});
