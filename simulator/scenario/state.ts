import { Kernel, type ThpMode } from '../mm/kernel';
import type { AslrMode, PinnedLayout } from '../loader/randomization';
import { AMD_LEGACY_HWCAPS, DEFAULT_ISA_LEVEL, type IsaLevel, type LegacyHwcaps } from '../loader/rtld';
import type { Statement } from './ast';
import { RegionHistory } from './region-history';
import type { StepRecord, StepUsage } from './step-record';

/** A named mmap region: the range the `mmap` statement returned. */
export interface Region {
  readonly name: string;
  readonly start: bigint;
  readonly end: bigint;
  readonly line: number;
  /** The mmap of this line failed: the name stays undefined from here on (start and end are 0). */
  readonly failed?: { readonly errno: string; readonly reason: string };
}

/** The last statement that made a call (not an expect or show) and its step, for `expect failed ERRNO` to read when it runs. */
export interface LastCall {
  readonly statement: Statement;
  readonly step: StepRecord;
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
  /** The CPU's legacy hwcaps (an Intel CPU's "haswell" platform and avx512_1): more subdirectories ld.so searches. */
  legacyHwcaps: LegacyHwcaps;
  /** /sys/kernel/mm/transparent_hugepage/enabled at boot: the host's where readable, else madvise. */
  thp?: ThpMode;
  /** `set layout`: addresses later execs take instead of randomizing them. */
  layout?: PinnedLayout;
}

/**
 * The scenario's region names as of one line. Every copy of a run's state shares one history
 * (a region is set only by the mmap statement of its line, and replays set the same), so a copy
 * costs nothing however many regions there are.
 */
export class RegionNames {
  constructor(
    private readonly history = new RegionHistory(),
    /** The line of the statement last run: later entries of the history are not seen. */
    public asOf = 0,
  ) {}

  get(name: string): Region | undefined {
    return this.history.get(name, this.asOf);
  }

  /** Names `region` from its line on. */
  set(name: string, region: Region): void {
    this.history.set(name, region);
  }

  /** A copy of the history without the entries of `line` and after (for a run that changes from there). */
  historyBefore(line: number): RegionHistory {
    return this.history.before(line);
  }

  /** A copy at the same line, sharing the history. */
  clone(): RegionNames {
    return new RegionNames(this.history, this.asOf);
  }

  /** Names in the whole history (all copies share it). */
  get size(): number {
    return this.history.size;
  }
}

/** Everything a scenario has built up after some statements: the machine plus the scenario's names. */
export class ScenarioState {
  constructor(
    public kernel: Kernel,
    public regions: RegionNames,
    public settings: ScenarioSettings,
    /** Executions so far, for the seed of the next one. */
    public execCount: number,
  ) {}

  /** The last call made, for `expect failed ERRNO` (immutable: copies share it). */
  lastCall?: LastCall;
  /** The last step's usage records (immutable: steps and copies share them while they stay the same). */
  lastUsage?: StepUsage[];

  clone(): ScenarioState {
    const copy = new ScenarioState(this.kernel.clone(), this.regions.clone(), { ...this.settings }, this.execCount);
    copy.lastCall = this.lastCall;
    copy.lastUsage = this.lastUsage;
    return copy;
  }

  /**
   * About how many bytes a clone holds: the struct pages below the high-water mark (20 bytes each),
   * the buddy allocator's byte per frame, the swap map (6 bytes a slot), the page tables (6 bytes a PTE),
   * the VMA trees (the VMAs themselves are shared between clones; the region names too).
   */
  approximateBytes(): number {
    const k = this.kernel;
    let tables = 0;
    let vmas = 0;
    for (const task of k.tasks.values()) {
      tables += task.pt.pteTables.size;
      vmas += task.mm.vmaCount;
    }
    return k.phys.covered * 20 + k.phys.frames + k.swap.slots * 6 + tables * 512 * 6 + vmas * 24;
  }
}

/**
 * The reference machine's (shared/docs/kernel-reference.md): a CPU without protection keys, and a
 * kernel that maps the zero page. asx run and the Node host put this CPU's pkeys in their place.
 */
export const DEFAULT_SETTINGS: ScenarioSettings = { aslr: 'off', seed: 0n, ramBytes: 1n << 30n, swapBytes: 0n, pkeys: false, forbidsZeroPage: false, isaLevel: DEFAULT_ISA_LEVEL, legacyHwcaps: AMD_LEGACY_HWCAPS };

export function newState(settings: ScenarioSettings): ScenarioState {
  return new ScenarioState(new Kernel({ ramBytes: Number(settings.ramBytes), swapBytes: Number(settings.swapBytes), pkeys: settings.pkeys, forbidsZeroPage: settings.forbidsZeroPage, thp: settings.thp }), new RegionNames(), { ...settings }, 0);
}
