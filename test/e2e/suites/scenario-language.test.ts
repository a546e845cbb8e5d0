// The .aspace editor as a person uses it: open an example through Quick Open, see the grammar's
// colours and the CodeLens, run it from the command palette, hover a statement, see a diagnostic.
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite, suiteSetup, teardown, test } from 'mocha';
import type { Page } from 'playwright-core';
import { e2eEnv } from '../support/e2e-env';
import { closeAllEditors, quickOpen, runCommand, screenshot } from '../support/workbench';
import { workbenchPageHooks } from '../support/workbench-suite';

const EXAMPLE = '01-demand-paging.aspace';

/** The editor's line that shows `text`. */
const line = (page: Page, text: string) => page.locator('.monaco-editor .view-lines .view-line', { hasText: text }).first();

suite('the scenario editor, installed from the VSIX', () => {
  let page: Page;

  suiteSetup(() => {
    // The example with the files it names (hello/hello, data/), in a folder of the workspace.
    const examples = join(e2eEnv('workspace'), 'examples');
    mkdirSync(examples, { recursive: true });
    for (const f of [EXAMPLE, 'hello', 'data']) cpSync(join(e2eEnv('root'), 'examples', f), join(examples, f), { recursive: true });
  });
  workbenchPageHooks((opened) => {
    page = opened;
  });

  teardown(async () => {
    // Leave no quick input or hover open for the next suite.
    await page.keyboard.press('Escape');
  });

  test('an example opens from Quick Open with its colours and the Run ▸ lens, runs from the palette, and hovers show what a line changed', async () => {
    await quickOpen(page, EXAMPLE);
    const exec = line(page, 'P = exec hello/hello');
    await exec.waitFor({ timeout: 30_000 });
    // The grammar: `exec` and the comment are painted in other colours than the process name.
    const color = async (text: string) => exec.locator('span > span', { hasText: text }).first().evaluate((e) => (globalThis as unknown as { getComputedStyle(el: unknown): { color: string } }).getComputedStyle(e).color);
    assert.notEqual(await color('exec'), await color('hello/hello'));
    const lens = page.locator('.codelens-decoration', { hasText: 'Run ▸' });
    await lens.waitFor({ timeout: 30_000 });

    await runCommand(page, 'Address Space: Run Scenario');
    // After the run the lens says where the views are, and faults are marked after their lines.
    await page.locator('.codelens-decoration', { hasText: /step \d+\/\d+/ }).first().waitFor({ timeout: 30_000 });
    await page.keyboard.press('Escape');
    // The panel may have opened beside the editor; the editor is what this test looks at.
    await runCommand(page, 'View: Close Editors in Other Groups').catch(() => undefined);
    await quickOpen(page, EXAMPLE);
    const write = line(page, 'write P A 0 16K');
    await write.waitFor();
    const writeLine = readFileSync(join(e2eEnv('root'), 'examples', EXAMPLE), 'utf8').split('\n').findIndex((l) => l.startsWith('write P A 0 16K')) + 1;
    // The cursor on the line: the views (and the lens) show the state after it.
    await write.click();
    await page.locator('.codelens-decoration', { hasText: new RegExp(`line ${writeLine} · step \\d+/\\d+`) }).first().waitFor({ timeout: 30_000 });
    await write.locator('span > span', { hasText: 'write' }).first().hover();
    const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content', { hasText: 'Rss +16 kB' });
    await hover.waitFor({ timeout: 30_000 });
    const text = await hover.innerText();
    assert.match(text, /4 faults, 0 from the zero page/);
    await screenshot(page, 'scenario-editor', true);
  });

  test('a bad line gets a squiggle and a Problems entry as you type', async () => {
    await quickOpen(page, EXAMPLE);
    await line(page, 'P = exec hello/hello').click();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('mapp P A', { delay: 10 });
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 30_000 });
    await runCommand(page, 'View: Toggle Problems');
    await page.locator('.markers-panel .monaco-tl-contents', { hasText: "unknown statement 'mapp'" }).first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'scenario-diagnostics');
    await runCommand(page, 'File: Revert File');
    await runCommand(page, 'View: Toggle Problems');
    await closeAllEditors(page);
  });
});
