/**
 * x86's arch_pkeys_enabled() is cpu_feature_enabled(X86_FEATURE_OSPKE): the kernel prints smaps'
 * `ProtectionKey` line only on a CPU with protection keys that it has enabled, which
 * /proc/cpuinfo lists as the `ospke` flag.
 */
export function pkeysFromCpuinfo(cpuinfo: string): boolean {
  return /^flags\s*:.*\bospke\b/m.test(cpuinfo);
}
