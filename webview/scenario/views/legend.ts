import { h } from '../../dom';
import type { Swatch } from '../palette';

/** A legend of swatches with counts; states with no cells are dimmed but stay, so the legend does not jump. */
export function legend(swatches: readonly Swatch[], values: Uint8Array, label: string): HTMLElement {
  const counts = new Array<number>(Math.max(...swatches.map((s) => s.value)) + 1).fill(0);
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return h('ul', { class: 'legend', 'aria-label': label },
    ...swatches.map((s) => h('li', { class: counts[s.value] ? undefined : 'none', title: s.description, 'data-state': s.label },
      h('span', { class: 'swatch', style: `background: var(${s.variable})` }),
      `${s.label} `, h('span', { class: 'count' }, (counts[s.value] ?? 0).toLocaleString('en-US')))),
  );
}
