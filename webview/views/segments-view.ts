import { h } from '../dom';
import { segmentRwx } from '../format';
import { rovingFocus } from '../roving-focus';
import type { Links } from '../selection';
import type { ElfSummary } from '../view-models';

export interface SegmentActions {
  segment(index: number): void;
  section(index: number): void;
}

function table(label: string, columns: readonly string[], body: HTMLElement): HTMLElement {
  return h('div', { class: 'table-scroll' }, h('table', { 'aria-label': label }, h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', { scope: 'col' }, c)))), body));
}

const cell = (text: string, mono = true) => h('td', { class: mono ? 'mono' : undefined }, text);

/** The program headers with rwx flags and the sections inside each, then every section header. */
export class SegmentsView {
  readonly element: HTMLElement;
  private readonly segmentRows: HTMLElement[];
  private readonly sectionRows: HTMLElement[];

  constructor(summary: ElfSummary, actions: SegmentActions) {
    const sectionChip = (i: number) => {
      const chip = h('button', { class: 'chip', type: 'button', 'data-section': i, tabindex: -1 }, summary.sections[i]?.name || `[${i}]`);
      chip.addEventListener('click', (e) => {
        e.stopPropagation();
        actions.section(i);
      });
      return chip;
    };
    this.segmentRows = summary.programHeaders.map((p, i) => h('tr', { 'data-index': i, 'aria-selected': 'false' },
      cell(String(p.index)), cell(p.typeName), h('td', { class: `mono rwx`, title: `readelf: ${p.flagsText}` }, segmentRwx(p.flags)),
      cell(p.offset), cell(p.vaddr), cell(p.filesz), cell(p.memsz), cell(p.align),
      h('td', { class: 'chips' }, ...(summary.segmentSectionIndices[i] ?? []).map(sectionChip)),
    ));
    this.sectionRows = summary.sections.map((s, i) => h('tr', { 'data-index': i, 'aria-selected': 'false' },
      cell(String(s.index)), cell(s.name), cell(s.typeName), cell(s.flagLetters), cell(s.addr), cell(s.offset), cell(s.size),
    ));
    const segmentBody = h('tbody', {}, ...this.segmentRows);
    const sectionBody = h('tbody', {}, ...this.sectionRows);
    this.element = h('section', { class: 'segments-view' },
      h('h2', {}, 'Segments'),
      table('Segments', ['#', 'type', 'rwx', 'offset', 'vaddr', 'filesz', 'memsz', 'align', 'sections'], segmentBody),
      h('h2', {}, 'Sections'),
      table('Sections', ['#', 'name', 'type', 'flags', 'addr', 'offset', 'size'], sectionBody),
    );
    rovingFocus(segmentBody, 'tr', (row) => actions.segment(Number(row.dataset.index)))();
    rovingFocus(sectionBody, 'tr', (row) => actions.section(Number(row.dataset.index)))();
  }

  highlight(links: Links, selected: { segment: number; section: number }): void {
    this.segmentRows.forEach((row, i) => {
      row.setAttribute('aria-selected', String(i === selected.segment));
      row.classList.toggle('linked', links.segments.has(i));
    });
    this.sectionRows.forEach((row, i) => {
      row.setAttribute('aria-selected', String(i === selected.section));
      row.classList.toggle('linked', links.sections.has(i));
    });
    for (const chip of this.element.querySelectorAll<HTMLElement>('.chip')) chip.classList.toggle('linked', links.sections.has(Number(chip.dataset.section)));
  }
}
