import type { Frame, Page } from 'playwright-core';

/** The document of the visible webview as a Frame (to evaluate in): VS Code's outer iframe, then its #active-frame; `view` names it in the error. */
export async function visibleWebview(page: Page, view = 'a webview'): Promise<Frame> {
  const outer = await page.locator('iframe.webview.ready >> visible=true').first().elementHandle({ timeout: 30_000 });
  const outerFrame = await outer?.contentFrame();
  const inner = await outerFrame?.locator('#active-frame').elementHandle({ timeout: 30_000 });
  const frame = await inner?.contentFrame();
  if (!frame) throw new Error(`${view} did not open`);
  return frame;
}

/** The scenario panel's tabs, as their headers' data-tab names them. */
export const SCENARIO_TABS = ['processes', 'smaps', 'pages', 'pagetable', 'physical', 'lru', 'timeline', 'faults'] as const;

/** Shows `tab` in the scenario panel and waits until it has painted. */
export async function showTab(frame: Frame, tab: string): Promise<void> {
  await frame.locator(`vscode-tab-header[data-tab="${tab}"]`).click();
  await frame.locator(`body[data-painted$=":${tab}"]`).waitFor({ state: 'attached', timeout: 30_000 });
}
