// The twin (issue 12 §2) as a person uses it: a program compiled for the test runs; its live view is
// opened from the command palette; "Simulate This Process" in the view opens the twin as an untitled
// scenario beside, which runs, and the scenario panel shows the program's regions at their live
// addresses; "Compare with Real smaps" then says that every private VMA matches the live smaps.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import type { Frame, Page } from 'playwright-core';
import { kernelSmaps } from '../../support/live-target';
import { startTwinTarget, type TwinTarget } from '../../support/twin-target';
import { e2eEnv } from '../support/e2e-env';
import { workbenchPageHooks } from '../support/workbench-suite';
import { notification, openProcess, runCommand, screenshot } from '../support/workbench';

/** The visible webview whose document has `selector`: the live view and the scenario panel are both open. */
async function webviewWith(page: Page, selector: string, what: string): Promise<Frame> {
  for (let waited = 0; waited < 60_000; waited += 250) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      if (await frame.locator(selector).count().catch(() => 0)) return frame;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`${what} did not show ${selector}`);
}

suite('the twin of a running process, installed from the VSIX', () => {
  let page: Page;
  let target: TwinTarget;
  let live: Frame;

  suiteSetup(async function () {
    this.timeout(60_000);
    target = await startTwinTarget(e2eEnv('root'));
  });
  workbenchPageHooks((p) => (page = p));
  suiteTeardown(async () => {
    target?.stop();
    // The next suites see the workbench as they expect it.
    await runCommand(page, 'View: Open Primary Side Bar').catch(() => undefined);
  });

  test('Simulate This Process in the live view opens the twin beside; the scenario panel shows the program at its live addresses', async () => {
    // Room for three columns: the live view, the twin, the scenario panel.
    await runCommand(page, 'View: Close Primary Side Bar');
    await openProcess(page, target.pid, 'twin-target');
    live = await webviewWith(page, `.live-header h1:has-text("PID ${target.pid}")`, 'the live view');
    await live.locator(`.map-region[data-start="${target.anon}"]`).waitFor({ timeout: 30_000 });
    await live.locator('.live-header vscode-button', { hasText: 'Simulate This Process' }).click();
    // The twin's text in an editor, the cursor at its end: after the marker what-ifs go after.
    await page.locator('.monaco-editor .view-line', { hasText: `# --- end of the twin of pid ${target.pid} (twin-target)` }).first().waitFor({ timeout: 60_000 });
    const panel = await webviewWith(page, '.step-header', 'the scenario panel');
    await panel.locator('.step-header .counter', { hasText: /^step \d+ of \d+$/ }).waitFor({ timeout: 60_000 });
    // P's maps table: the live VMAs at their live addresses (the rows drawn: the table is virtualized).
    const rows = panel.locator('.vrow[data-start]');
    await panel.locator(`.vrow[data-start="${target.anon}"]`).waitFor({ timeout: 30_000 });
    const starts = (await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-start')))).map((s) => BigInt(s ?? '0'));
    const kernel = kernelSmaps(target.pid).map((v) => BigInt(v.start));
    assert.ok(starts.length >= 10, `${starts.length} rows drawn`);
    assert.deepEqual(starts, kernel.slice(0, starts.length));
    assert.match((await rows.first().textContent()) ?? '', /twin-target/);
    await screenshot(page, 'twin-simulated', true);
  });

  test('Compare with Real smaps from the live view: every private VMA of the twin matches the live smaps', async () => {
    await live.locator('.live-header vscode-button', { hasText: 'Compare with Real smaps' }).click();
    // The report, in Markdown's preview beside.
    const report = await webviewWith(page, 'strong:has-text("Private VMAs")', 'the comparison report');
    assert.match((await report.locator('strong', { hasText: 'Private VMAs' }).first().textContent()) ?? '', /^Private VMAs: (\d+) of \1 match$/);
    assert.match((await report.locator('h2', { hasText: 'Where they differ' }).textContent()) ?? '', /\(\d+\)/);
    // And in one line, in a notification.
    const message = await notification(page, /private VMAs match the live smaps/);
    const text = (await message.textContent()) ?? '';
    const counts = /(\d+) of (\d+) private VMAs match/.exec(text);
    assert.ok(counts && counts[1] === counts[2] && Number(counts[1]) > 10, text);
    await screenshot(page, 'twin-compare', true);
  });
});
