import { Kernel } from '../mm/kernel';
import type { AslrMode } from '../loader/randomization';

/** A named mmap region: the range the `mmap` statement returned. */
export interface Region {
  readonly name: string;
  readonly start: bigint;
  readonly end: bigint;
  readonly line: number;
}

export interface ScenarioSettings {
  aslr: AslrMode;
  seed: bigint;
  ramBytes: bigint;
  swapBytes: bigint;
}

/** Everything a scenario has built up after some statements: the machine plus the scenario's names. */
export class ScenarioState {
  constructor(
    public kernel: Kernel,
    public regions: Map<string, Region>,
    public settings: ScenarioSettings,
    /** Executions so far, for the seed of the next one. */
    public execCount: number,
  ) {}

  clone(): ScenarioState {
    return new ScenarioState(this.kernel.clone(), new Map(this.regions), { ...this.settings }, this.execCount);
  }
}

export const DEFAULT_SETTINGS: ScenarioSettings = { aslr: 'off', seed: 0n, ramBytes: 1n << 30n, swapBytes: 0n };

export function newState(settings: ScenarioSettings): ScenarioState {
  return new ScenarioState(new Kernel({ ramBytes: Number(settings.ramBytes), swapBytes: Number(settings.swapBytes) }), new Map(), { ...settings }, 0);
}
