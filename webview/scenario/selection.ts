// Which process and region the panel shows, kept by name and address across steps. Pure.
import type { ProcessSummary, RegionRow } from '../../simulator/inspect/view-models';

/** The process to show: the one asked for while it exists, else the first running one, else the first. */
export function pickProcess(processes: readonly ProcessSummary[], wanted: string | null): string | null {
  if (wanted !== null && processes.some((p) => p.name === wanted)) return wanted;
  return (processes.find((p) => p.state === 'running') ?? processes[0])?.name ?? null;
}

/**
 * What a click on another process changes: the process only. The region (an address) stays, so
 * the other process shows its VMA at the same place, as a fork's child has them (see pickRegion).
 */
export function processClick(name: string): { process: string } {
  return { process: name };
}

/**
 * The region to show, given an address inside the one selected before: the VMA that holds it now,
 * else the first region the scenario named (an mmap), else the first VMA.
 */
export function pickRegion(rows: readonly RegionRow[], address: string | null): RegionRow | undefined {
  if (address !== null) {
    const at = BigInt(address);
    const holding = rows.find((r) => BigInt(r.start) <= at && at < BigInt(r.end));
    if (holding) return holding;
  }
  return rows.find((r) => r.region !== undefined) ?? rows[0];
}
