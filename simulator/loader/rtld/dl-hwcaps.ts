// The subdirectories ld.so tries under every search directory (glibc 2.36, x86-64): the
// glibc-hwcaps levels the CPU supports, then the legacy hwcaps power set.

/** An x86-64 ISA level: 1 is the baseline, 2-4 are x86-64-v2 to x86-64-v4. */
export type IsaLevel = 1 | 2 | 3 | 4;

/** The level where nothing says otherwise: the capture machine's (an AMD EPYC with AVX-512). */
export const DEFAULT_ISA_LEVEL: IsaLevel = 4;

/** _dl_hwcaps_subdirs (sysdeps/x86_64/dl-hwcaps-subdirs.c), in priority order, with the level each needs. */
const GLIBC_HWCAPS_SUBDIRS: readonly (readonly [string, IsaLevel])[] = [
  ['x86-64-v4', 4],
  ['x86-64-v3', 3],
  ['x86-64-v2', 2],
];
const GLIBC_HWCAPS_PREFIX = 'glibc-hwcaps/';

/**
 * The legacy part: the power set of {x86_64 (HWCAP_X86_64), x86_64 (AT_PLATFORM), tls}, most
 * specific first. An AMD CPU never gets avx512_1 or the "haswell" platform (init_cpu_features
 * sets them for Intel only), so this is what `ld.so --help` lists on the capture machines.
 */
const LEGACY_SUBDIRS = ['tls/x86_64/x86_64/', 'tls/x86_64/', 'tls/x86_64/', 'tls/', 'x86_64/x86_64/', 'x86_64/', 'x86_64/', ''];
/** The power set's compressed strings, "tls/x86_64/" "x86_64/tls/x86_64/" (_dl_important_hwcaps). */
const LEGACY_STRINGS_SIZE = 29n;
/** sizeof (struct r_strlenpair) and sizeof (struct dl_hwcaps_priority) */
const SIZEOF_STRLENPAIR = 16n;
const SIZEOF_HWCAPS_PRIORITY = 16n;

export interface Hwcaps {
  /** Every subdirectory open_path tries, in order, the directory itself ('') last. */
  readonly subdirs: readonly string[];
  /** The stub-malloc requests of _dl_important_hwcaps: compute_priorities, then the capability list. */
  readonly allocations: readonly bigint[];
}

/** _dl_hwcaps_subdirs_active and _dl_important_hwcaps (elf/dl-hwcaps.c) for a CPU of ISA level `level`. */
export function importantHwcaps(level: IsaLevel): Hwcaps {
  const active = GLIBC_HWCAPS_SUBDIRS.filter(([, needs]) => level >= needs).map(([name]) => `${GLIBC_HWCAPS_PREFIX}${name}/`);
  const count = BigInt(active.length);
  const strings = active.reduce((total, dir) => total + BigInt(dir.length), 0n);
  return {
    subdirs: [...active, ...LEGACY_SUBDIRS],
    allocations: [count * SIZEOF_HWCAPS_PRIORITY, (count + BigInt(LEGACY_SUBDIRS.length)) * SIZEOF_STRLENPAIR + strings + LEGACY_STRINGS_SIZE],
  };
}

/**
 * get_isa_level (sysdeps/x86/get-isa-level.h, glibc 2.36) from the flags of /proc/cpuinfo.
 * LZCNT is not checked: some hypervisors hide its `abm` flag from the guest kernel while
 * CPUID (which ld.so asks) still reports it.
 */
export function isaLevelFromCpuinfo(cpuinfo: string): IsaLevel {
  const line = /^flags\s*:(.*)$/m.exec(cpuinfo)?.[1] ?? '';
  const flags = new Set(line.trim().split(/\s+/));
  const all = (names: string) => names.split(' ').every((f) => flags.has(f));
  if (!all('cmov cx8 fpu fxsr mmx sse sse2 cx16 lahf_lm popcnt pni ssse3 sse4_1 sse4_2')) return 1;
  if (!all('avx avx2 f16c fma movbe')) return 2;
  if (!all('avx512f avx512bw avx512cd avx512dq avx512vl')) return 3;
  return 4;
}
