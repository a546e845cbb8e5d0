import { permissionString } from '../mm/vm-flags';
import { mapsLine, vmaName } from '../proc/maps';
import { gatherStats } from '../proc/smaps';
import type { ScenarioState } from '../scenario/state';
import { bytesToKb, hex, pssToKb, regionsOf, taskOf } from './common';
import type { RegionRow } from './view-models';

/** The maps table of a process: one row per VMA ([vsyscall] last), with its smaps totals. */
export function listRegions(state: ScenarioState, process: string): RegionRow[] {
  const task = taskOf(state, process);
  if (!task) return [];
  return regionsOf(task).map((vma, index) => {
    const mss = gatherStats(state.kernel, task, vma);
    const region = vma.origin.region;
    return {
      index,
      start: hex(vma.start),
      end: hex(vma.end),
      mapsLine: mapsLine(task.mm, vma),
      perms: permissionString(vma.flags),
      name: vmaName(task.mm, vma) ?? '',
      ...(region !== undefined ? { region } : {}),
      pages: Number((vma.end - vma.start) >> 12n),
      rssKb: bytesToKb(mss.resident),
      pssKb: pssToKb(mss.pss),
      swapKb: bytesToKb(mss.swap),
      line: vma.line ?? 0,
      origin: vma.origin.description,
    };
  });
}
