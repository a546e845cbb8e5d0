import * as vscode from 'vscode';
import type { Diagnostic } from '../../simulator/scenario/diagnostics';
import { machineFromCpuinfo } from '../../simulator/scenario/host-cpu';
import { thpModeFromSysfs } from '../../simulator/mm/huge-memory';

/** The host's THP mode where it can be read (the simulated machine's default otherwise: madvise). */
function thpOfHost(sysfs: string | undefined): { thp?: 'always' | 'madvise' | 'never' } {
  const thp = thpModeFromSysfs(sysfs);
  return thp ? { thp } : {};
}
import { ScenarioError } from '../../simulator/scenario/prepare';
import { runScenario, ScenarioCancelled, type ScenarioRun } from '../../simulator/scenario/run';
import type { ScenarioState } from '../../simulator/scenario/state';
import type { FileOpener } from '../files/file-opener';
import { ScenarioFileSystem } from './scenario-file-system';

/** Who moved the current step, so that a listener does not echo its own move back. */
export type StepSource = 'cursor' | 'panel' | 'command' | 'run';

/** Why the last run produced no states: syntax errors, or a statement that cannot run (a missing file). */
export type RunProblem = { kind: 'diagnostics'; diagnostics: readonly Diagnostic[] } | { kind: 'cannot-run'; line: number; column: number; message: string };

/** Statements run before the event loop gets a turn, so a long run stays cancellable. */
const SLICE_MS = 50;

/**
 * One scenario document's simulation: its latest run and the step the views show.
 * The step is a statement index (-1: before the first statement); every panel and
 * hover reads the state after it.
 */
export class ScenarioSession implements vscode.Disposable {
  private readonly runEmitter = new vscode.EventEmitter<ScenarioSession>();
  private readonly stepEmitter = new vscode.EventEmitter<{ session: ScenarioSession; source: StepSource }>();
  private readonly progressEmitter = new vscode.EventEmitter<ScenarioSession>();
  /** Fired after every finished run (successful or not). */
  readonly onDidRun = this.runEmitter.event;
  /** Fired when the current step changes. */
  readonly onDidChangeStep = this.stepEmitter.event;
  /** Fired when a run starts (whoever started it), as it advances, and when it ends (see `progress`). */
  readonly onDidProgress = this.progressEmitter.event;

  run?: ScenarioRun;
  /** The document version the run was made from. */
  runVersion?: number;
  problem?: RunProblem;
  stepIndex = -1;
  /** Percent done of the run under way; undefined when none is. */
  progress?: number;
  /** Where relative PATHs resolve when the document has no folder of its own (an untitled document). */
  baseFolder?: vscode.Uri;
  private pending?: vscode.CancellationTokenSource;

  constructor(
    readonly uri: vscode.Uri,
    private readonly opener: FileOpener,
  ) {}

  /** Whether the run is of the document as it is now. */
  isCurrent(document: vscode.TextDocument): boolean {
    return this.run !== undefined && this.runVersion === document.version;
  }

  /**
   * Runs the document from the start; a run already under way is cancelled. Resolves with the
   * run, or undefined when it had problems (see `problem`) or was cancelled.
   */
  async runDocument(document: vscode.TextDocument, progress?: vscode.Progress<{ message?: string; increment?: number }>, token?: vscode.CancellationToken): Promise<ScenarioRun | undefined> {
    this.pending?.cancel();
    const source = new vscode.CancellationTokenSource();
    this.pending = source;
    const cancelled = () => source.token.isCancellationRequested || (token?.isCancellationRequested ?? false);
    const files = new ScenarioFileSystem(document.uri, this.opener, document.isUntitled ? this.baseFolder : undefined);
    const version = document.version;
    let reported = 0;
    this.progress = 0;
    this.progressEmitter.fire(this);
    try {
      const outcome = await runScenario(document.getText(), document.uri.path, files, {
        host: { ...machineFromCpuinfo(await this.opener.cpuinfo()), ...thpOfHost(await this.opener.thpEnabled?.()) },
        // As you type, an edit re-runs from the last checkpoint before its first changed statement, and comments
        // and blanks re-run nothing; Run Scenario (with its progress) runs it all, reading the files again.
        previous: progress ? undefined : this.run,
        sliceMs: SLICE_MS,
        isCancelled: cancelled,
        onProgress: (done, total) => {
          const percent = (100 * done) / Math.max(1, total);
          progress?.report({ message: `${done} of ${total} statements`, increment: percent - reported });
          reported = percent;
          if (this.pending === source) {
            this.progress = percent;
            this.progressEmitter.fire(this);
          }
        },
      });
      if (cancelled()) return undefined;
      if (!outcome.ok) {
        this.problem = { kind: 'diagnostics', diagnostics: outcome.diagnostics };
        return undefined;
      }
      this.run = outcome.run;
      this.runVersion = version;
      this.problem = undefined;
      this.stepIndex = Math.min(this.stepIndex, (outcome.run.toy6 ?? outcome.run).statements.length - 1);
      return outcome.run;
    } catch (error) {
      if (error instanceof ScenarioCancelled) return undefined;
      if (error instanceof ScenarioError) {
        this.problem = { kind: 'cannot-run', line: error.line, column: error.column, message: error.message };
        return undefined;
      }
      throw error;
    } finally {
      files.dispose();
      if (this.pending === source) {
        this.pending = undefined;
        this.progress = undefined;
        this.progressEmitter.fire(this);
      }
      source.dispose();
      if (!cancelled()) this.runEmitter.fire(this);
    }
  }

  /** Moves the current step (clamped to the run's statements). */
  setStep(index: number, source: StepSource): void {
    // A toy6 scenario's steps are its own statements (set machine toy6; the Linux run has none).
    const last = (this.run?.toy6?.statements.length ?? this.run?.statements.length ?? 0) - 1;
    const clamped = Math.max(-1, Math.min(index, last));
    // After a run, the run's own event has told every listener; the same index says nothing more.
    if (clamped === this.stepIndex) return;
    this.stepIndex = clamped;
    this.stepEmitter.fire({ session: this, source });
  }

  /** The step shown for a 1-based source line: the last statement at or before it. */
  stepAtLine(line: number): number {
    return (this.run?.toy6 ?? this.run)?.indexAtLine(line) ?? -1;
  }

  /** The 1-based source line of a step (0 before the first statement). */
  lineOfStep(index: number): number {
    return index < 0 ? 0 : ((this.run?.toy6 ?? this.run)?.statements[index]?.line ?? 0);
  }

  /** The machine state after the current step. Do not mutate it. */
  state(): ScenarioState | undefined {
    return this.run?.stateAfter(this.stepIndex);
  }

  dispose(): void {
    this.pending?.cancel();
    this.runEmitter.dispose();
    this.stepEmitter.dispose();
    this.progressEmitter.dispose();
  }
}
