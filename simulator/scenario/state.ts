import { Kernel } from '../mm/kernel';
import type { AslrMode } from '../loader/randomization';
import { DEFAULT_ISA_LEVEL, type IsaLevel } from '../loader/rtld';

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
  /** arch_pkeys_enabled(): the CPU has protection keys, so smaps prints ProtectionKey. */
  pkeys: boolean;
  /** mm_forbids_zeropage(): the host kernel maps no zero page on read faults (a PVM guest booted with pvm_no_zero_page=1). */
  forbidsZeroPage: boolean;
  /** The CPU's x86-64 ISA level, which decides the glibc-hwcaps directories ld.so searches. */
  isaLevel: IsaLevel;
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

  /**
   * About how many bytes a clone holds: the struct pages below the high-water mark (36 bytes each),
   * the buddy allocator's byte per frame, the swap map (6 bytes a slot), the page tables (6 bytes a PTE),
   * the VMA trees (the VMAs themselves are shared between clones) and the scenario's region names.
   */
  approximateBytes(): number {
    const k = this.kernel;
    let tables = 0;
    let vmas = 0;
    for (const task of k.tasks.values()) {
      tables += task.pt.pteTables.size;
      vmas += task.mm.vmaCount;
    }
    return k.phys.covered * 36 + k.phys.frames + k.swap.slots * 6 + tables * 512 * 6 + vmas * 24 + this.regions.size * 120;
  }
}

/**
 * The reference machine's (shared/docs/kernel-reference.md): a CPU without protection keys, and a
 * kernel that maps the zero page. asx run and the Node host put this CPU's pkeys in their place.
 */
export const DEFAULT_SETTINGS: ScenarioSettings = { aslr: 'off', seed: 0n, ramBytes: 1n << 30n, swapBytes: 0n, pkeys: false, forbidsZeroPage: false, isaLevel: DEFAULT_ISA_LEVEL };

export function newState(settings: ScenarioSettings): ScenarioState {
  return new ScenarioState(new Kernel({ ramBytes: Number(settings.ramBytes), swapBytes: Number(settings.swapBytes), pkeys: settings.pkeys, forbidsZeroPage: settings.forbidsZeroPage }), new Map(), { ...settings }, 0);
}
