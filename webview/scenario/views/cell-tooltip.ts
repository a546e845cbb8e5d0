import { h } from '../../dom';

const HOVER_DELAY_MS = 40;

/**
 * The tooltip of a cell grid: a moment after the pointer rests on a cell, the cell's detail
 * (fetched, then described) next to the pointer; hidden when the pointer leaves the grid.
 */
export class CellTooltip<Detail> {
  readonly element = h('div', { class: 'tooltip', role: 'tooltip', hidden: true });
  private timer?: ReturnType<typeof setTimeout>;
  private hovered?: number;

  constructor(
    private readonly fetch: (index: number) => Promise<Detail | null | undefined>,
    private readonly describe: (detail: Detail) => string,
  ) {}

  /** The grid's hover action (CellGridActions.hover). */
  hover(index: number | undefined, x: number, y: number): void {
    clearTimeout(this.timer);
    if (index === undefined) {
      this.hovered = undefined;
      this.element.hidden = true;
      return;
    }
    if (index === this.hovered && !this.element.hidden) return this.place(x, y);
    this.hovered = index;
    this.timer = setTimeout(async () => {
      const detail = await this.fetch(index);
      if (this.hovered !== index || !detail) return;
      this.element.textContent = this.describe(detail);
      this.element.hidden = false;
      this.place(x, y);
    }, HOVER_DELAY_MS);
  }

  private place(x: number, y: number): void {
    this.element.style.left = `${Math.max(4, Math.min(x + 12, window.innerWidth - this.element.offsetWidth - 8))}px`;
    this.element.style.top = `${y + 16}px`;
  }
}
