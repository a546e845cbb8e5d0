import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import type { FrameLocator, Page } from 'playwright-core';
import { asxMaps, closeAllEditors, elfView, mapStarts, mapsRows, notification, quickOpen, runCommand, screenshot, waitForMaps } from '../support/workbench';
import { workbenchPageHooks } from '../support/workbench-suite';
import { SYMBOLS_PROGRAM } from '../../integration/workspace';

/** A maps line in the table's columns: address range, perms, offset, dev, inode, pathname. */
function columns(line: string): string[] {
  const [range = '', perms = '', offset = '', dev = '', inode = ''] = line.split(' ');
  return [range, perms, offset, dev, inode, line.slice(line.indexOf(' ' + inode + ' ') + inode.length + 2).trim()];
}

async function assertShowsMaps(view: FrameLocator, expected: string[]): Promise<void> {
  const rows = await mapsRows(view);
  assert.deepEqual(rows.map((r) => [r[0]?.split('-')[0], r[1]]), expected.map((l) => [l.split('-')[0], l.split(' ')[1]]), 'start addresses and flags');
  assert.deepEqual(rows, expected.map(columns), 'every column');
  assert.deepEqual(await mapStarts(view), expected.map((l) => '0x' + (l.split('-')[0] ?? '').replace(/^0+(?=.)/, '')), 'the map has one block per region, in order');
}

