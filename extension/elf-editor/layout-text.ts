import type { ElfSummary, LayoutView, RegionView } from '../../webview/view-models';

/** /proc/PID/maps of a layout, as the kernel prints it. */
export function mapsText(layout: LayoutView): string {
  return layout.regions.map((r) => r.line + '\n').join('');
}

const CSV_COLUMNS: readonly (keyof RegionView)[] = ['start', 'end', 'perms', 'offset', 'device', 'inode', 'name', 'owner', 'description'];

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The regions as CSV (RFC 4180), one row per VMA. */
export function layoutCsv(layout: LayoutView): string {
  const rows = layout.regions.map((r) => CSV_COLUMNS.map((c) => csvField(String(r[c] ?? ''))).join(','));
  return [CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}

const cell = (text: string) => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const row = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
}

/** A Markdown report: the file header, the exec layout and the segments with their sections. */
export function layoutMarkdown(summary: ElfSummary, layout: LayoutView): string {
  const h = summary.header;
  const parts = [
    `# ${cell(summary.file)}`,
    table(['field', 'value'], [
      ['class', h.class],
      ['type', h.typeName],
      ['machine', h.machineName],
      ['entry point', h.entry],
      ['interpreter', summary.interpreter ?? '(none)'],
    ]),
    `## /proc/PID/maps (ASLR ${layout.aslr}, seed ${layout.seed})`,
    ...(layout.incomplete ? [`> ${cell(layout.incomplete)}`] : []),
    table(['address', 'perms', 'offset', 'dev', 'inode', 'pathname'], layout.regions.map((r) => [r.range, r.perms, r.offset, r.device, r.inode, r.name])),
    '## Segments',
    table(['#', 'type', 'flags', 'offset', 'vaddr', 'filesz', 'memsz', 'sections'], summary.programHeaders.map((p, i) => [
      String(p.index), p.typeName, p.flagsText, p.offset, p.vaddr, p.filesz, p.memsz,
      (summary.segmentSectionIndices[i] ?? []).map((s) => summary.sections[s]?.name ?? '').join(' '),
    ])),
  ];
  return parts.join('\n\n') + '\n';
}
