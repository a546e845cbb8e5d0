import type { PanelFocus, PanelStatus, Prefetched } from '../../webview/scenario/protocol';
import { pickProcess, pickRegion } from '../../webview/scenario/selection';
import type { RunViews } from './panel-views';

/**
 * The views the panel's visible tab will ask for at this step, picked as the panel picks its
 * process and region (webview/scenario/selection.ts), so that they go with the step's status
 * and the panel paints it without a round trip. Anything else it asks for is a request.
 */
export function prefetchViews(views: RunViews, status: PanelStatus, focus: PanelFocus): Prefetched[] {
  const at = { run: status.run, step: status.step };
  if (focus.tab === 'physical') return [{ method: 'physical', params: at, result: views.answer('physical', at) }];
  if (focus.tab === 'lru') return [{ method: 'lru', params: at, result: views.answer('lru', at) }];
  if (focus.tab !== 'processes' && focus.tab !== 'smaps' && focus.tab !== 'pages' && focus.tab !== 'pagetable') return [];
  const process = pickProcess(status.processes, focus.process);
  if (process === null) return [];
  const regionsParams = { ...at, process };
  const regions = views.answer('regions', regionsParams);
  const out: Prefetched[] = [{ method: 'regions', params: regionsParams, result: regions }];
  const region = pickRegion(regions.rows, focus.region);
  if (focus.tab === 'pagetable') {
    const address = focus.address ?? region?.start;
    if (address) {
      const params = { ...at, process, address, mode: focus.mode };
      out.push({ method: 'walk', params, result: views.answer('walk', params) });
    }
  } else if (region && (focus.tab === 'smaps' || focus.tab === 'pages')) {
    const params = { ...at, process, region: region.index };
    out.push(focus.tab === 'smaps' ? { method: 'smaps', params, result: views.answer('smaps', params) } : { method: 'pages', params, result: views.answer('pages', params) });
  }
  return out;
}
