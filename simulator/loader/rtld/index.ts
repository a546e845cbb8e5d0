export { dlMain, type RtldOptions, type RtldResult } from './rtld';
export { mapDlopenPlan, planDlopen, type DlopenMapping, type DlopenPlan } from './dl-open';
export type { LinkMap, FoundVia } from './dl-object';
export { dependencyTree, objectsOfVma, type DependencyNode } from './linked';
export { RtldError } from './rtld-error';
export { parseLdSoCache, cacheLookup, type LdSoCache } from './dl-cache';
export { AMD_LEGACY_HWCAPS, DEFAULT_ISA_LEVEL, isaLevelFromCpuinfo, legacyHwcapsFromCpuinfo, type IsaLevel, type LegacyHwcaps } from './dl-hwcaps';
