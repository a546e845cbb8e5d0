import type { TimelineView } from '../../../simulator/inspect/view-models';
import { h, icon } from '../../dom';
import { humanKb } from '../format';
import { resolveColor, SERIES_VARIABLES } from '../palette';
import { niceScale, sampleAt, sampleOfLine, sampleX, valueY, type ChartBox } from '../timeline-math';
import { errorText, type PanelActions, type TabContext, type TabView } from './tab-view';

const METRICS = [
  { key: 'rssKb', label: 'Rss', dash: [] as number[] },
  { key: 'pssKb', label: 'Pss', dash: [6, 3] },
  { key: 'swapKb', label: 'Swap', dash: [2, 3] },
] as const;
type MetricKey = (typeof METRICS)[number]['key'];
const HEIGHT = 320;
const MARGIN = { left: 72, right: 16, top: 12, bottom: 28 };

/**
 * Rss, Pss and Swap of every process over the statements. Drag or click to scrub, or use the arrow
 * keys: the step (and the editor's cursor) follows.
 */
export class TimelineChartView implements TabView {
  readonly element: HTMLElement;
  readonly needsRegions = false;
  private readonly canvas = h('canvas', { class: 'timeline-canvas', tabindex: 0, role: 'slider', 'aria-label': 'Timeline: the step shown', 'aria-valuemin': 0 });
  private readonly legendBox = h('div', { class: 'timeline-legend' });
  private readonly readout = h('p', { class: 'mono timeline-readout', 'aria-live': 'polite' });
  /** Failed calls and deaths, each a button to its line. */
  private readonly eventList = h('ul', { class: 'timeline-events', 'aria-label': 'Failed calls and deaths' });
  private readonly shown = new Set<MetricKey>(['rssKb', 'pssKb', 'swapKb']);
  private timeline?: TimelineView;
  private run = 0;
  private current = -1;
  private hovered?: number;
  private dragging = false;

