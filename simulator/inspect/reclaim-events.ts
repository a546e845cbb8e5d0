import type { ScenarioRun } from '../scenario/run';
import type { ReclaimEvent } from './view-models';

/** What reclaim did during statement `stepIndex` (kswapd, `reclaim`, MADV_PAGEOUT), in scan order. */
export function reclaimEvents(run: ScenarioRun, stepIndex: number): ReclaimEvent[] {
  const events = run.steps[stepIndex]?.reclaim ?? [];
  return events.map(({ pfn, list, action, reason }) => ({ pfn, list, action, reason }));
}
