// The Markdown of the scenario hovers: what a statement changed, and where an address lies.
// Pure (no `vscode`): unit-tested against real runs.
import { faultsOf, stepDelta, type AddressTranslation, type FaultView, type StepDelta } from '../../../simulator/inspect';
import type { ScenarioRun } from '../../../simulator/scenario/run';

/** Faults listed one by one in a hover; the rest are counted. */
const MAX_FAULTS = 6;
/** Lines of a `show` output shown in a hover. */
const MAX_OUTPUT_LINES = 80;

/** Text for a Markdown paragraph: characters Markdown would interpret are escaped. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`).replace(/^([#+\-=>]|\d+\.)/gm, (m) => `\\${m}`);
}

/** A fenced code block that no line of `text` can close early. */
export function codeBlock(text: string, language = ''): string {
  const fence = '`'.repeat(Math.max(3, ...(text.match(/`+/g) ?? []).map((f) => f.length + 1)));
  return `${fence}${language}\n${text.replace(/\n$/, '')}\n${fence}`;
}

/** What statement `index` of a run changed: its summary, faults, notes, failed expectations and output. */
export function stepHoverMarkdown(run: ScenarioRun, index: number): string {
  const statement = run.statements[index];
  const step = run.steps[index];
  if (!statement || !step) return '';
  const parts: string[] = [];
  const delta = safeDelta(run, index);
  parts.push(`**Line ${statement.line}** (step ${index + 1} of ${run.statements.length}): ${escapeMarkdown(delta.summary)}`);
  const changed = delta.processes.filter((p) => p.rssKb || p.pssKb || p.swapKb);
  if (changed.length > 1 || (changed.length === 1 && delta.summary.indexOf(changed[0]?.name ?? '') < 0)) {
    parts.push(changed.map((p) => `- ${escapeMarkdown(p.name)}: Rss ${signed(p.rssKb)} kB, Pss ${signed(p.pssKb)} kB, Swap ${signed(p.swapKb)} kB`).join('\n'));
  }
  const groups = groupFaults(safeFaults(run, index));
  if (groups.length) {
    const lines = groups.slice(0, MAX_FAULTS).map((g) => `- ${faultLine(g.first, g.last, g.count)}`);
    if (groups.length > MAX_FAULTS) lines.push(`- … and ${groups.slice(MAX_FAULTS).reduce((n, g) => n + g.count, 0)} more`);
    parts.push(`**Faults**\n\n${lines.join('\n')}`);
  }
  if (step.failures.length) parts.push(step.failures.map((f) => `$(error) **expect failed:** ${escapeMarkdown(f)}`).join('\n\n'));
  if (step.notes.length) parts.push(step.notes.map((n) => `- ${escapeMarkdown(n)}`).join('\n'));
  if (step.output !== undefined && step.output !== '') {
    const lines = step.output.replace(/\n$/, '').split('\n');
    const shown = lines.slice(0, MAX_OUTPUT_LINES).join('\n');
    parts.push(codeBlock(shown) + (lines.length > MAX_OUTPUT_LINES ? `\n\n… ${lines.length - MAX_OUTPUT_LINES} more lines (Run Scenario shows them all in the panel)` : ''));
  }
  return parts.join('\n\n');
}

/** Faults in a row that differ only by address (one page after the other): one line of the hover. */
export interface FaultGroup {
  readonly first: FaultView;
  readonly last: FaultView;
  readonly count: number;
}

export function groupFaults(faults: readonly FaultView[]): FaultGroup[] {
  const groups: FaultGroup[] = [];
  const same = (a: FaultView, b: FaultView) => a.process === b.process && a.access === b.access && a.kind === b.kind && a.errorCode === b.errorCode && a.siCode === b.siCode && a.pagesMapped === b.pagesMapped && a.explanation === b.explanation;
  for (const f of faults) {
    const g = groups[groups.length - 1];
    if (g && same(g.last, f) && BigInt(f.address) === BigInt(g.last.address) + 0x1000n) groups[groups.length - 1] = { first: g.first, last: f, count: g.count + 1 };
    else groups.push({ first: f, last: f, count: 1 });
  }
  return groups;
}

/**
 * One fault, or a run of like ones: "write at `0x7ffff7ff0000` in P: **SIGSEGV** (SEGV_ACCERR),
 * error code 0x7 (PROT|WRITE|USER) — explanation", or "4 × write at `0x…`–`0x…` in P: cow, …".
 */
export function faultLine(f: FaultView, last = f, count = 1): string {
  const signal = f.siCode ? ` **${f.kind === 'sigbus' ? 'SIGBUS' : 'SIGSEGV'}** (${f.siCode}),` : ` ${escapeMarkdown(f.kind)},`;
  const mapped = f.pagesMapped > 1 ? `, ${f.pagesMapped} PTEs mapped` : '';
  const where = count > 1 ? `${count} × ${f.access} at \`${f.address}\`…\`${last.address}\`` : `${f.access} at \`${f.address}\``;
  return `${where} in ${escapeMarkdown(f.process)}:${signal} error code ${escapeMarkdown(f.errorCode)}${mapped} — ${escapeMarkdown(f.explanation)}`;
}

const signed = (n: number) => (n > 0 ? `+${n}` : `${n}`);

/** stepDelta, or a summary of the step's own record while the inspect module cannot give one. */
function safeDelta(run: ScenarioRun, index: number): StepDelta {
  try {
    return stepDelta(run, index);
  } catch {
    const step = run.steps[index];
    const faults = step?.faults ?? [];
    const zero = faults.filter((f) => f.kind === 'zero-page').length;
    const summary = faults.length ? `${faults.length} fault${faults.length === 1 ? '' : 's'}, ${zero} from the zero page` : 'no faults';
    return { line: step?.line ?? 0, summary, processes: [], faults: faults.length, zeroPageFaults: zero, notes: step?.notes ?? [], failures: step?.failures ?? [] };
  }
}

function safeFaults(run: ScenarioRun, index: number): FaultView[] {
  try {
    return faultsOf(run, index);
  } catch {
    return (run.steps[index]?.faults ?? []).map((f) => ({
      line: run.steps[index]?.line ?? 0,
      process: f.process ?? '?',
      address: `0x${f.address.toString(16)}`,
      access: f.access as FaultView['access'],
      kind: f.kind,
      errorCode: `0x${f.errorCode.toString(16)}`,
      ...(f.signal ? { siCode: f.signal.code } : {}),
      pagesMapped: f.mapped,
      explanation: f.explanation,
    }));
  }
}

/** The hover of a hex address: where it lies in each process of the scenario, at the step shown. */
export function translationMarkdown(translations: readonly AddressTranslation[], where: string): string {
  if (translations.length === 0) return '';
  const parts = [`**Address Space Explorer** — ${escapeMarkdown(where)}`];
  for (const t of translations) {
    const rows = [`**${escapeMarkdown(t.process)}** \`${t.address}\`: ${escapeMarkdown(t.summary)}`];
    if (t.mapsLine) rows.push(codeBlock(t.mapsLine));
    const facts: string[] = [];
    if (t.page) {
      facts.push(`page: ${escapeMarkdown(t.page.description)}`);
      facts.push(`PTE \`${t.page.pte}\``);
      if (t.page.line) facts.push(`last changed on line ${t.page.line}`);
    }
    if (t.physical) facts.push(`physical \`${t.physical}\``);
    if (facts.length) rows.push(facts.join(' · '));
    parts.push(rows.join('\n\n'));
  }
  return parts.join('\n\n---\n\n');
}
