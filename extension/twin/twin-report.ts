// "Compare with Real smaps" for a twin, as a read-only Markdown document, shown in Markdown's preview
// (tables in the theme's colours, read by screen readers, scrolled with the keyboard) or as text.
// First what differs and why, then what matches but depends on processes outside the twin, then the rest.
import { TWIN_FIELDS, type TwinComparison, type TwinVmaComparison } from '../../simulator/live/twin-compare';

const cell = (text: string) => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ') || ' ';
const range = (r: TwinVmaComparison) => `\`${r.start.slice(2)}-${r.end.slice(2)}\``;
const mapping = (r: TwinVmaComparison) => cell(r.path || '(anonymous)');
const kb = (v: number | undefined) => (v === undefined ? '–' : `${v} kB`);

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(head: readonly string[], rows: readonly string[][]): string[] {
  return [row(head), row(head.map(() => '---')), ...rows.map(row)];
}

const STATUS: Readonly<Record<TwinVmaComparison['status'], string>> = {
  match: 'match',
  differs: 'differs',
  missing: 'missing in the twin',
  extra: 'only in the twin',
};

/** The comparison of `title` (the twin's name) with the live process it was made from. */
export function twinReport(title: string, origin: string, c: TwinComparison): string {
  const differing = c.rows.filter((r) => r.status !== 'match');
  const explained = c.rows.filter((r) => r.status === 'match' && r.reason);
  const plain = c.rows.filter((r) => r.status === 'match' && !r.reason);
  const verdict = c.privateMatched === c.privateVmas ? 'all private VMAs match' : `${c.privateVmas - c.privateMatched} private VMA${c.privateVmas - c.privateMatched === 1 ? ' differs' : 's differ'}`;
  const out = [
    `# ${title} compared with ${origin}`,
    '',
    `**Private VMAs: ${c.privateMatched} of ${c.privateVmas} match** (${verdict}); all VMAs: ${c.matched} of ${c.vmas}.`,
    '',
    `Compared per VMA, paired by start address: ${TWIN_FIELDS.join(', ')}. The live numbers are those of the moment the twin was made; the twin's are its \`show smaps\` at the end of the generated part.`,
    '',
  ];
  out.push(`## Where they differ (${differing.length})`, '');
  if (differing.length === 0) out.push('Nowhere: every VMA has the same numbers in the twin as live.', '');
  else {
    out.push(...table(['VMA', 'Perms', 'Mapping', 'Status', 'Field: twin (live)', 'Why'], differing.map((r) => [
      range(r), `\`${r.perms}\``, mapping(r), STATUS[r.status],
      cell(r.differs.map((f) => `${f}: ${kb(r.twin?.[f])} (${kb(r.live?.[f])})`).join(', ')),
      cell(r.reason ?? ''),
    ])), '');
  }
  out.push(`## Matching, with a note (${explained.length})`, '');
  if (explained.length === 0) out.push('None.', '');
  else {
    out.push(...table(['VMA', 'Perms', 'Mapping', 'Rss', 'Pss: twin (live)', 'Note'], explained.map((r) => [
      range(r), `\`${r.perms}\``, mapping(r), kb(r.live?.['Rss']), `${kb(r.twin?.['Pss'])} (${kb(r.live?.['Pss'])})`, cell(r.reason ?? ''),
    ])), '');
  }
  out.push(`## Matching (${plain.length})`, '');
  if (plain.length === 0) out.push('None.', '');
  else out.push(...table(['VMA', 'Perms', 'Mapping', ...TWIN_FIELDS], plain.map((r) => [range(r), `\`${r.perms}\``, mapping(r), ...TWIN_FIELDS.map((f) => kb(r.live?.[f]))])), '');
  return out.join('\n');
}

/** The one-line summary the notification shows. */
export function twinSummary(title: string, c: TwinComparison): string {
  const differ = c.rows.filter((r) => r.status !== 'match').length;
  return `${title}: ${c.privateMatched} of ${c.privateVmas} private VMAs match the live smaps (${TWIN_FIELDS.join(', ')}); ${differ === 0 ? 'no VMA differs' : `${differ} VMA${differ === 1 ? '' : 's'} differ${differ === 1 ? 's' : ''}`}.`;
}