  /** `label` names a sample's x value: a scenario's source line by default; the live view's readings. */
  constructor(
    private readonly actions: PanelActions,
    private readonly label: (line: number) => string = (line) => `line ${line}`,
  ) {
    const toggles = METRICS.map((m) => {
      const b = h('button', { class: 'toggle', 'aria-pressed': 'true', title: `Show ${m.label}` }, h('span', { class: `dash dash-${m.key}`, 'aria-hidden': 'true' }), m.label);
      b.addEventListener('click', () => {
        if (this.shown.has(m.key)) this.shown.delete(m.key);
        else this.shown.add(m.key);
        b.setAttribute('aria-pressed', String(this.shown.has(m.key)));
        this.draw();
      });
      return b;
    });
    this.element = h('section', { class: 'timeline-view' }, h('div', { class: 'toolbar' }, ...toggles, h('span', { class: 'spacer' }), this.legendBox), this.canvas, this.readout, this.eventList);
    this.canvas.addEventListener('pointerdown', (e) => {
      this.dragging = true;
      this.canvas.setPointerCapture(e.pointerId);
      this.scrubTo(this.sampleAtEvent(e));
    });
    this.canvas.addEventListener('pointermove', (e) => {
      const sample = this.sampleAtEvent(e);
      if (this.dragging) this.scrubTo(sample);
      else if (sample !== this.hovered) {
        this.hovered = sample;
        this.draw();
      }
    });
    this.canvas.addEventListener('pointerup', () => (this.dragging = false));
    this.canvas.addEventListener('pointerleave', () => {
      this.hovered = undefined;
      this.draw();
    });
    this.canvas.addEventListener('keydown', (e) => {
      const n = this.timeline?.lines.length ?? 0;
      const moves: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, PageDown: 10, PageUp: -10 };
      let next: number | undefined;
      if (e.key in moves) next = Math.max(0, this.current) + (moves[e.key] as number);
      else if (e.key === 'Home') next = 0;
      else if (e.key === 'End') next = n - 1;
      if (next === undefined) return;
      e.preventDefault();
      this.scrubTo(Math.max(0, Math.min(n - 1, next)));
    });
    new ResizeObserver(() => this.draw()).observe(this.canvas);
  }

  async update(context: TabContext): Promise<void> {
    if (this.run !== context.at.run) {
      try {
        const timeline = await context.client.request('timeline', { run: context.at.run });
        if (!context.current()) return;
        this.timeline = timeline;
        this.run = context.at.run;
        this.listEvents();
      } catch (error) {
        if (context.current()) this.readout.replaceChildren(icon('error'), ` ${errorText(error)}`);
        return;
      }
    }
    const lines = this.timeline?.lines ?? [];
    this.current = sampleOfLine(lines, context.status.line);
    this.canvas.setAttribute('aria-valuemax', String(Math.max(0, lines.length - 1)));
    this.canvas.setAttribute('aria-valuenow', String(Math.max(0, this.current)));
    this.canvas.setAttribute('aria-valuetext', context.status.line > 0 ? this.label(context.status.line) : 'before the first statement');
    this.legendBox.replaceChildren(...(this.timeline?.processes ?? []).map((p, i) => h('span', { class: 'series' }, h('span', { class: 'swatch', style: `background: var(${SERIES_VARIABLES[i % SERIES_VARIABLES.length]})` }), p.name)));
    this.draw();
  }

  /** The events under the chart: what failed or died, and where (a click moves the step there). */
  private listEvents(): void {
    const events = this.timeline?.events ?? [];
    this.eventList.replaceChildren(...events.map((e) => {
      const go = h('button', { class: 'link mono', title: `Go to line ${e.line}` }, this.label(e.line));
      go.addEventListener('click', () => this.actions.setLine(e.line));
      return h('li', { class: `timeline-event event-${e.kind}` }, icon(e.kind === 'syscall-failed' ? 'warning' : 'error'), ' ', go, ' ', h('span', { class: 'mono' }, e.message));
    }));
  }

  private box(width: number): ChartBox {
    return { left: MARGIN.left, top: MARGIN.top, width: Math.max(10, width - MARGIN.left - MARGIN.right), height: HEIGHT - MARGIN.top - MARGIN.bottom };
  }

  private sampleAtEvent(e: PointerEvent): number {
    const rect = this.canvas.getBoundingClientRect();
    return sampleAt(this.box(rect.width), e.clientX - rect.left, this.timeline?.lines.length ?? 0);
  }

  private scrubTo(sample: number): void {
    const line = this.timeline?.lines[sample];
    if (line === undefined || sample === this.current) return;
    this.current = sample;
    this.draw();
    this.actions.setLine(line);
  }

  private draw(): void {
    const timeline = this.timeline;
    const width = this.canvas.clientWidth;
    if (!timeline || width === 0) return;
    const ratio = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(width * ratio);
    this.canvas.height = Math.round(HEIGHT * ratio);
    this.canvas.style.height = `${HEIGHT}px`;
    const g = this.canvas.getContext('2d');
    if (!g) return;
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, HEIGHT);
    const box = this.box(width);
    const n = timeline.lines.length;
    let max = 0;
    for (const p of timeline.processes) for (const m of METRICS) if (this.shown.has(m.key)) for (const v of p[m.key]) max = Math.max(max, v);
    const scale = niceScale(max);
    const foreground = resolveColor('var(--vscode-descriptionForeground)');
    const grid = resolveColor('var(--vscode-editorWidget-border, var(--vscode-panel-border))');
    g.font = `11px ${getComputedStyle(document.body).fontFamily}`;
    g.fillStyle = foreground;
    g.strokeStyle = grid;
    g.lineWidth = 1;
    g.textAlign = 'right';
    g.textBaseline = 'middle';
    for (let v = 0; v <= scale.max; v += scale.step) {
      const y = Math.round(valueY(box, v, scale.max)) + 0.5;
      g.globalAlpha = 0.5;
      g.beginPath();
      g.moveTo(box.left, y);
      g.lineTo(box.left + box.width, y);
      g.stroke();
      g.globalAlpha = 1;
      g.fillText(v === 0 ? '0' : humanKb(v), box.left - 8, y);
    }
    g.textBaseline = 'top';
    const ticks = Math.min(n, Math.max(2, Math.floor(box.width / 80)));
    for (let t = 0; t < ticks; t++) {
      const i = ticks === 1 ? 0 : Math.round((t * (n - 1)) / (ticks - 1));
      // The first and last labels stay inside the chart.
      g.textAlign = t === 0 ? 'left' : t === ticks - 1 ? 'right' : 'center';
      g.fillText(this.label(timeline.lines[i] ?? 0), sampleX(box, i, n), box.top + box.height + 8);
    }
    timeline.processes.forEach((p, index) => {
      g.strokeStyle = resolveColor(`var(${SERIES_VARIABLES[index % SERIES_VARIABLES.length]})`);
      for (const m of METRICS) {
        if (!this.shown.has(m.key)) continue;
        g.setLineDash(m.dash);
        g.lineWidth = m.key === 'rssKb' ? 2 : 1.5;
        g.beginPath();
        p[m.key].forEach((v, i) => {
          const x = sampleX(box, i, n);
          const y = valueY(box, v, scale.max);
          if (i === 0) g.moveTo(x, y);
          else g.lineTo(x, y);
        });
        g.stroke();
      }
    });
    g.setLineDash([]);
    const marker = (sample: number, color: string, widthPx: number) => {
      const x = Math.round(sampleX(box, sample, n)) + 0.5;
      g.strokeStyle = color;
      g.lineWidth = widthPx;
      g.beginPath();
      g.moveTo(x, box.top);
      g.lineTo(x, box.top + box.height);
      g.stroke();
    };
    // Failed calls and deaths: a triangle above the chart at their statement's sample.
    for (const e of timeline.events ?? []) {
      const sample = sampleOfLine(timeline.lines, e.line);
      if (sample < 0) continue;
      const x = sampleX(box, sample, n);
      g.fillStyle = resolveColor(e.kind === 'syscall-failed' ? 'var(--vscode-editorWarning-foreground)' : 'var(--vscode-editorError-foreground)');
      g.beginPath();
      g.moveTo(x - 5, box.top);
      g.lineTo(x + 5, box.top);
      g.lineTo(x, box.top + 8);
      g.fill();
    }
    if (this.hovered !== undefined && this.hovered !== this.current) marker(this.hovered, grid, 1);
    if (this.current >= 0) marker(this.current, resolveColor('var(--vscode-focusBorder)'), 2);
    const at = this.hovered ?? this.current;
    this.readout.replaceChildren(...(at >= 0
      ? [h('span', { class: 'readout-line' }, this.label(timeline.lines[at] ?? 0)), ...timeline.processes.map((p, i) => h('span', { class: 'readout-process' },
        h('span', { class: 'swatch', style: `background: var(${SERIES_VARIABLES[i % SERIES_VARIABLES.length]})` }),
        `${p.name}  Rss ${humanKb(p.rssKb[at] ?? 0)} · Pss ${humanKb(p.pssKb[at] ?? 0)} · Swap ${humanKb(p.swapKb[at] ?? 0)}`))]
      : ['before the first statement']));
  }
}
