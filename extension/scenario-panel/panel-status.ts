import type { ScenarioSession } from '../scenario/scenario-session';
import type { PanelStatus } from '../../webview/scenario/protocol';
import type { RunViews } from './panel-views';
import { toy6View } from '../../simulator/toy6/view';

const MAX_PROBLEMS = 50;

const fileName = (session: ScenarioSession) => session.uri.path.split('/').pop() ?? session.uri.toString();

/** What the panel's header shows for a session: run state, the step, its statement and the processes. */
export function panelStatus(session: ScenarioSession | undefined, views: RunViews | undefined, stale: boolean): PanelStatus {
  const base = { document: null, run: 0, state: 'no-scenario', progress: null, problems: [], stale: false, step: -1, steps: 0, line: 0, text: '', processes: [], failures: [] } satisfies PanelStatus;
  if (!session) return base;
  const problems = session.problem?.kind === 'diagnostics'
    ? session.problem.diagnostics.filter((d) => d.severity === 'error').slice(0, MAX_PROBLEMS).map((d) => ({ line: d.span.line, message: d.message }))
    : session.problem ? [{ line: session.problem.line, message: session.problem.message }] : [];
  const running = session.progress !== undefined;
  const withDocument = { ...base, document: fileName(session), problems, progress: running ? Math.round(session.progress ?? 0) : null };
  if (!views) return { ...withDocument, state: running ? 'running' : problems.length ? 'problem' : 'not-run' };
  const step = views.clamp(session.stepIndex);
  const toy6 = views.run.toy6;
  if (toy6) {
    // A toy6 scenario (set machine toy6): its own statements, and the machine's view with the status.
    const statement = step >= 0 ? toy6.statements[step] : undefined;
    return {
      ...withDocument, state: running ? 'running' : problems.length ? 'problem' : 'ready', run: views.id, stale, step, steps: toy6.statements.length,
      line: statement?.line ?? 0, text: statement?.text ?? '', processes: [], failures: step >= 0 ? (toy6.steps[step]?.failures ?? []) : [], toy6: toy6View(toy6, step),
    };
  }
  const statement = step >= 0 ? views.run.statements[step] : undefined;
  return {
    ...withDocument,
    state: running ? 'running' : problems.length ? 'problem' : 'ready',
    run: views.id,
    stale,
    step,
    steps: views.run.statements.length,
    line: statement?.line ?? 0,
    text: statement?.text ?? '',
    processes: views.processes(step),
    failures: step >= 0 ? (views.run.steps[step]?.failures ?? []) : [],
  };
}
