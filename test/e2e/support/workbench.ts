// Driving the VS Code workbench in the browser the way a person does: Quick Open, the command
// palette, the explorer's context menu, notifications, and the ELF view inside its webview iframes.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { E2E_ENV, e2eEnv } from './e2e-env';

export const VIEWPORT = { width: 1440, height: 900 };

/** Opens the workbench (of the e2e server, or of `url`) on the e2e workspace and waits until the explorer shows it. */
export async function openWorkbench(page: Page, url = e2eEnv('url')): Promise<void> {
  await page.goto(`${url}/?folder=${encodeURIComponent(e2eEnv('workspace'))}`);
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
}

/** Types into the open quick input and picks the first entry once one whose label contains `label` shows. */
async function pickInQuickInput(page: Page, text: string, label: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(text);
  await page.locator('.quick-input-list .monaco-list-row .label-name', { hasText: label }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

export async function quickOpen(page: Page, fileName: string): Promise<void> {
  await page.keyboard.press('Control+P');
  await pickInQuickInput(page, fileName, fileName);
}

export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Control+Shift+P');
  await pickInQuickInput(page, `>${title}`, title);
}

/**
 * Address Space: Open Process… from the palette, filtered by `pid`, and the row of that process
 * clicked. The filter also matches every command line holding those digits (Chromium's numeric
 * arguments, sorted first as label matches), so Enter on the first row may pick another process.
 */
export async function openProcess(page: Page, pid: number, program: string): Promise<void> {
  const title = 'Address Space: Open Process…';
  const input = page.locator('.quick-input-widget input');
  // Not runCommand: the picker opens in the palette's place, so the quick input never hides. The
  // palette lists the extension's commands once the extension host has scanned it.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+Shift+P');
    await input.fill(`>${title}`);
    const listed = await page.locator('.quick-input-list .monaco-list-row .label-name', { hasText: title }).first()
      .waitFor({ timeout: 10_000 }).then(() => true, () => false);
    if (listed) break;
    await page.keyboard.press('Escape');
    if (attempt === 4) throw new Error(`${title} is not in the command palette`);
  }
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Open Process' }).waitFor({ timeout: 30_000 });
  await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 30_000 });
  await input.fill(String(pid));
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: program }).filter({ hasText: `PID ${pid} ·` });
  await row.first().click({ timeout: 30_000 });
}

/** Puts the cursor of the first editor on a 1-based line with Go to Line, as a person would. */
export async function goToLine(page: Page, line: number): Promise<void> {
  // The keyboard goes to the editor (not a webview, which may have the focus). While the layout still
  // moves (a panel opening beside it), Playwright waits for the text to be stable: after 5 s the
  // click goes to where the text is then, without that wait.
  const text = page.locator('.monaco-editor .view-lines').first();
  const position = { x: 300, y: 5 };
  const input = page.locator('.quick-input-widget input');
  for (let attempt = 1; ; attempt++) {
    await text.click({ position, timeout: 5_000 }).catch(() => text.click({ position, force: true }));
    await page.keyboard.press('Control+G');
    await input.waitFor();
    // Enter can come before the line provider has taken the text; then the input stays open. So
    // can an editor still opening (Go to Line then has no editor to go in): the next attempt
    // closes the input and starts again from the click.
    await input.fill(`:${line}`);
    await page.keyboard.press('Enter');
    const closed = await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5_000 }).then(() => true, () => false);
    if (closed) return;
    if (attempt === 3) throw new Error(`Go to Line ${line} left the quick input open: ${await page.locator('.quick-input-widget').innerText().catch(() => '?')}`);
    await page.keyboard.press('Escape');
  }
}

export async function closeAllEditors(page: Page): Promise<void> {
  await runCommand(page, 'View: Close All Editors');
  // An untitled twin the extension opened is dirty: its save dialog would block every later suite in
  // this window. It is the test's own document, not a user's file, so it is not saved.
  const dontSave = page.locator('.monaco-dialog-box .monaco-button', { hasText: "Don't Save" });
  for (let i = 0; i < 3; i++) {
    const asked = await dontSave.waitFor({ timeout: 800 }).then(() => true, () => false);
    if (!asked) break;
    await dontSave.click();
  }
}

/** The ELF view's document: the webview's inner frame, inside the visible webview iframe. */
export function elfView(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('#active-frame');
}

/** Waits for the view to paint its maps table. */
export async function waitForMaps(page: Page): Promise<FrameLocator> {
  const view = elfView(page);
  await view.locator('.maps-table tbody tr').first().waitFor({ timeout: 30_000 });
  return view;
}

/**
 * The notification whose message matches `message`: its toast, or its entry in the notification
 * center when the workbench chose not to pop a toast up (as in a headless window).
 */
export async function notification(page: Page, message: RegExp): Promise<Locator> {
  const item = page.locator('.notification-list-item', { hasText: message });
  const shown = await item.waitFor({ timeout: 5_000 }).then(() => true, () => false);
  if (!shown) await runCommand(page, 'Notifications: Show Notifications');
  await item.waitFor({ timeout: 30_000 });
  return item;
}

/** `asx maps` of a workspace file, from the project's CLI: the lines the view must show. */
export function asxMaps(file: string, ...options: string[]): string[] {
  const root = e2eEnv('root');
  return execFileSync(process.execPath, [join(root, 'bin/asx.js'), 'maps', join(e2eEnv('workspace'), file), ...options], { encoding: 'utf8' }).trimEnd().split('\n');
}

const MAPS_COLUMNS = 6;

/** The maps table's rows as text cells. */
export async function mapsRows(view: FrameLocator): Promise<string[][]> {
  const rows = view.locator('.maps-table tbody tr');
  const columns: string[][] = [];
  for (let c = 1; c <= MAPS_COLUMNS; c++) columns.push(await rows.locator(`td:nth-child(${c})`).allTextContents());
  return (columns[0] ?? []).map((_, r) => columns.map((column) => column[r] ?? ''));
}

/** The start addresses the address-space map draws, in order. */
export async function mapStarts(view: FrameLocator): Promise<(string | null)[]> {
  const items = view.locator('.map-region');
  const starts = [];
  for (let i = 0, n = await items.count(); i < n; i++) starts.push(await items.nth(i).getAttribute('data-start'));
  return starts;
}

/**
 * Saves a screenshot into test-results/screenshots/; the ones the README and the walkthrough show
 * (`forDocs`) also go to docs/images/ when asked (npm run screenshots).
 */
export async function screenshot(page: Page, name: string, forDocs = false): Promise<void> {
  const dir = join(e2eEnv('root'), 'test-results/screenshots');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.png`);
  await page.screenshot({ path: file });
  const docs = process.env[E2E_ENV.docsImages];
  if (docs && forDocs) {
    mkdirSync(docs, { recursive: true });
    copyFileSync(file, join(docs, `${name}.png`));
  }
}

/** After a test: a screenshot named after it when it failed, to see what the workbench showed. */
export async function screenshotIfFailed(page: Page, test: Mocha.Test | undefined): Promise<void> {
  if (test?.state === 'failed') await screenshot(page, `failed-${test.title.replace(/\W+/g, '-').slice(0, 60)}`);
}
