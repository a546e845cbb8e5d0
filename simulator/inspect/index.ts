/**
 * The simulator half of the scenario panel: view models computed from a
 * scenario's state and step records, so that the webview never decides kernel
 * behaviour. The panel and the editor features import only this module.
 *
 *   listProcesses(state)                                ProcessSummary[]
 *   listRegions(state, process)                         RegionRow[]
 *   regionSmaps(state, process, regionIndex, limit=512) RegionSmaps | undefined
 *   regionPages(state, process, regionIndex)            RegionPages | undefined
 *   pageDetail(run, stepIndex, process, address)        PageDetail | undefined
 *   walkAddress(state, process, address, mode)          WalkView
 *   physicalView(state) / frameDetail(state, pfn)       PhysicalView / FrameDetail
 *   lruView(state, limit=256)                           LruView
 *   reclaimEvents(run, stepIndex)                       ReclaimEvent[]
 *   timeline(run)                                       TimelineView
 *   faultsOf(run, stepIndex?, limit?) / faultCount(...) FaultView[] / number
 *   stepDelta(run, stepIndex)                           StepDelta
 *   translateAddress(state, address, process?)          AddressTranslation[]
 *   parseAddress(text)                                  bigint | undefined
 */
export * from './view-models';
export { listProcesses } from './processes';
export { listRegions } from './regions';
export { regionSmaps } from './region-smaps';
export { regionPages } from './region-pages';
export { pageDetail } from './page-detail';
export { walkAddress } from './walk';
export { physicalView, frameDetail } from './physical';
export { lruView } from './lru';
export { reclaimEvents } from './reclaim-events';
export { timeline } from './timeline';
export { faultCount, faultsOf } from './faults';
export { stepDelta } from './step-delta';
export { translateAddress, parseAddress } from './translate';
