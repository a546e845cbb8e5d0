// "Compare with Real smaps" for a twin, as a read-only Markdown document, shown in Markdown's preview
// (tables in the theme's colours, read by screen readers, scrolled with the keyboard) or as text.
// First what differs and why, then what matches but depends on processes outside the twin, then the rest.
import { TWIN_FIELDS, type TwinComparison, type TwinVmaComparison } from '../../simulator/live/twin-compare';

const cell = (text: string) => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[*_`]/g, '\\$&').replace(/\n/g, ' ') || ' ';
/** The VMA as maps starts its line: the range and the permissions. */
const range = (r: TwinVmaComparison) => `\`${r.start.slice(2)}-${r.end.slice(2)}\` ${r.perms}`;
/** The file's name (its whole path is in the twin's text), or what maps calls the mapping. */
const mapping = (r: TwinVmaComparison) => cell(r.path.startsWith('/') ? (r.path.split('/').pop() ?? r.path) : r.path || '(anonymous)');
const kb = (v: number | undefined) => (v === undefined ? '–' : `${v} kB`);
/** Short headings for the fields, so that the table fits a column beside the live view. */
const HEADINGS: Readonly<Record<string, string>> = { Anonymous: 'Anon', Private_Dirty: 'Private dirty', Private_Clean: 'Private clean' };

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
    `# Twin vs live: ${origin}`,
    '',
    `**Private VMAs: ${c.privateMatched} of ${c.privateVmas} match** (${verdict}); all VMAs: ${c.matched} of ${c.vmas}.`,
    '',
    `${title}, paired with the live VMAs by start address and compared in ${TWIN_FIELDS.join(', ')}. The live numbers are those of the moment the twin was made; the twin's are its \`show smaps\` at the end of the generated part.`,
    '',
  ];
  out.push(`## Where they differ (${differing.length})`, '');
  if (differing.length === 0) out.push('Nowhere: every VMA has the same numbers in the twin as live.', '');
  else {
    // A list, not a table: the reasons are sentences, and the report sits in a column beside the live view.
    for (const r of differing) {
      const fields = r.differs.map((f) => `${f} ${kb(r.twin?.[f])} (live ${kb(r.live?.[f])})`).join(', ');
      out.push(`- **${range(r)} ${mapping(r)}**: ${STATUS[r.status]}${fields ? `; ${fields}` : ''}${r.reason ? `. ${cell(r.reason)}` : ''}`);
    }
    out.push('');
  }
  out.push(`## Matching, with a note (${explained.length})`, '');
  if (explained.length === 0) out.push('None.', '');
  else {
    // The reason says the Pss of both when it is about sharers.
    for (const r of explained) out.push(`- **${range(r)} ${mapping(r)}**: Rss ${kb(r.live?.['Rss'])}; ${cell(r.reason ?? '')}`);
    out.push('');
  }
  out.push(`## Matching (${plain.length})`, '');
  if (plain.length === 0) out.push('None.', '');
  else {
    out.push('The same in the twin as live, in kB:', '');
    out.push(...table(['VMA', 'Mapping', ...TWIN_FIELDS.map((f) => HEADINGS[f] ?? f)], plain.map((r) => [range(r), mapping(r), ...TWIN_FIELDS.map((f) => String(r.live?.[f] ?? 0))])), '');
  }
  return out.join('\n');
}

/** The one-line summary the notification shows. */
export function twinSummary(title: string, c: TwinComparison): string {
  const differ = c.rows.filter((r) => r.status !== 'match').length;
  return `${title}: ${c.privateMatched} of ${c.privateVmas} private VMAs match the live smaps (${TWIN_FIELDS.join(', ')}); ${differ === 0 ? 'no VMA differs' : `${differ} VMA${differ === 1 ? '' : 's'} differ${differ === 1 ? 's' : ''}`}.`;
}
