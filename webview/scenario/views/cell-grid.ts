import { h } from '../../dom';
import { resolveColor } from '../palette';
import { cellAt, cellOrigin, gridLayout, moveCell, rowsInView, scrollToRow, type GridLayout } from '../grid-math';

export interface CellGridActions {
  /** The pointer rests on a cell (undefined: it left the grid). */
  hover(index: number | undefined, clientX: number, clientY: number): void;
  /** A click, Enter or Space on a cell. */
  activate(index: number): void;
  /** The keyboard moved the focused cell. */
  focus?(index: number): void;
}

/**
 * A canvas grid of up to millions of cells, one byte of state each: only the rows in view are
 * drawn (no DOM per cell), batched by colour, on the next animation frame after a change.
 */
export class CellGrid {
  readonly element: HTMLElement;
  private readonly viewport: HTMLElement;
  private readonly spacer = h('div', { class: 'grid-spacer' });
  private readonly canvas = h('canvas', { class: 'grid-canvas' });
  private values: Uint8Array = new Uint8Array(0);
  /** First cells of runs of `unitLength` cells drawn as one unit (a huge page: no gaps, one outline). */
  private units: readonly number[] = [];
  private unitLength = 1;
  private unitColor = '#888';
  private focusColor = '#fff';
  private colors: string[] = [];
  private layout: GridLayout = gridLayout(0, 0);
  private frame?: number;
  private focused = -1;
  /** Draw times in ms, newest last (the benchmark reads them). */
  readonly drawTimes: number[] = [];

  constructor(label: string, private readonly actions: CellGridActions) {
    this.viewport = h('div', { class: 'grid-viewport', tabindex: 0, role: 'grid', 'aria-label': label }, this.canvas, this.spacer);
    this.element = this.viewport;
    this.viewport.addEventListener('scroll', () => this.schedule());
    new ResizeObserver(() => this.relayout()).observe(this.viewport);
    this.viewport.addEventListener('mousemove', (e) => this.actions.hover(this.indexAt(e), e.clientX, e.clientY));
    this.viewport.addEventListener('mouseleave', (e) => this.actions.hover(undefined, e.clientX, e.clientY));
    this.viewport.addEventListener('click', (e) => {
      const index = this.indexAt(e);
      if (index === undefined) return;
      this.setFocused(index);
      this.actions.activate(index);
    });
    this.viewport.addEventListener('keydown', (e) => this.onKey(e));
  }

  /**
   * New cells (and colours by value), and optionally runs of `unitLength` cells starting at `units` that are
   * one unit (drawn as one block). Keeps the scroll position when the count is the same.
   */
  show(values: Uint8Array, colors: string[], units: readonly number[] = [], unitLength = 1): void {
    const sameCount = values.length === this.values.length;
    this.values = values;
    this.colors = colors;
    this.units = units;
    this.unitLength = unitLength;
    this.unitColor = resolveColor('var(--vscode-editor-foreground)', '#888');
    this.focusColor = resolveColor('var(--vscode-focusBorder)', '#007fd4');
    if (!sameCount) this.focused = Math.min(this.focused, values.length - 1);
    this.relayout();
  }

  get count(): number {
    return this.values.length;
  }

  get focusedIndex(): number {
    return this.focused;
  }

  setFocused(index: number): void {
    this.focused = index;
    this.viewport.setAttribute('aria-activedescendant', '');
    const row = Math.floor(index / this.layout.columns);
    const top = scrollToRow(this.layout, row, this.viewport.scrollTop, this.viewport.clientHeight);
    if (top !== undefined) this.viewport.scrollTop = top;
    this.schedule();
  }

  /** Where a cell is on screen (for a tooltip next to the focused cell). */
  cellClientRect(index: number): { x: number; y: number } {
    const box = this.viewport.getBoundingClientRect();
    const { x, y } = cellOrigin(this.layout, index);
    return { x: box.left + x + this.layout.pitch, y: box.top + y - this.viewport.scrollTop + this.layout.pitch };
  }

  private indexAt(e: MouseEvent): number | undefined {
    const box = this.viewport.getBoundingClientRect();
    return cellAt(this.layout, e.clientX - box.left, e.clientY - box.top + this.viewport.scrollTop);
  }

  private onKey(e: KeyboardEvent): void {
    if ((e.key === 'Enter' || e.key === ' ') && this.focused >= 0) {
      e.preventDefault();
      this.actions.activate(this.focused);
      return;
    }
    const pageRows = Math.floor(this.viewport.clientHeight / this.layout.pitch);
    const next = moveCell(this.layout, Math.max(0, this.focused), e.key, pageRows);
    if (next === undefined) return;
    e.preventDefault();
    this.setFocused(next);
    this.actions.focus?.(next);
  }

