/** The vm.* sysctls the simulator keeps (/proc/sys/vm, mm/util.c and mm/mmap.c defaults). */
export interface VmSysctl {
  /** vm.overcommit_memory: 0 heuristic (OVERCOMMIT_GUESS), 1 always, 2 never (strict accounting). */
  overcommitMemory: 0 | 1 | 2;
  /** vm.overcommit_ratio: percent of RAM in CommitLimit (mode 2), when overcommit_kbytes is 0. */
  overcommitRatio: number;
  /** vm.overcommit_kbytes: when not 0, CommitLimit's RAM part in kB instead of the ratio. */
  overcommitKbytes: number;
  /** vm.max_map_count: DEFAULT_MAX_MAP_COUNT, 65530. */
  maxMapCount: number;
}

export const DEFAULT_VM_SYSCTL: Readonly<VmSysctl> = { overcommitMemory: 0, overcommitRatio: 50, overcommitKbytes: 0, maxMapCount: 65530 };
