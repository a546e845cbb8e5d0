import type { Frame } from 'playwright-core';

/** What the in-page function uses of the page's globals (this project has no DOM types here). */
interface InPage {
  document: { querySelector(selector: string): { scrollTop: number } };
  requestAnimationFrame(callback: (time: number) => void): number;
  performance: { now(): number };
  PerformanceObserver: new (callback: (list: { getEntries(): { duration: number }[] }) => void) => { observe(options: { type: string }): void; disconnect(): void };
}

export interface ScrollTiming {
  /** The time of each animation frame, in ms. */
  readonly frames: number[];
  /** The page's long tasks (over 50 ms: the main thread blocked), in ms. */
  readonly longTasks: number[];
}

/**
 * Scrolls the element `selector` by 997 px a step, one step per animation frame (with `andBack`,
 * down for half the steps and back up for the rest); times the frames and collects the long tasks.
 */
export function scrollFrames(frame: Frame, selector: string, steps: number, andBack = false): Promise<ScrollTiming> {
  return frame.evaluate(async ([query, n, back]) => {
    const { document, requestAnimationFrame, performance, PerformanceObserver } = globalThis as unknown as InPage;
    const viewport = document.querySelector(query);
    const longTasks: number[] = [];
    const observer = new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((e) => e.duration)));
    observer.observe({ type: 'longtask' });
    const frames: number[] = [];
    let last = performance.now();
    for (let i = 0; i < n; i++) {
      viewport.scrollTop += back && i >= n / 2 ? -997 : 997;
      await new Promise<void>((r) => requestAnimationFrame(() => r()));
      const now = performance.now();
      frames.push(now - last);
      last = now;
    }
    observer.disconnect();
    return { frames, longTasks };
  }, [selector, steps, andBack] as const);
}
