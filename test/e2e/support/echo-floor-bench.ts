// The floor of cursor-to-paint (part of npm run bench): VS Code's own round trip from a key in
// the editor, through a selection event in the extension host, to a webview's paint. Measured
// with the test-only echo extension (test/fixtures/echo-extension) on a plain 10,000-line file,
// so the scenario panel's cursor-to-paint can be reported as this floor plus our own cost.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { prepareWorkspace } from '../../integration/workspace';
import { onInstalledWorkbench } from './bench-workbench';
import { packTestExtension } from './test-extension';
import { visibleWebview } from './webview-frame';
import { goToLine, quickOpen, runCommand } from './workbench';

const MOVES = 30;

interface EchoPage {
  asxEcho: { paints: { line: number; at: number }[] };
}

/** Waits for the echo webview's first paint after `since` of a line other than `previous`. */
async function nextEcho(frame: Frame, since: number, previous: number): Promise<{ line: number; at: number }> {
  const handle = await frame.waitForFunction(([after, prev]) => {
    const paints = (globalThis as unknown as EchoPage).asxEcho.paints;
    const last = paints[paints.length - 1];
    return last && last.at > after && last.line !== prev ? last : null;
  }, [since, previous] as const, { timeout: 30_000, polling: 'raf' });
  return (await handle.jsonValue()) as { line: number; at: number };
}

/** Key → paint times (ms) of the echo webview, ArrowDown then ArrowUp, `MOVES` each. */
export async function echoFloorBench(root: string, vsix: string): Promise<number[]> {
  const workspace = prepareWorkspace(root);
  writeFileSync(join(workspace, 'examples', 'echo-10k.txt'), Array.from({ length: 10_000 }, (_, i) => `line ${i + 1}`).join('\n'));
  return onInstalledWorkbench(root, [vsix, packTestExtension(root, 'echo-extension')], workspace, async (page) => {
    await quickOpen(page, 'echo-10k.txt');
    await goToLine(page, 5_000);
    await runCommand(page, 'Echo Floor: Open');
    const frame = await visibleWebview(page, 'the echo webview');
    await frame.waitForFunction(() => !!(globalThis as unknown as Partial<EchoPage>).asxEcho);
    // The panel opened beside without taking the focus: the keys still go to the editor.
    await page.keyboard.press('ArrowDown');
    let line = (await nextEcho(frame, 0, -1)).line;
    const times: number[] = [];
    for (const key of ['ArrowDown', 'ArrowUp']) {
      for (let i = 0; i < MOVES; i++) {
        const before = Date.now();
        await page.keyboard.press(key);
        const paint = await nextEcho(frame, before, line);
        times.push(paint.at - before);
        line = paint.line;
      }
    }
    return times;
  });
}
