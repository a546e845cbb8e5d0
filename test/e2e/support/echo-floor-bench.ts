// The floors of cursor-to-paint and keystroke-to-paint (part of npm run bench): VS Code's own round
// trip from a key in the editor, through a selection (or document change) event in the extension
// host, to a webview's paint. Measured with the test-only echo extension (test/fixtures/echo-extension)
// on a plain 10,000-line file, so that the scenario panel's times can be reported as a floor plus our
// own cost.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { prepareWorkspace } from '../../integration/workspace';
import { onInstalledWorkbench } from './bench-workbench';
import { packTestExtension } from './test-extension';
import { EDITS, JUMPS, LINE_MOVES } from './scenario-panel-bench';
import { visibleWebview } from './webview-frame';
import { goToLine, quickOpen, runCommand } from './workbench';


interface EchoPaint {
  readonly line: number;
  /** The document's version, in the paint of an edit. */
  readonly version?: number;
  readonly at: number;
}
interface EchoPage {
  asxEcho: { paints: EchoPaint[] };
}

export interface EchoFloor {
  /** Cursor key → paint of the new line (ms). */
  readonly moves: number[];
  /** PageDown/PageUp → paint of the new line (ms): the editor scrolls a page too. */
  readonly jumps: number[];
  /** Keystroke that edits the text → paint of the new version (ms). */
  readonly edits: number[];
}

/** Waits for the echo webview's first paint after `since` of a line other than `previous` (or, with `edit`, of a version other than `previous`). */
async function nextEcho(frame: Frame, since: number, previous: number, edit = false): Promise<EchoPaint> {
  const handle = await frame.waitForFunction(([after, prev, byVersion]) => {
    // A keystroke's selection event paints too, after its edit's: the last paint of the kind asked for.
    const paints = (globalThis as unknown as EchoPage).asxEcho.paints.filter((p) => (p.version !== undefined) === byVersion);
    const last = paints[paints.length - 1];
    const changed = byVersion ? last?.version !== prev : last?.line !== prev;
    return last && last.at > after && changed ? last : null;
  }, [since, previous, edit] as const, { timeout: 30_000, polling: 'raf' });
  return (await handle.jsonValue()) as EchoPaint;
}

/** Key → paint times (ms) of the echo webview: ArrowDown then ArrowUp, `LINE_MOVES` each, PageDown then PageUp, `JUMPS` each; then `EDITS` keystrokes at the end of the file's last line, Backspace and `K` in turn, as the scenario panel's bench types. */
export async function echoFloorBench(root: string, vsix: string): Promise<EchoFloor> {
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
    const moves: number[] = [];
    const jumps: number[] = [];
    for (const [key, count, into] of [['ArrowDown', LINE_MOVES, moves], ['ArrowUp', LINE_MOVES, moves], ['PageDown', JUMPS, jumps], ['PageUp', JUMPS, jumps]] as const) {
      for (let i = 0; i < count; i++) {
        const before = Date.now();
        await page.keyboard.press(key);
        const paint = await nextEcho(frame, before, line);
        into.push(paint.at - before);
        line = paint.line;
      }
    }
    await page.keyboard.press('Control+End');
    const edits: number[] = [];
    let version = -1;
    for (let i = 0; i < EDITS; i++) {
      const before = Date.now();
      await page.keyboard.press(i % 2 === 0 ? 'Backspace' : 'K');
      const paint = await nextEcho(frame, before, version, true);
      edits.push(paint.at - before);
      version = paint.version ?? -1;
    }
    return { moves, jumps, edits };
  });
}
