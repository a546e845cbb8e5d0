import type { PhysicalView, RegionPages } from '../../simulator/inspect/view-models';
import { packBytes } from '../../webview/scenario/byte-runs';

/**
 * A view as it is posted to the panel: a region's page states and mapcounts, and the frames' uses,
 * as runs of equal bytes where that is much smaller (webview/scenario/byte-runs.ts); the panel's
 * checks unpack them into the arrays of the view's type.
 */
export function onTheWire(method: string, result: unknown): unknown {
  if (!result) return result;
  if (method === 'pages') {
    const pages = result as RegionPages;
    return { ...pages, states: packBytes(pages.states), mapcounts: packBytes(pages.mapcounts) };
  }
  if (method === 'physical') {
    const physical = result as PhysicalView;
    return { ...physical, uses: packBytes(physical.uses) };
  }
  return result;
}
