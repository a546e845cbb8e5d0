// The panel's view logic without a DOM: selection across steps, the timeline's scales, formatting.
import { describe, expect, it } from 'vitest';
import type { ProcessSummary, RegionRow } from '../../../simulator/inspect/view-models';
import { formatKb, fraction, hasBar, humanKb, normalizeAddress, pageAddress } from '../../../webview/scenario/format';
import { pickProcess, pickRegion } from '../../../webview/scenario/selection';
import { niceScale, sampleAt, sampleOfLine, sampleX, valueY } from '../../../webview/scenario/timeline-math';

const process = (name: string, state: ProcessSummary['state'] = 'running'): ProcessSummary => ({ name, pid: 1, state, line: 1, rssKb: 0, pssKb: 0, swapKb: 0, vmaCount: 0 });
const row = (index: number, start: number, end: number, region?: string): RegionRow => ({
  index, start: `0x${start.toString(16)}`, end: `0x${end.toString(16)}`, mapsLine: '', perms: 'rw-p', name: '', region, pages: (end - start) / 4096, rssKb: 0, pssKb: 0, swapKb: 0, line: 0, origin: '',
});

describe('what the panel selects as the steps change', () => {
  it('keeps the chosen process while it exists, else the first running one', () => {
    const all = [process('P', 'exited'), process('Q'), process('R')];
    expect(pickProcess(all, 'R')).toBe('R');
    expect(pickProcess(all, 'gone')).toBe('Q');
    expect(pickProcess(all, null)).toBe('Q');
    expect(pickProcess([process('P', 'killed')], null)).toBe('P');
    expect(pickProcess([], 'P')).toBeNull();
  });

  it('follows the region by an address inside it, through splits and merges, else the first named region', () => {
    const rows = [row(0, 0x1000, 0x3000), row(1, 0x10000, 0x18000, 'A'), row(2, 0x18000, 0x20000, 'B')];
    expect(pickRegion(rows, '0x19000')?.index).toBe(2);
    expect(pickRegion(rows, '0x10000')?.index).toBe(1);
    expect(pickRegion(rows, '0x9000')?.index).toBe(1);
    expect(pickRegion(rows, null)?.index).toBe(1);
    expect(pickRegion([row(0, 0x1000, 0x3000)], null)?.index).toBe(0);
    expect(pickRegion([], null)).toBeUndefined();
  });
});

describe('the timeline\'s scales', () => {
  const box = { left: 50, top: 10, width: 500, height: 200 };
  it('maps samples to x and back, clamped', () => {
    expect(sampleX(box, 0, 11)).toBe(50);
    expect(sampleX(box, 10, 11)).toBe(550);
    for (let i = 0; i < 11; i++) expect(sampleAt(box, sampleX(box, i, 11) + 3, 11)).toBe(i);
    expect(sampleAt(box, -100, 11)).toBe(0);
    expect(sampleAt(box, 9999, 11)).toBe(10);
    expect(sampleAt(box, 300, 1)).toBe(0);
  });

  it('puts values on a round scale', () => {
    expect(niceScale(912)).toEqual({ max: 1000, step: 250 });
    expect(niceScale(32)).toEqual({ max: 40, step: 10 });
    expect(niceScale(0)).toEqual({ max: 1, step: 1 });
    expect(valueY(box, 0, 100)).toBe(210);
    expect(valueY(box, 100, 100)).toBe(10);
  });

  it('finds the sample of a line: the last one at or before it', () => {
    const lines = [5, 6, 7, 12, 13, 40];
    expect(sampleOfLine(lines, 12)).toBe(3);
    expect(sampleOfLine(lines, 20)).toBe(4);
    expect(sampleOfLine(lines, 4)).toBe(-1);
    expect(sampleOfLine(lines, 99)).toBe(5);
  });
});

describe('formatting', () => {
  it('writes sizes and bar fractions', () => {
    expect(formatKb(1048576)).toBe('1,048,576 kB');
    expect(humanKb(4)).toBe('4 KiB');
    expect(humanKb(1536)).toBe('1.5 MiB');
    expect(humanKb(4 * 1024 * 1024)).toBe('4 GiB');
    expect(fraction(20, 32)).toBe(0.625);
    expect(fraction(5, 0)).toBe(0);
    expect(fraction(64, 32)).toBe(1);
    expect(hasBar('Pss')).toBe(true);
    expect(hasBar('KernelPageSize')).toBe(false);
  });

  it('reads addresses as people type them and steps through pages', () => {
    expect(normalizeAddress(' 0x7FFFF7FF0000 ')).toBe('0x7ffff7ff0000');
    expect(normalizeAddress('0000_7fff_f7ff_0123')).toBe('0x7ffff7ff0123');
    expect(normalizeAddress('0x0')).toBe('0x0');
    expect(normalizeAddress('main+0x10')).toBeUndefined();
    expect(normalizeAddress('0x12345678901234567')).toBeUndefined();
    expect(pageAddress('0x7ffff7ff0000', 3)).toBe('0x7ffff7ff3000');
  });
});
