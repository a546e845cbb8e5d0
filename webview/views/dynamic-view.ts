import { h } from '../dom';
import type { ElfSummary } from '../view-models';

function table(label: string, columns: readonly string[], rows: readonly (readonly string[])[]): HTMLElement {
  return h('div', { class: 'table-scroll' }, h('table', { 'aria-label': label },
    h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', { class: 'mono' }, c))))),
  ));
}

/** The dynamic section (what the loader is asked for) and the notes (build ID, ABI tag, properties). */
export function dynamicView(summary: ElfSummary): HTMLElement {
  const dynamic = summary.dynamic;
  const notes = summary.notes.flatMap((area) => area.notes.map((n) => [area.section ?? `segment at ${area.offset}`, n.owner, n.typeName, n.summary]));
  return h('section', { class: 'dynamic-view' },
    h('h2', {}, 'Dynamic section'),
    dynamic
      ? table('Dynamic section', ['tag', 'type', 'name / value'], dynamic.entries.map((e) => [e.tag, e.tagName, e.text]))
      : h('p', { class: 'empty' }, 'No dynamic section: the file is statically linked.'),
    h('h2', {}, 'Notes'),
    notes.length ? table('Notes', ['where', 'owner', 'type', 'description'], notes) : h('p', { class: 'empty' }, 'No notes.'),
  );
}