  private relayout(): void {
    this.layout = gridLayout(this.values.length, this.viewport.clientWidth);
    this.spacer.style.height = `${this.layout.height}px`;
    this.viewport.setAttribute('aria-rowcount', String(this.layout.rows));
    this.schedule();
  }

  private schedule(): void {
    if (this.frame === undefined) this.frame = requestAnimationFrame(() => this.draw());
  }

  /** Draws the rows in view now (the benchmark calls it to time one frame's work). */
  draw(): void {
    this.frame = undefined;
    const start = performance.now();
    const { clientWidth: width, clientHeight: height, scrollTop } = this.viewport;
    const ratio = window.devicePixelRatio || 1;
    const canvas = this.canvas;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      canvas.style.width = `${width}px`;
      canvas.style.height = `${height}px`;
    }
    canvas.style.transform = `translateY(${scrollTop}px)`;
    const context = canvas.getContext('2d');
    if (!context) return;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);
    const { columns, pitch, cell } = this.layout;
    const { first, last } = rowsInView(this.layout, scrollTop, height);
    const from = first * columns;
    const to = Math.min(this.values.length, last * columns);
    // One path per colour: a few fill calls per frame, however many cells.
    for (let value = 0; value < this.colors.length; value++) {
      const color = this.colors[value];
      if (!color) continue;
      context.beginPath();
      let any = false;
      for (let i = from; i < to; i++) {
        if (this.values[i] !== value) continue;
        const row = (i / columns) | 0;
        context.rect((i - row * columns) * pitch, row * pitch - scrollTop, cell, cell);
        any = true;
      }
      if (any) {
        context.fillStyle = color;
        context.fill();
      }
    }
    if (this.units.length) this.drawUnits(context, from, to, scrollTop);
    if (this.focused >= 0 && this.focused >= from && this.focused < to) {
      const { x, y } = cellOrigin(this.layout, this.focused);
      context.strokeStyle = this.focusColor;
      context.lineWidth = 2;
      context.strokeRect(x - 1, y - scrollTop - 1, cell + 2, cell + 2);
    }
    this.drawTimes.push(performance.now() - start);
    if (this.drawTimes.length > 1000) this.drawTimes.splice(0, 500);
  }

  /** Each unit in view: its cells' gaps filled with its first cell's colour, and one outline around it. */
  private drawUnits(context: CanvasRenderingContext2D, from: number, to: number, scrollTop: number): void {
    const { columns, pitch, cell } = this.layout;
    context.lineWidth = 1;
    context.strokeStyle = this.unitColor;
    for (const first of this.units) {
      const last = first + this.unitLength - 1;
      if (last < from || first >= to) continue;
      const color = this.colors[this.values[first]!];
      // Row segments [left, right) in pixels, top to bottom.
      const segments: [number, number, number][] = [];
      for (let row = (first / columns) | 0; row <= ((last / columns) | 0); row++) {
        const a = Math.max(first, row * columns) - row * columns;
        const b = Math.min(last, row * columns + columns - 1) - row * columns;
        segments.push([row * pitch - scrollTop, a * pitch, b * pitch + cell]);
      }
      if (color) {
        context.fillStyle = color;
        for (const [i, [y, left, right]] of segments.entries()) {
          context.fillRect(left, y, right - left, cell);
          // The gap down to the next row, where both rows belong to the unit.
          const below = segments[i + 1];
          if (below) context.fillRect(Math.max(left, below[1]), y + cell, Math.min(right, below[2]) - Math.max(left, below[1]), pitch - cell);
        }
      }
      context.beginPath();
      for (const [i, [y, left, right]] of segments.entries()) {
        const bottom = y + cell + 0.5;
        context.moveTo(left - 0.5, y - 0.5);
        context.lineTo(left - 0.5, bottom);
        context.moveTo(right + 0.5, y - 0.5);
        context.lineTo(right + 0.5, bottom);
        const above = segments[i - 1];
        if (!above) {
          context.moveTo(left - 0.5, y - 0.5);
          context.lineTo(right + 0.5, y - 0.5);
        } else {
          // Where this row reaches past the one above, its top is the unit's edge.
          if (left < above[1]) {
            context.moveTo(left - 0.5, y - 0.5);
            context.lineTo(above[1] - 0.5, y - 0.5);
          }
          if (right > above[2]) {
            context.moveTo(above[2] + 0.5, y - 0.5);
            context.lineTo(right + 0.5, y - 0.5);
          }
        }
        const below = segments[i + 1];
        if (!below) {
          context.moveTo(left - 0.5, bottom);
          context.lineTo(right + 0.5, bottom);
        } else if (right > below[2]) {
          context.moveTo(below[2] + 0.5, bottom);
          context.lineTo(right + 0.5, bottom);
        }
      }
      context.stroke();
    }
  }
}
