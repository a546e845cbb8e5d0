// The geometry of the canvas grids (pages of a region, frames of physical memory): one square
// cell per item, row-major, only the rows in view drawn. Pure, so it is tested without a DOM.
import { visibleWindow } from '../virtual-window';

export interface GridLayout {
  readonly count: number;
  /** Cell side in CSS pixels, without the gap. */
  readonly cell: number;
  /** Cell plus gap. */
  readonly pitch: number;
  readonly columns: number;
  readonly rows: number;
  /** Height of the whole grid in CSS pixels. */
  readonly height: number;
}

/** Big grids get smaller cells, so that a million pages is a few hundred screens, not thousands. */
export function cellPitch(count: number): number {
  if (count > 262_144) return 6;
  if (count > 16_384) return 9;
  return 14;
}

export function gridLayout(count: number, width: number, pitch = cellPitch(count)): GridLayout {
  const columns = Math.max(1, Math.floor(Math.max(0, width) / pitch));
  const rows = Math.ceil(count / columns);
  return { count, cell: pitch - 1, pitch, columns, rows, height: rows * pitch };
}

/** The item under a point in grid coordinates (x from the grid's left, y from its top), if any. */
export function cellAt(layout: GridLayout, x: number, y: number): number | undefined {
  if (x < 0 || y < 0) return undefined;
  const column = Math.floor(x / layout.pitch);
  const row = Math.floor(y / layout.pitch);
  if (column >= layout.columns) return undefined;
  const index = row * layout.columns + column;
  return index < layout.count ? index : undefined;
}

/** Top-left corner of an item's cell in grid coordinates. */
export function cellOrigin(layout: GridLayout, index: number): { x: number; y: number } {
  return { x: (index % layout.columns) * layout.pitch, y: Math.floor(index / layout.columns) * layout.pitch };
}

/** The rows [first, last) to draw for a scroll position, with one row of overscan. */
export function rowsInView(layout: GridLayout, scrollTop: number, viewportHeight: number): { first: number; last: number } {
  return visibleWindow(scrollTop, viewportHeight, layout.pitch, layout.rows, 1);
}

/** Where the keyboard moves the focused cell: arrows by one cell or one row, Page keys by a screen, Home/End. */
export function moveCell(layout: GridLayout, index: number, key: string, pageRows: number): number | undefined {
  const last = layout.count - 1;
  if (last < 0) return undefined;
  const by = (delta: number) => Math.max(0, Math.min(last, index + delta));
  switch (key) {
    case 'ArrowRight': return by(1);
    case 'ArrowLeft': return by(-1);
    case 'ArrowDown': return by(layout.columns);
    case 'ArrowUp': return by(-layout.columns);
    case 'PageDown': return by(layout.columns * Math.max(1, pageRows));
    case 'PageUp': return by(-layout.columns * Math.max(1, pageRows));
    case 'Home': return 0;
    case 'End': return last;
    default: return undefined;
  }
}

/** The scrollTop that brings a row into view, or undefined when it is in view already. */
export function scrollToRow(layout: GridLayout, row: number, scrollTop: number, viewportHeight: number): number | undefined {
  const top = row * layout.pitch;
  if (top < scrollTop) return top;
  if (top + layout.pitch > scrollTop + viewportHeight) return top + layout.pitch - viewportHeight;
  return undefined;
}
