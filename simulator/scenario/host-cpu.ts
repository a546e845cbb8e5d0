import { isaLevelFromCpuinfo, legacyHwcapsFromCpuinfo } from '../loader/rtld';
import type { ScenarioSettings } from './state';

/**
 * x86's arch_pkeys_enabled() is cpu_feature_enabled(X86_FEATURE_OSPKE): the kernel prints smaps'
 * `ProtectionKey` line only on a CPU with protection keys that it has enabled, which
 * /proc/cpuinfo lists as the `ospke` flag.
 */
export function pkeysFromCpuinfo(cpuinfo: string): boolean {
  return /^flags\s*:.*\bospke\b/m.test(cpuinfo);
}

/**
 * mm_forbids_zeropage(): a PVM guest kernel booted with `pvm_no_zero_page=1` (as /proc/cmdline
 * shows) maps a page of its own on every anonymous read fault instead of the shared zero page.
 */
export function zeroPageForbiddenByCmdline(cmdline: string): boolean {
  return /(^|\s)pvm_no_zero_page=1(\s|$)/.test(cmdline);
}

/**
 * What the host's /proc/cpuinfo decides of the simulated machine: its protection keys, and the
 * glibc-hwcaps level and legacy hwcaps ld.so finds. Nothing where there is no cpuinfo (the defaults stand).
 */
export function machineFromCpuinfo(cpuinfo: string | undefined): Partial<Pick<ScenarioSettings, 'pkeys' | 'isaLevel' | 'legacyHwcaps'>> {
  return cpuinfo === undefined ? {} : { pkeys: pkeysFromCpuinfo(cpuinfo), isaLevel: isaLevelFromCpuinfo(cpuinfo), legacyHwcaps: legacyHwcapsFromCpuinfo(cpuinfo) };
}
