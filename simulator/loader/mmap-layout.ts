import { PAGE_SHIFT, pageAlign } from '../mm/vma';
import { STACK_GUARD_GAP } from '../mm/mm-struct';
import type { Randomization } from './randomization';
import { DEFAULT_MAP_WINDOW, MMAP64_RND_BITS, RLIM_INFINITY, STACK_RND_MASK } from './x86-64';

const SIZE_128M = 128n << 20n;
const MASK64 = (1n << 64n) - 1n;

/** arch_mmap_rnd / arch_rnd(mmap64_rnd_bits): a page-aligned random offset below 1 TiB. */
export function archMmapRnd(random: Randomization): bigint {
  if (!random.pfRandomize) return 0n;
  return (random.nextLong() & ((1n << MMAP64_RND_BITS) - 1n)) << PAGE_SHIFT;
}

/** mmap_base (arch/x86/mm/mmap.c): below the stack's maximum extent and its random range. */
export function mmapBase(rnd: bigint, taskSize: bigint, stackRlimit: bigint, pfRandomize: boolean): bigint {
  let gap = stackRlimit;
  const pad = (pfRandomize ? STACK_RND_MASK << PAGE_SHIFT : 0n) + STACK_GUARD_GAP;
  // Values close to RLIM_INFINITY can overflow: then the pad is not added.
  if (((gap + pad) & MASK64) > gap) gap += pad;
  const gapMax = (taskSize / 6n) * 5n;
  if (gap < SIZE_128M) gap = SIZE_128M;
  else if (gap > gapMax) gap = gapMax;
  return pageAlign(taskSize - gap - rnd);
}

/** arch_pick_mmap_layout for a 64-bit task: top-down from mmap_base. */
export function archPickMmapLayout(random: Randomization, stackRlimit: bigint): bigint {
  const rnd = archMmapRnd(random);
  return mmapBase(rnd, DEFAULT_MAP_WINDOW, stackRlimit === RLIM_INFINITY ? RLIM_INFINITY : stackRlimit, random.pfRandomize);
}
