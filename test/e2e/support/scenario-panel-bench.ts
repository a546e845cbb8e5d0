// The scenario panel's speed (part of npm run bench): cursor move → panel paint on a generated
// 10,000-statement scenario, the pages grid at a million pages, and the view models of every step.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Frame, Page } from 'playwright-core';
import { RunViews } from '../../../extension/scenario-panel/panel-views';
import { scenarioFilesOnDisk } from '../../../simulator/cli/node-file-access';
import { runScenario } from '../../../simulator/scenario/run';
import { prepareWorkspace } from '../../integration/workspace';
import { generatedScenario } from '../../support/bench-scenarios';
import { keystrokeShare } from './keystroke-share';
import { onInstalledWorkbench } from './bench-workbench';
import { visibleWebview } from './webview-frame';
import { scrollFrames, type ScrollTiming } from './scroll-frames';
import { goToLine, quickOpen, runCommand } from './workbench';

export const BENCH_STATEMENTS = 10_000;
/** Cursor moves each way, page jumps each way and keystrokes: the echo floor (echo-floor-bench.ts) makes as many. */
export const LINE_MOVES = 30;
export const JUMPS = 10;
export const EDITS = 20;
const SCROLL_STEPS = 240;

export interface ScenarioBench {
  readonly statements: number;
  /** Run Scenario from the palette to the panel's first paint of the run. */
  readonly runMs: number;
  readonly lineByLineMs: number[];
  readonly jumpMs: number[];
  /** A keystroke that changes the last statement → the panel's paint of the re-run. */
  readonly editMs: number[];
  readonly pages: number;
  readonly pagesFirstPaintMs: number;
  readonly pagesFrames: number[];
  readonly pagesDraws: number[];
  readonly pagesLongTasks: number[];
  readonly fullyStepped: { readonly steps: number; readonly totalMs: number; readonly perStepMs: number };
  /** The extension host's share of a keystroke at the end (keystroke-share.ts), in Node. */
  readonly keystrokeShareMs: number[];
}

/** A 4 GiB private anonymous mapping touched sparsely: a million-page grid, mostly not present. */
export const MILLION_PAGES_SCENARIO = [
  '# generated: a 4 GiB mapping, 1M pages, touched sparsely',
  // More RAM than the mapping: with the default RAM, overcommit's heuristic refuses 4 GiB (ENOMEM).
  'set ram 8G',
  'P = exec hello/hello',
  'B = mmap P 4G rw- private anon',
  ...Array.from({ length: 64 }, (_, i) => `write P B ${i * 64}M 4K`),
  ...Array.from({ length: 256 }, (_, i) => `read P B ${i * 16 + 8}M 4K`),
  '',
].join('\n');

/** Every step's view models as the panel asks for them (processes, maps, smaps and pages of A), on the host's code. */
export async function stepEverything(path: string): Promise<ScenarioBench['fullyStepped']> {
  const outcome = await runScenario(readFileSync(path, 'utf8'), path, scenarioFilesOnDisk(path));
  if (!outcome.ok) throw new Error(`the generated scenario does not parse: ${outcome.diagnostics[0]?.message}`);
  const views = new RunViews(1, outcome.run);
  const start = performance.now();
  const steps = outcome.run.statements.length;
  for (let step = -1; step < steps; step++) {
    views.processes(step);
    const { rows } = views.answer('regions', { run: 1, step, process: 'P' });
    const a = rows.find((r) => r.region === 'A');
    if (!a) continue;
    views.answer('smaps', { run: 1, step, process: 'P', region: a.index });
    views.answer('pages', { run: 1, step, process: 'P', region: a.index });
  }
  const totalMs = performance.now() - start;
  return { steps: steps + 1, totalMs, perStepMs: totalMs / (steps + 1) };
}

interface Paint {
  readonly run: number;
  readonly step: number;
  readonly tab: string;
  readonly at: number;
}

/** What the in-page functions use of the panel's globals (this project has no DOM types here). */
interface PanelPage {
  asxScenarioPanel: { paints: Paint[]; views: { pages: { cells: { drawTimes: number[] } } } };
}

/** The panel's document (the inner frame of the visible webview). */
async function panelFrame(page: Page): Promise<Frame> {
  const frame = await visibleWebview(page, 'the scenario panel');
  await frame.waitForFunction(() => !!(globalThis as unknown as Partial<PanelPage>).asxScenarioPanel);
  return frame;
}

/** The first paint after `since` (epoch ms) of a step other than `previous` (and of `tab`, when given). */
async function nextPaint(frame: Frame, since: number, previous: number | null, tab?: string): Promise<Paint> {
  const handle = await frame.waitForFunction(([after, prev, wanted]) => {
    const paints = (globalThis as unknown as PanelPage).asxScenarioPanel.paints;
    const last = paints[paints.length - 1];
    return last && last.at > after && last.run > 0 && (prev === null || last.step !== prev) && (!wanted || last.tab === wanted) ? last : null;
  }, [since, previous, tab ?? null] as const, { timeout: 60_000, polling: 'raf' });
  return (await handle.jsonValue()) as Paint;
}

async function runFromPalette(page: Page, file: string): Promise<{ frame: Frame; ms: number }> {
  await quickOpen(page, file);
  await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: 30_000 });
  const start = Date.now();
  await runCommand(page, 'Address Space: Run Scenario');
  const frame = await panelFrame(page);
  const paint = await nextPaint(frame, start, null);
  return { frame, ms: paint.at - start };
}

