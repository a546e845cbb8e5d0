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
      const size = start - previousEnd;
      rows.push({ kind: 'gap', size, label: `… ${formatSize(size)} unmapped …` });
    }
    rows.push({ kind: 'region', index, height: regionHeight(end - start), size: end - start });
    previousEnd = end;
  });
  return rows;
}
