import * as vscode from 'vscode';
import type { Diagnostic } from '../../../simulator/scenario/diagnostics';
import { parseScenario } from '../../../simulator/scenario/parser';
import { DocumentDebounce } from '../document-debounce';
import type { ScenarioSession } from '../scenario-session';
import { isScenario, type ScenarioSessions } from '../scenario-sessions';
import { lineRange, rangeOf } from './ranges';

/** Pause in typing before the text is parsed again, unless its last parse took less than CHEAP_PARSE_MS. */
const PARSE_DEBOUNCE_MS = 40;
/** A parse of a keystroke re-parses its line and costs a millisecond or two: then the next one parses at once. */
const CHEAP_PARSE_MS = 10;
const SOURCE = 'aspace';

/** Notes of a step that say a statement did not do what it says (the others are informative). */
const SKIPPED = /skipped|not running|failed|no region named|no process named|out of memory|has no stack|not simulated/;

const toVscode = (d: Diagnostic): vscode.Diagnostic => {
  const diagnostic = new vscode.Diagnostic(rangeOf(d.span), d.message, d.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
  diagnostic.source = SOURCE;
  return diagnostic;
};

/**
 * Problems of scenario documents: the parser's, as you type, and after a run the statement that
 * could not run, failed expectations, skipped statements and the faults that killed a process.
 */
export function scenarioDiagnostics(sessions: ScenarioSessions): vscode.Disposable {
  const syntax = vscode.languages.createDiagnosticCollection('aspace');
  const runs = vscode.languages.createDiagnosticCollection('aspace-run');
  const lastParseMs = new Map<string, number>();
  const parse = (document: vscode.TextDocument) => {
    const start = Date.now();
    const { diagnostics } = parseScenario(document.getText(), document.uri.path);
    // Each set is a message to the editor, which redraws its markers: a keystroke mostly changes none.
    if (diagnostics.length || syntax.get(document.uri)?.length) syntax.set(document.uri, diagnostics.map(toVscode));
    lastParseMs.set(document.uri.toString(), Date.now() - start);
  };
  const reparse = new DocumentDebounce((document) => ((lastParseMs.get(document.uri.toString()) ?? Infinity) < CHEAP_PARSE_MS ? 0 : PARSE_DEBOUNCE_MS), parse);
  const afterRun = (session: ScenarioSession) => {
    const document = sessions.documentOf(session);
    if (!document) return;
    const found = runDiagnostics(session, document);
    if (found.length || runs.get(document.uri)?.length) runs.set(document.uri, found);
  };
  for (const document of vscode.workspace.textDocuments) if (isScenario(document)) parse(document);
  return vscode.Disposable.from(
    syntax,
    runs,
    reparse,
    sessions.onDidRun(afterRun),
    vscode.workspace.onDidOpenTextDocument((document) => {
      if (isScenario(document)) parse(document);
    }),
    vscode.workspace.onDidChangeTextDocument(({ document, contentChanges }) => {
      if (!isScenario(document) || contentChanges.length === 0) return;
      // The run's lines no longer match the text; the next run sets them again.
      if (runs.get(document.uri)?.length) runs.delete(document.uri);
      reparse.schedule(document);
    }),
    vscode.workspace.onDidCloseTextDocument((document) => {
      reparse.cancel(document.uri);
      lastParseMs.delete(document.uri.toString());
      syntax.delete(document.uri);
      runs.delete(document.uri);
    }),
  );
}

/** What the session's last run found wrong, at the lines that caused it. */
export function runDiagnostics(session: ScenarioSession, document: vscode.TextDocument): vscode.Diagnostic[] {
  const problem = session.problem;
  if (problem?.kind === 'cannot-run') {
    const start = new vscode.Position(Math.max(0, problem.line - 1), Math.max(0, problem.column - 1));
    const word = document.getWordRangeAtPosition(start, /[^\s#]+/) ?? lineRange(document, problem.line);
    const d = new vscode.Diagnostic(word, `cannot run: ${problem.message}`, vscode.DiagnosticSeverity.Error);
    d.source = SOURCE;
    return [d];
  }
  const run = session.run;
  if (problem || !run || !session.isCurrent(document)) return [];
  const out: vscode.Diagnostic[] = [];
  const add = (line: number, message: string, severity: vscode.DiagnosticSeverity) => {
    const d = new vscode.Diagnostic(lineRange(document, line), message, severity);
    d.source = SOURCE;
    out.push(d);
  };
  for (const step of run.steps) {
    for (const failure of step.failures) add(step.line, `expect failed: ${failure}`, vscode.DiagnosticSeverity.Error);
    // Most steps fault without a signal: their records are not built (deadly() builds none then).
    for (const fault of step.faults.deadly() ? step.faults : []) {
      if (!fault.signal) continue;
      add(step.line, `${fault.process ?? 'the process'} killed by ${fault.signal.signal} (${fault.signal.code}) at 0x${fault.address.toString(16)}: ${fault.explanation}`, vscode.DiagnosticSeverity.Information);
    }
    // Failed calls and the OOM killer's kills: Information, in the kernel's words (a fault's kill is above).
    for (const event of step.events ?? []) {
      if (event.kind !== 'killed') add(step.line, event.message, event.kind === 'skipped' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information);
    }
    for (const note of step.notes) if (SKIPPED.test(note) && !step.events?.some((e) => e.message === note)) add(step.line, note, vscode.DiagnosticSeverity.Warning);
  }
  // A toy6 scenario (set machine toy6): its failed expects, and its faults as information.
  for (const step of run.toy6?.steps ?? []) {
    for (const failure of step.failures) add(step.line, failure.replace(/^line \d+:\d+: /, ''), vscode.DiagnosticSeverity.Error);
    for (const note of step.notes) add(step.line, note.message, vscode.DiagnosticSeverity.Information);
  }
  return out;
}
