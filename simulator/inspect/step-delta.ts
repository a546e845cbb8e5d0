import { rssPages, type Kernel } from '../mm/kernel';
import type { ScenarioRun } from '../scenario/run';
import { processPssKb } from './pss';
import type { StepDelta } from './view-models';

interface Usage {
  rssKb: number;
  pssKb: number;
  swapKb: number;
}

function usageOf(k: Kernel): Map<string, Usage> {
  return new Map(k.liveTasks().map((t) => [t.name, { rssKb: rssPages(t) * 4, pssKb: processPssKb(k, t), swapKb: t.rss.swapEnts * 4 }]));
}

const signed = (kb: number) => `${kb > 0 ? '+' : '−'}${Math.abs(kb)} kB`;

/** "Rss +32 kB, Pss +16 kB, Swap −8 kB" (only what changed). */
function changes(d: Usage): string[] {
  const parts: string[] = [];
  if (d.rssKb) parts.push(`Rss ${signed(d.rssKb)}`);
  if (d.pssKb) parts.push(`Pss ${signed(d.pssKb)}`);
  if (d.swapKb) parts.push(`Swap ${signed(d.swapKb)}`);
  return parts;
}

/**
 * What statement `stepIndex` changed: each process's Rss, Pss and Swap
 * (after minus before; a process that appeared or went away counts from or
 * to zero), its faults, notes and failed expectations.
 */
export function stepDelta(run: ScenarioRun, stepIndex: number): StepDelta {
  const step = run.steps[stepIndex];
  if (!step) return { line: 0, summary: 'no such statement', processes: [], faults: 0, zeroPageFaults: 0, notes: [], failures: [] };
  const before = usageOf(run.stateAfter(stepIndex - 1).kernel);
  const after = usageOf(run.stateAfter(stepIndex).kernel);
  const zero: Usage = { rssKb: 0, pssKb: 0, swapKb: 0 };
  const names = [...new Set([...before.keys(), ...after.keys()])];
  const processes = names.map((name) => {
    const b = before.get(name) ?? zero;
    const a = after.get(name) ?? zero;
    return { name, rssKb: a.rssKb - b.rssKb, pssKb: a.pssKb - b.pssKb, swapKb: a.swapKb - b.swapKb };
  });
  const faults = step.faults.length - step.faults.countKind('hit');
  const zeroPageFaults = step.faults.countKind('zero-page');
  // One process: "Rss +32 kB, Pss +32 kB, 8 faults, …"; several: "P: Rss +4 kB; Q: Pss −2 kB; 1 fault, …".
  const several = names.length > 1;
  const parts: string[] = [];
  for (const p of processes) {
    const c = changes(p);
    if (c.length) parts.push(several ? `${p.name}: ${c.join(', ')}` : c.join(', '));
  }
  if (faults) parts.push(`${faults} fault${faults === 1 ? '' : 's'}, ${zeroPageFaults} from the zero page`);
  const summary = parts.length ? parts.join(several ? '; ' : ', ') : 'no change';
  return { line: step.line, summary, processes, faults, zeroPageFaults, notes: [...step.notes], failures: [...step.failures] };
}
