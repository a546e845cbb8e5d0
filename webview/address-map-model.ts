// The address-space map's rows (pure): each region sized by the logarithm of its size, and the
// unmapped gaps between them collapsed into labelled rows.
import { formatSize } from './format';
import type { RegionView } from './view-models';

export type MapRow =
  | { readonly kind: 'region'; readonly index: number; readonly height: number; readonly size: bigint }
  | { readonly kind: 'gap'; readonly size: bigint; readonly label: string };

const MIN_HEIGHT = 24;
const MAX_HEIGHT = 96;
const PX_PER_DOUBLING = 5;
const PAGE = 4096n;
/** Where x86-64 user space ends (TASK_SIZE_MAX rounded up): above it, the non-canonical hole and the kernel. */
const USER_SPACE_END = 0x800000000000n;

function gapLabel(start: bigint, end: bigint): string {
  const size = formatSize(end - start);
  return start < USER_SPACE_END && end > USER_SPACE_END ? `… ${size}: the end of user space, the non-canonical hole, the kernel …` : `… ${size} unmapped …`;
}

/** Row height for a region of `size` bytes: 1 page is MIN_HEIGHT, each doubling adds a few pixels. */
export function regionHeight(size: bigint): number {
  const pages = Number(size / PAGE) || 1;
  return Math.min(MAX_HEIGHT, Math.round(MIN_HEIGHT + PX_PER_DOUBLING * Math.log2(pages)));
}

export function mapRows(regions: readonly RegionView[]): MapRow[] {
  const rows: MapRow[] = [];
  let previousEnd = 0n;
  regions.forEach((r, index) => {
    const start = BigInt(r.start);
    const end = BigInt(r.end);
    if (start > previousEnd) {
      rows.push({ kind: 'gap', size: start - previousEnd, label: gapLabel(previousEnd, start) });
    }
    rows.push({ kind: 'region', index, height: regionHeight(end - start), size: end - start });
    previousEnd = end;
  });
  return rows;
}
