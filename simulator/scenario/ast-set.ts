// The `set` statements of the `.aspace` scenario language (ast.ts has the others): the machine's
// settings, the vm sysctls and a process's rlimits and oom_score_adj, each from its line on.
import type { AslrMode, PinnedLayout } from '../loader/randomization';
import type { RlimitResource } from '../mm/rlimit';
import type { Name, StatementBase } from './ast';

/** `set aslr off|on|full` (also `0|1|2`): randomize_va_space. */
export interface SetAslrStatement extends StatementBase {
  readonly kind: 'set';
  readonly setting: 'aslr';
  readonly value: AslrMode;
}

/** `set seed N`: the seed of the RNG. */
export interface SetSeedStatement extends StatementBase {
  readonly kind: 'set';
  readonly setting: 'seed';
  readonly value: bigint;
}

/** `set ram SIZE`, `set swap SIZE`: physical memory and swap space in bytes. */
export interface SetMemoryStatement extends StatementBase {
  readonly kind: 'set';
  readonly setting: 'ram' | 'swap';
  readonly value: bigint;
}

/**
 * `set exec start|entry`: where `exec` leaves a new process — at the program's
 * entry point after ld.so has loaded its libraries (`entry`, the default, as
 * issue 6 asks), or at its first instruction, before ld.so (`start`).
 */
export interface SetExecStatement extends StatementBase {
  readonly kind: 'set';
  readonly setting: 'exec';
  readonly value: ExecStop;
}

/**
 * `set pkeys on|off`: whether the machine's CPU has protection keys (arch_pkeys_enabled(), the
 * OSPKE feature), which decides if smaps prints a `ProtectionKey` line. By default the host's CPU.
 */
export interface SetPkeysStatement extends StatementBase {
  readonly kind: 'set';
  readonly setting: 'pkeys';
  readonly value: boolean;
}

/** `set fault_around SIZE` (a version 1 addition): debugfs fault_around_bytes; one page (4K) turns fault-around off. */
export interface SetFaultAroundStatement extends StatementBase {
  readonly kind: 'set';
  readonly setting: 'fault_around';
  readonly value: bigint;
}

/**
 * `set layout load ADDR mmap_base ADDR stack_top ADDR brk ADDR` (any of the four) or `set layout random`
 * (a version 1 addition): the addresses later execs take instead of randomizing them, as read off a real process.
 */
export interface SetLayoutStatement extends StatementBase {
  readonly kind: 'set';
  readonly setting: 'layout';
  /** Undefined: `set layout random`. */
  readonly value: PinnedLayout | undefined;
}

/** `set thp always|madvise|never` (a version 1 addition): /sys/kernel/mm/transparent_hugepage/enabled, from that line on. */
export interface SetThpStatement extends StatementBase {
  readonly kind: 'set';
  readonly setting: 'thp';
  readonly value: 'always' | 'madvise' | 'never';
}

/** The vm.* sysctls of the limits (version 1 additions), with the words of /proc/sys/vm. */
export type SysctlSetting = 'overcommit' | 'overcommit_ratio' | 'overcommit_kbytes' | 'max_map_count';
export const SYSCTL_SETTINGS: readonly SysctlSetting[] = ['overcommit', 'overcommit_ratio', 'overcommit_kbytes', 'max_map_count'];

/**
 * `set overcommit 0|1|2` (vm.overcommit_memory), `set overcommit_ratio N` (percent),
 * `set overcommit_kbytes N` (kB) and `set max_map_count N` (version 1 additions), from that line on.
 */
export interface SetSysctlStatement extends StatementBase {
  readonly kind: 'set';
  readonly setting: SysctlSetting;
  readonly value: number;
}

/** `set rlimit P as|data|stack|memlock SIZE|unlimited` (a version 1 addition): prlimit of soft and hard limit; `value` undefined is unlimited. */
export interface SetRlimitStatement extends StatementBase {
  readonly kind: 'set';
  readonly setting: 'rlimit';
  readonly process: Name;
  readonly resource: RlimitResource;
  readonly value: bigint | undefined;
}

export type ExecStop = 'start' | 'entry';
export const EXEC_STOPS: readonly ExecStop[] = ['start', 'entry'];

export type SetStatement = SetAslrStatement | SetSeedStatement | SetMemoryStatement | SetExecStatement | SetPkeysStatement | SetThpStatement | SetFaultAroundStatement | SetLayoutStatement | SetSysctlStatement | SetRlimitStatement | SetOomScoreAdjStatement;

/** `set oom_score_adj P N` (a version 1 addition): /proc/PID/oom_score_adj, -1000..1000; -1000: never chosen. */
export interface SetOomScoreAdjStatement extends StatementBase {
  readonly kind: 'set';
  readonly setting: 'oom_score_adj';
  readonly process: Name;
  readonly value: number;
}
