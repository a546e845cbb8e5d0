// The canvas grids' geometry: layout, hit testing, the rows drawn, keyboard moves.
import { describe, expect, it } from 'vitest';
import { cellAt, cellOrigin, cellPitch, gridLayout, moveCell, rowsInView, scrollToRow } from '../../../webview/scenario/grid-math';

describe('the pages and frames grid', () => {
  it('lays cells out in as many columns as fit, smaller cells for big regions', () => {
    expect(cellPitch(8)).toBe(14);
    expect(cellPitch(1 << 20)).toBe(6);
    const g = gridLayout(1000, 700, 14);
    expect(g.columns).toBe(50);
    expect(g.rows).toBe(20);
    expect(g.height).toBe(280);
    expect(gridLayout(5, 0).columns).toBe(1);
  });

  it('finds the cell under a point, and nothing past the last cell or the last column', () => {
    const g = gridLayout(105, 140, 14); // 10 columns, 11 rows, the last one half full
    expect(cellAt(g, 0, 0)).toBe(0);
    expect(cellAt(g, 13.9, 13.9)).toBe(0);
    expect(cellAt(g, 14, 0)).toBe(1);
    expect(cellAt(g, 3 * 14 + 2, 2 * 14 + 2)).toBe(23);
    expect(cellAt(g, 4 * 14, 10 * 14)).toBe(104);
    expect(cellAt(g, 5 * 14, 10 * 14)).toBeUndefined();
    expect(cellAt(g, 140, 0)).toBeUndefined();
    expect(cellAt(g, -1, 0)).toBeUndefined();
    expect(cellOrigin(g, 23)).toEqual({ x: 42, y: 28 });
    for (const i of [0, 9, 10, 57, 104]) expect(cellAt(g, cellOrigin(g, i).x + 1, cellOrigin(g, i).y + 1)).toBe(i);
  });

  it('draws only the rows in view at a million pages', () => {
    const g = gridLayout(1 << 20, 1200); // 200 columns of 6 px
    expect(g.columns).toBe(200);
    expect(g.rows).toBe(5243);
    const { first, last } = rowsInView(g, 15_000, 500);
    expect(first).toBe(2499);
    expect(last).toBe(2585);
    expect((last - first) * g.columns).toBeLessThan(20_000);
    expect(rowsInView(g, g.height - 500, 500).last).toBe(g.rows);
  });

  it('moves the focused cell with the keyboard and scrolls it into view', () => {
    const g = gridLayout(105, 140, 14);
    expect(moveCell(g, 0, 'ArrowRight', 5)).toBe(1);
    expect(moveCell(g, 0, 'ArrowLeft', 5)).toBe(0);
    expect(moveCell(g, 3, 'ArrowDown', 5)).toBe(13);
    expect(moveCell(g, 100, 'ArrowDown', 5)).toBe(104);
    expect(moveCell(g, 13, 'ArrowUp', 5)).toBe(3);
    expect(moveCell(g, 0, 'PageDown', 5)).toBe(50);
    expect(moveCell(g, 50, 'End', 5)).toBe(104);
    expect(moveCell(g, 50, 'Home', 5)).toBe(0);
    expect(moveCell(g, 50, 'x', 5)).toBeUndefined();
    expect(scrollToRow(g, 0, 0, 100)).toBeUndefined();
    expect(scrollToRow(g, 10, 0, 100)).toBe(10 * 14 + 14 - 100);
    expect(scrollToRow(g, 1, 100, 100)).toBe(14);
  });
});
