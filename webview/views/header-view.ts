import { h, icon } from '../dom';
import { formatSize } from '../format';
import type { ElfSummary } from '../view-models';

function fact(label: string, value: string, title?: string): HTMLElement {
  return h('div', { class: 'fact', title }, h('dt', {}, label), h('dd', {}, value));
}

function buildId(summary: ElfSummary): string | undefined {
  for (const area of summary.notes) for (const n of area.notes) if (n.typeName.includes('BUILD_ID')) return n.summary.replace(/^Build ID:\s*/, '');
  return undefined;
}

/** The file header at a glance: what it is, for which machine, where it starts, what it needs. */
export function headerView(summary: ElfSummary): HTMLElement {
  const h0 = summary.header;
  const name = summary.file.split('/').pop() || summary.file;
  const id = buildId(summary);
  return h('header', { class: 'elf-header', 'aria-label': 'ELF header' },
    h('h1', { title: summary.file }, icon('file-binary'), ' ', name),
    h('dl', { class: 'facts' },
      fact('type', h0.typeName),
      fact('class', `${h0.class}, ${h0.littleEndian ? 'little' : 'big'} endian`),
      fact('machine', h0.machineName),
      fact('entry', h0.entry),
      fact('interpreter', summary.interpreter ?? '(none: static)'),
      fact('size', formatSize(BigInt(summary.fileSize)), `${summary.fileSize} bytes`),
      fact('segments', String(h0.phnum)),
      fact('sections', String(h0.shnum)),
      fact('symbols', summary.symbolTables.map((t) => `${t.count.toLocaleString('en-US')} in ${t.name}`).join(', ') || 'none'),
      id ? fact('build ID', id) : null,
    ),
  );
}
