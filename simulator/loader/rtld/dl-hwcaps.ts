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
 * What init_cpu_features (sysdeps/x86/cpu-features.c, glibc 2.36) makes of an Intel CPU for the
 * legacy hwcaps: the "haswell" (or "xeon_phi") platform instead of AT_PLATFORM's "x86_64", and the
 * avx512_1 capability. Other vendors keep AT_PLATFORM and HWCAP_X86_64 alone.
 */
export interface LegacyHwcaps {
  readonly platform: 'x86_64' | 'haswell' | 'xeon_phi';
  readonly avx512_1: boolean;
}

/** An AMD CPU's (and any not Intel's): AT_PLATFORM, HWCAP_X86_64. */
export const AMD_LEGACY_HWCAPS: LegacyHwcaps = { platform: 'x86_64', avx512_1: false };

/** sizeof (struct r_strlenpair) and sizeof (struct dl_hwcaps_priority) */
const SIZEOF_STRLENPAIR = 16n;
const SIZEOF_HWCAPS_PRIORITY = 16n;

/**
 * The legacy part of _dl_important_hwcaps: the capability names (HWCAP_X86_64's "x86_64", then
 * "avx512_1"), the platform and "tls", and every subset of them as a subdirectory, most specific
 * first, each subset's names in reverse order ("tls/haswell/avx512_1/x86_64/" ... ""). Also the
 * size of its compressed strings, as the function computes it before the malloc.
 */
function legacySubdirs(legacy: LegacyHwcaps): { subdirs: string[]; stringsSize: bigint } {
  const names = ['x86_64', ...(legacy.avx512_1 ? ['avx512_1'] : []), legacy.platform, 'tls'];
  const cnt = names.length;
  const subdirs: string[] = [];
  for (let m = 0; m < 1 << cnt; m++) {
    const set = (1 << cnt) - 1 - m;
    let dir = '';
    for (let n = cnt - 1; n >= 0; n--) if (set & (1 << n)) dir += `${names[n]}/`;
    subdirs.push(dir);
  }
  let total = BigInt(names[0]!.length + names[cnt - 1]!.length + 2) << 1n;
  for (let n = 1; n + 1 < cnt; n++) total += BigInt(names[n]!.length + 1);
  return { subdirs, stringsSize: total << BigInt(cnt - 3) };
}

export interface Hwcaps {
  /** GLRO(dl_platform): what `$PLATFORM` expands to. */
  readonly platform: string;
  /** Every subdirectory open_path tries, in order, the directory itself ('') last. */
  readonly subdirs: readonly string[];
  /** The stub-malloc requests of _dl_important_hwcaps: compute_priorities, then the capability list. */
  readonly allocations: readonly bigint[];
}

/** _dl_hwcaps_subdirs_active and _dl_important_hwcaps (elf/dl-hwcaps.c) for a CPU of ISA level `level`. */
export function importantHwcaps(level: IsaLevel, legacy: LegacyHwcaps = AMD_LEGACY_HWCAPS): Hwcaps {
  const active = GLIBC_HWCAPS_SUBDIRS.filter(([, needs]) => level >= needs).map(([name]) => `${GLIBC_HWCAPS_PREFIX}${name}/`);
  const count = BigInt(active.length);
  const strings = active.reduce((total, dir) => total + BigInt(dir.length), 0n);
  const old = legacySubdirs(legacy);
  return {
    platform: legacy.platform,
    subdirs: [...active, ...old.subdirs],
    allocations: [count * SIZEOF_HWCAPS_PRIORITY, (count + BigInt(old.subdirs.length)) * SIZEOF_STRLENPAIR + strings + old.stringsSize],
  };
}

/**
 * The legacy hwcaps of a CPU from /proc/cpuinfo (its vendor_id and flags), as init_cpu_features
 * decides them (`ld.so --help` lists them): on Intel, avx512_1 with AVX-512 F, CD, BW, DQ and VL
 * (without AVX512ER), and the "xeon_phi" (AVX512ER and AVX512PF) or "haswell" platform (AVX2, FMA,
 * BMI1, BMI2, LZCNT, MOVBE, POPCNT). LZCNT is not checked, as in isaLevelFromCpuinfo.
 */
export function legacyHwcapsFromCpuinfo(cpuinfo: string): LegacyHwcaps {
  if (/^vendor_id\s*:\s*(\S+)/m.exec(cpuinfo)?.[1] !== 'GenuineIntel') return AMD_LEGACY_HWCAPS;
  const flags = cpuFlags(cpuinfo);
  const all = (names: string) => names.split(' ').every((f) => flags.has(f));
  const avx512 = all('avx512f avx512cd');
  const xeonPhi = avx512 && all('avx512er avx512pf');
  return {
    platform: xeonPhi ? 'xeon_phi' : all('avx2 fma bmi1 bmi2 movbe popcnt') ? 'haswell' : 'x86_64',
    avx512_1: avx512 && !flags.has('avx512er') && all('avx512bw avx512dq avx512vl'),
  };
}

/** The flags of /proc/cpuinfo's first processor. */
function cpuFlags(cpuinfo: string): Set<string> {
  const line = /^flags\s*:(.*)$/m.exec(cpuinfo)?.[1] ?? '';
  return new Set(line.trim().split(/\s+/));
}

/**
 * get_isa_level (sysdeps/x86/get-isa-level.h, glibc 2.36) from the flags of /proc/cpuinfo.
 * LZCNT is not checked: some hypervisors hide its `abm` flag from the guest kernel while
 * CPUID (which ld.so asks) still reports it.
 */
export function isaLevelFromCpuinfo(cpuinfo: string): IsaLevel {
  const flags = cpuFlags(cpuinfo);
  const all = (names: string) => names.split(' ').every((f) => flags.has(f));
  if (!all('cmov cx8 fpu fxsr mmx sse sse2 cx16 lahf_lm popcnt pni ssse3 sse4_1 sse4_2')) return 1;
  if (!all('avx avx2 f16c fma movbe')) return 2;
  if (!all('avx512f avx512bw avx512cd avx512dq avx512vl')) return 3;
  return 4;
}
