import * as vscode from 'vscode';
import { compareTwin, type TwinComparison } from '../../simulator/live/twin-compare';
import { COMMANDS } from '../scenario/commands/command-ids';
import { simulatedSmaps } from '../scenario/compare/compare-command';
import type { ScenarioSessions } from '../scenario/scenario-sessions';
import type { TwinDocuments } from './twin-documents';
import { twinReport, twinSummary } from './twin-report';
import { twinEndLine } from './twin-source';

/**
 * Compare with Real smaps, for a twin of a live process: the twin's smaps at the end of its generated
 * part (what-ifs after it left out) against the live smaps of the moment it was made, VMA by VMA, in a
 * read-only Markdown document beside, with a one-line summary. Resolves with the comparison.
 */
export async function compareTwinDocument(document: vscode.TextDocument, sessions: ScenarioSessions, twins: TwinDocuments): Promise<TwinComparison | undefined> {
  const source = twins.of(document.uri);
  if (!source || source.pid === undefined) return undefined;
  const session = sessions.sessionOf(document);
  if (!session.isCurrent(document)) await vscode.commands.executeCommand(COMMANDS.run, document.uri);
  const run = session.isCurrent(document) ? session.run : undefined;
  if (!run) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Compare with Real smaps: {0} does not run (see its problems), so there is nothing to compare.', source.title));
    return undefined;
  }
  const end = twinEndLine(document.getText());
  const step = end === undefined ? run.statements.length - 1 : session.stepAtLine(end);
  const smaps = simulatedSmaps(run.stateAfter(step), source.twin.process, false);
  if (smaps === undefined) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Compare with Real smaps: the twin process {0} is not running at line {1} of {2}.', source.twin.process, String(end ?? session.lineOfStep(step)), source.title));
    return undefined;
  }
  const comparison = compareTwin(source.input, source.twin, smaps);
  const report = twins.addReport(`${source.title} vs live smaps`, twinReport(source.title, source.input.origin, comparison));
  await showReport(report);
  void vscode.window.showInformationMessage(twinSummary(source.title, comparison));
  return comparison;
}

/** The report as Markdown's preview shows it (its tables), beside; as text where the Markdown extension is not there. */
async function showReport(report: vscode.Uri): Promise<void> {
  try {
    await vscode.commands.executeCommand('markdown.showPreviewToSide', report);
  } catch {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(report), { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
  }
}

/**
 * Compare with Real smaps from a live view (pid N): the twin of N that is open, else a new one made
 * first (Simulate This Process), then compared.
 */
export async function compareLiveProcess(pid: number, sessions: ScenarioSessions, twins: TwinDocuments, simulate: (pid: number) => Promise<vscode.Uri | undefined>): Promise<TwinComparison | undefined> {
  let document = twins.forPid(pid);
  if (!document) {
    const uri = await simulate(pid);
    document = uri ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) : undefined;
  }
  return document ? compareTwinDocument(document, sessions, twins) : undefined;
}
