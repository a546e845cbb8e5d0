// The timeline chart's scales: samples along x, kB up y. Pure, so it is tested without a DOM.

export interface ChartBox {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** x of sample `i` of `n`. */
export function sampleX(box: ChartBox, i: number, n: number): number {
  return n <= 1 ? box.left + box.width / 2 : box.left + (i / (n - 1)) * box.width;
}

/** The sample nearest to x (clamped). */
export function sampleAt(box: ChartBox, x: number, n: number): number {
  if (n <= 1) return 0;
  const i = Math.round(((x - box.left) / box.width) * (n - 1));
  return Math.max(0, Math.min(n - 1, i));
}

/** y of a value on a scale from 0 to `max`. */
export function valueY(box: ChartBox, value: number, max: number): number {
  return box.top + box.height - (max > 0 ? (value / max) * box.height : 0);
}

/** A round top for the y scale (1, 2, 2.5 or 5 × 10^k) at or above `max`, and its tick step. */
export function niceScale(max: number, ticks = 4): { max: number; step: number } {
  if (!(max > 0)) return { max: 1, step: 1 };
  const raw = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  return { max: Math.ceil(max / step) * step, step };
}

/** The sample shown for a step's line: the last sample at or before it (samples are in line order). */
export function sampleOfLine(lines: readonly number[], line: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((lines[mid] as number) <= line) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
