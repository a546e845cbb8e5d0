import type { ScenarioRun } from '../scenario/run';
import { processPssKb } from './pss';
import type { TimelineEvent, TimelineView } from './view-models';

/** Past this many statements the timeline samples evenly (plus the last). */
export const TIMELINE_SAMPLES = 1000;
/** Failed calls and deaths the timeline lists at most. */
export const TIMELINE_EVENTS = 1000;
/** Samples times processes at most (then fewer samples): a sample's Pss costs a walk per process. */
const PROCESS_SAMPLES = 100_000;

/** Statements that change no page table or mapcount: the Pss after them is the Pss before them. */
const READ_ONLY = new Set(['show', 'expect', 'expectKilled', 'expectFailed', 'set']);

/** The statements the timeline shows: all of them, or `max` evenly spaced ones and the last. */
export function timelineSamples(count: number, max = TIMELINE_SAMPLES): number[] {
  if (count <= max) return Array.from({ length: count }, (_, i) => i);
  const picks = new Set<number>();
  for (let s = 0; s < max; s++) picks.add(Math.floor((s * count) / max));
  picks.add(count - 1);
  return [...picks].sort((a, b) => a - b);
}

/**
 * RSS, Pss and Swap of every process after each sampled statement. RSS and
 * Swap are the mm counters the step records keep; Pss is the rollup Pss of
 * the state after the statement, visited in order on one copy of the machine.
 */
export function timeline(run: ScenarioRun): TimelineView {
  const names = new Set<string>();
  for (const step of run.steps) for (const u of step.usage ?? []) names.add(u.process);
  // Each sample walks every process's page tables for its Pss: with many processes, fewer samples.
  const samples = timelineSamples(run.steps.length, Math.max(50, Math.min(TIMELINE_SAMPLES, Math.floor(PROCESS_SAMPLES / Math.max(1, names.size)))));
  const series = [...names].map((name) => ({ name, rssKb: [] as number[], pssKb: [] as number[], swapKb: [] as number[] }));
  let previous = -1;
  let pss = new Map<string, number>();
  run.visitStates(samples, (i, state) => {
    const step = run.steps[i]!;
    if (!unchangedSince(run, previous, i)) pss = new Map(state.kernel.liveTasks().map((t) => [t.name, processPssKb(state.kernel, t)]));
    previous = i;
    // By name, once per sample: a series per process would otherwise search every process's usage.
    const usageOf = new Map((step.usage ?? []).map((u) => [u.process, u]));
    for (const s of series) {
      const usage = usageOf.get(s.name);
      s.rssKb.push((usage?.rss ?? 0) * 4);
      s.swapKb.push((usage?.swap ?? 0) * 4);
      s.pssKb.push(usage ? (pss.get(s.name) ?? 0) : 0);
    }
  });
  return { lines: samples.map((i) => run.steps[i]!.line), processes: series, events: timelineEvents(run) };
}

/** Every statement's failed calls and deaths (not the skipped statements), the first TIMELINE_EVENTS. */
export function timelineEvents(run: ScenarioRun): TimelineEvent[] {
  const out: TimelineEvent[] = [];
  for (const step of run.steps) {
    for (const e of step.events ?? []) {
      if (e.kind === 'skipped' || e.kind === 'dlopen-failed') continue;
      if (out.length >= TIMELINE_EVENTS) return out;
      out.push({ line: step.line, kind: e.kind, message: e.message });
    }
  }
  return out;
}

/** Whether statements (from, to] all leave memory alone, so the Pss at `from` still holds at `to`. */
function unchangedSince(run: ScenarioRun, from: number, to: number): boolean {
  if (from < 0) return false;
  for (let i = from + 1; i <= to; i++) if (!READ_ONLY.has(run.statements[i]!.kind)) return false;
  return true;
}