suite('the ELF view in VS Code, installed from the VSIX', () => {
  let page: Page;
  workbenchPageHooks((opened) => {
    page = opened;
  });

  test('a *.so file opens in the ELF view from Quick Open, with every region as `asx maps` prints it', async () => {
    await quickOpen(page, 'execlib.so');
    const view = await waitForMaps(page);
    await assertShowsMaps(view, asxMaps('execlib.so'));
    await screenshot(page, 'execlib-so');
    await closeAllEditors(page);
  });

  test('a program without an extension: Quick Open, "Open Anyway", then the offer to reopen it in the explorer', async () => {
    await quickOpen(page, 'pie');
    await page.getByRole('button', { name: 'Open Anyway' }).or(page.getByRole('link', { name: 'Open Anyway' })).first().click();
    // With an editor for any file installed, VS Code asks which editor: the person picks the text editor.
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Text Editor' }).click();
    const offer = await notification(page, /pie is an ELF file/);
    await screenshot(page, 'reopen-offer', true);
    await offer.getByRole('button', { name: 'Reopen in Address Space Explorer' }).click();
    const view = await waitForMaps(page);
    await assertShowsMaps(view, asxMaps('pie'));
  });

  test('the explorer\'s context menu opens a file in the explorer', async () => {
    await closeAllEditors(page);
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: new RegExp(`^${SYMBOLS_PROGRAM}$`) }).click({ button: 'right' });
    // VS Code's menus ignore a click that comes too soon after they open; a person hovers, then clicks or presses Enter.
    await page.getByRole('menuitem', { name: 'Open in Address Space Explorer' }).hover();
    await page.keyboard.press('Enter');
    const view = await waitForMaps(page);
    await assertShowsMaps(view, asxMaps(SYMBOLS_PROGRAM));
  });

  test('clicking a region highlights it, its segment and sections, and filters the symbols to it', async () => {
    const view = elfView(page);
    const text = view.locator('.map-region', { hasText: 'r-xp' }).first();
    await text.click();
    assert.equal(await text.getAttribute('aria-selected'), 'true');
    const start = await text.getAttribute('data-start');
    assert.equal(await view.locator(`.maps-table tr[data-start="${start}"]`).getAttribute('aria-selected'), 'true');
    await screenshot(page, 'elf-view', true);
    await view.locator('vscode-tab-header', { hasText: 'Segments & sections' }).click();
    const linkedSegments = await view.locator('.segments-view table').first().locator('tr.linked').allTextContents();
    assert.ok(linkedSegments.some((row) => row.includes('LOAD') && row.includes('r-x')), `linked segments: ${linkedSegments.join(' | ')}`);
    const linkedSections = await view.locator('.segments-view table').nth(1).locator('tr.linked td:nth-child(2)').allTextContents();
    assert.ok(linkedSections.includes('.text'), `linked sections: ${linkedSections.join(', ')}`);
    await screenshot(page, 'segments-linked', true);
    await view.locator('vscode-tab-header', { hasText: 'Symbols' }).click();
    await view.locator('.range-chip:not([hidden])').waitFor();
    await view.locator('.sym-viewport .sym-row:not([hidden])', { hasText: 'main' }).first().waitFor();
    await screenshot(page, 'symbols-in-region', true);
  });

  test('clicking a symbol highlights the region that holds it, and the keyboard selects regions too', async () => {
    const view = elfView(page);
    await view.locator('.sym-viewport .sym-row:not([hidden])', { hasText: /^main0x/ }).first().click();
    const linked = view.locator('.map-region.linked');
    await linked.first().waitFor();
    assert.equal(await linked.count(), 1);
    assert.match((await linked.textContent()) ?? '', /r-xp/);
    await view.locator('.map-region').first().focus();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    assert.equal(await view.locator('.map-region').last().getAttribute('aria-selected'), 'true');
  });

  test('symbol search runs on the host and the grid shows only the matches', async () => {
    const view = elfView(page);
    await view.locator('vscode-tab-header', { hasText: 'Symbols' }).click();
    const clearRange = view.locator('.range-chip:not([hidden]) button');
    if (await clearRange.isVisible()) await clearRange.click();
    await view.locator('vscode-textfield').click();
    const all = (await view.locator('.sym-count').textContent()) ?? '';
    await page.keyboard.type('main');
    await view.locator('.sym-count', { hasNotText: all }).filter({ hasText: /^\d+ of [\d,]+ symbols$/ }).waitFor();
    const names = await view.locator('.sym-viewport .sym-row:not([hidden]) span:first-child').allTextContents();
    assert.ok(names.length > 0 && names.every((n) => n.toLowerCase().includes('main')), names.join(', '));
    await screenshot(page, 'symbol-search');
  });

  test('ASLR "full" from the view\'s selector and a re-rolled seed give what `asx maps --aslr full --seed N` gives, also after a reload', async () => {
    const view = elfView(page);
    await view.locator('vscode-tab-header', { hasText: /^Maps/ }).click();
    await view.locator('vscode-single-select.aslr').click();
    await view.locator('vscode-single-select.aslr li[role="option"]', { hasText: 'full' }).click();
    await view.locator('.seed', { hasText: /seed \d+/ }).waitFor();
    const before = await view.locator('.seed').textContent();
    await view.getByRole('button', { name: 'Re-roll seed' }).click();
    await view.locator('.seed', { hasNotText: before ?? '' }).waitFor();
    const seed = ((await view.locator('.seed').textContent()) ?? '').replace('seed ', '');
    assert.match(seed, /^\d+$/);
    await view.locator('.maps-table tbody tr').first().waitFor();
    await assertShowsMaps(view, asxMaps(SYMBOLS_PROGRAM, '--aslr', 'full', '--seed', seed));
    await screenshot(page, 'aslr-full', true);

    // The view's state (getState/setState) survives reloading the window ("Reload Window" lets the workbench store it).
    await runCommand(page, 'Developer: Reload Window');
    await page.waitForLoadState('load');
    const restored = await waitForMaps(page);
    await restored.locator('.seed', { hasText: `seed ${seed}` }).waitFor();
    await assertShowsMaps(restored, asxMaps(SYMBOLS_PROGRAM, '--aslr', 'full', '--seed', seed));
  });

  test('"Address Space: Open in Address Space Explorer" from the palette replaces the binary file\'s tab', async () => {
    await closeAllEditors(page);
    await quickOpen(page, 'static-pie');
    await page.getByRole('button', { name: 'Open Anyway' }).waitFor();
    await runCommand(page, 'Address Space: Open in Address Space Explorer');
    const view = await waitForMaps(page);
    await assertShowsMaps(view, asxMaps('static-pie'));
    assert.equal(await page.locator('.tabs-container .tab').count(), 1);
  });

  test('the Linked tab shows libc in the dependency tree and the maps at entry as `asx maps --at entry` prints them', async () => {
    await closeAllEditors(page);
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: new RegExp(`^${SYMBOLS_PROGRAM}$`) }).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Open in Address Space Explorer' }).hover();
    await page.keyboard.press('Enter');
    const view = await waitForMaps(page);
    await view.locator('vscode-tab-header', { hasText: 'Linked' }).click();
    const libc = view.locator('.linked-tree [role="treeitem"]', { hasText: 'libc.so.6' }).first();
    await libc.waitFor({ timeout: 30_000 });
    const expected = asxMaps(SYMBOLS_PROGRAM, '--at', 'entry');
    const rows = view.locator('.linked-table tr.region-row');
    const cells: string[][] = [];
    // The first column says what each line is; then the maps columns.
    for (let c = 2; c <= 7; c++) cells.push(await rows.locator(`td:nth-child(${c})`).allTextContents());
    assert.deepEqual((cells[0] ?? []).map((_, r) => cells.map((column) => column[r] ?? '')), expected.map(columns));
    // The keyboard selects libc in the tree; its regions light up in the layout.
    await view.locator('.linked-tree [role="treeitem"]').first().focus();
    for (let i = 0; i < 20 && (await view.locator('.linked-tree [role="treeitem"]:focus').textContent())?.includes('libc.so.6') !== true; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    assert.equal(await libc.getAttribute('aria-selected'), 'true');
    const linkedLines = await view.locator('.linked-table tr.region-row.linked td:nth-child(7)').allTextContents();
    assert.ok(linkedLines.length >= 5 && linkedLines.filter((n) => n.endsWith('/libc.so.6')).length >= 4, linkedLines.join(' | '));
    // The screenshot without the side bar, so that the maps columns fit beside the address-space map.
    await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
    await page.locator('.part.sidebar').waitFor({ state: 'hidden' });
    await page.waitForTimeout(500);
    await screenshot(page, 'linked-tab', true);
    await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
    await page.locator('.part.sidebar').waitFor();
  });
});