/** Presses `key` in the editor and times until the panel has painted the new step. */
async function cursorToPaint(page: Page, frame: Frame, key: string, previous: number): Promise<Paint & { ms: number }> {
  const before = Date.now();
  await page.keyboard.press(key);
  const paint = await nextPaint(frame, before, previous, 'smaps');
  return { ...paint, ms: paint.at - before };
}

/** The first paint after `since` of a run newer than `previous`. */
async function nextRunPaint(frame: Frame, since: number, previous: number): Promise<Paint> {
  const handle = await frame.waitForFunction(([after, prev]) => {
    const paints = (globalThis as unknown as PanelPage).asxScenarioPanel.paints;
    const last = paints[paints.length - 1];
    return last && last.at > after && last.run > prev ? last : null;
  }, [since, previous] as const, { timeout: 60_000, polling: 'raf' });
  return (await handle.jsonValue()) as Paint;
}

/**
 * Keystrokes at the end of the last statement (`… 4K`): Backspace and `K` in turn, each a
 * semantic change (4 KiB ↔ 4 bytes), timed until the panel paints the re-run.
 */
async function editsAtEnd(page: Page, frame: Frame): Promise<number[]> {
  // The keys still go to the editor (the cursor moves above did); the file ends with a newline.
  for (const key of ['Control+End', 'ArrowUp', 'End']) await page.keyboard.press(key);
  let run = (await nextPaint(frame, 0, -2)).run;
  const times: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const before = Date.now();
    await page.keyboard.press(i % 2 === 0 ? 'Backspace' : 'K');
    const paint = await nextRunPaint(frame, before, run);
    times.push(paint.at - before);
    run = paint.run;
  }
  return times;
}

/** The pages grid's canvas draw times, oldest first. */
function pagesDraws(frame: Frame): Promise<number[]> {
  return frame.evaluate(() => (globalThis as unknown as PanelPage).asxScenarioPanel.views.pages.cells.drawTimes);
}

/** Scrolls the pages grid down and back up, one step per animation frame; frame times, canvas draw times, long tasks. */
async function scrollPages(frame: Frame, steps: number): Promise<ScrollTiming & { draws: number[] }> {
  const drawsBefore = (await pagesDraws(frame)).length;
  const timing = await scrollFrames(frame, '.pages-view .grid-viewport', steps, true);
  return { ...timing, draws: (await pagesDraws(frame)).slice(drawsBefore) };
}

export async function scenarioBench(root: string, vsix: string): Promise<ScenarioBench> {
  const workspace = prepareWorkspace(root);
  const big = join(workspace, 'examples', 'bench-10k.aspace');
  writeFileSync(big, generatedScenario(BENCH_STATEMENTS));
  writeFileSync(join(workspace, 'examples', 'bench-1m-pages.aspace'), MILLION_PAGES_SCENARIO);
  const fullyStepped = await stepEverything(big);
  const keystrokeShareMs = await keystrokeShare(big);
  return onInstalledWorkbench(root, vsix, workspace, async (page) => {
    const { frame, ms: runMs } = await runFromPalette(page, 'bench-10k.aspace');
    await frame.locator('vscode-tab-header[data-tab="smaps"]').click();
    await goToLine(page, Math.floor(BENCH_STATEMENTS / 2));
    let step = (await nextPaint(frame, 0, -2, 'smaps')).step;
    const lineByLineMs: number[] = [];
    const jumpMs: number[] = [];
    for (const [key, count, into] of [['ArrowDown', LINE_MOVES, lineByLineMs], ['ArrowUp', LINE_MOVES, lineByLineMs], ['PageDown', JUMPS, jumpMs], ['PageUp', JUMPS, jumpMs]] as const) {
      for (let i = 0; i < count; i++) {
        const paint = await cursorToPaint(page, frame, key, step);
        into.push(paint.ms);
        step = paint.step;
      }
    }
    const editMs = await editsAtEnd(page, frame);

    const pages = await runFromPalette(page, 'bench-1m-pages.aspace');
    await page.keyboard.press('Control+End');
    await nextPaint(pages.frame, 0, -2);
    const tabClicked = Date.now();
    await pages.frame.locator('vscode-tab-header[data-tab="pages"]').click();
    const pagesPaint = await nextPaint(pages.frame, tabClicked, null, 'pages');
    const count = Number((await pages.frame.locator('.pages-view .grid-viewport').getAttribute('aria-rowcount')) ?? 0);
    await scrollPages(pages.frame, 30); // warm-up
    const scrolled = await scrollPages(pages.frame, SCROLL_STEPS);
    const title = (await pages.frame.locator('.pages-view .toolbar .mono').textContent()) ?? '';
    return {
      statements: BENCH_STATEMENTS, runMs, lineByLineMs, jumpMs, editMs,
      pages: Number(/([\d,]+) pages/.exec(title)?.[1]?.replace(/,/g, '') ?? count),
      pagesFirstPaintMs: pagesPaint.at - tabClicked,
      pagesFrames: scrolled.frames, pagesDraws: scrolled.draws, pagesLongTasks: scrolled.longTasks,
      fullyStepped,
      keystrokeShareMs,
    };
  });
}
