import {
  faultCount, faultsOf, frameDetail, listProcesses, listRegions, lruView, pageDetail, physicalView, reclaimEvents, regionPages, regionSmaps, timeline, walkAddress,
} from '../../simulator/inspect';
import type { ScenarioRun } from '../../simulator/scenario/run';
import type { ScenarioState } from '../../simulator/scenario/state';
import { LRU_LIMIT, MAX_FAULTS, type At, type Method, type Methods } from '../../webview/scenario/protocol';

/** A request for a run that is no longer the session's: the panel asks again for the new one. */
export class StaleRunError extends Error {
  constructor() {
    super('the scenario has run again since; the panel will ask for the new run');
  }
}

/** View models kept per run: this many, the oldest dropped first (a step's worth for every tab, and then some). */
const CACHE_ENTRIES = 96;

type ViewMethod = Exclude<Method, 'status' | 'setStep' | 'setLine' | 'reveal' | 'runScenario' | 'editPte'>;
export type ViewHandlers = { readonly [M in ViewMethod]: (params: Methods[M]['params']) => Methods[M]['result'] };

/**
 * The view models of one run, computed on demand from the state after a step and cached, so that
 * moving back and forth or switching tabs asks the simulator once per (step, view).
 */
export class RunViews {
  private readonly cache = new Map<string, unknown>();

  constructor(
    readonly id: number,
    readonly run: ScenarioRun,
  ) {}

  private memo<T>(key: string, compute: () => T): T {
    if (this.cache.has(key)) {
      const value = this.cache.get(key) as T;
      this.cache.delete(key);
      this.cache.set(key, value);
      return value;
    }
    const value = compute();
    this.cache.set(key, value);
    if (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    return value;
  }

  /** Computes a view from the state after `step` (valid only during the call: see ScenarioRun.withStateAfter). */
  private fromState<T>(step: number, view: (state: ScenarioState) => T): T {
    return this.run.withStateAfter(step, view);
  }

  /** The step clamped to the run's statements. */
  clamp(step: number): number {
    return Math.max(-1, Math.min(step, (this.run.toy6 ?? this.run).statements.length - 1));
  }

  processes(step: number) {
    return this.memo(`processes:${step}`, () => this.fromState(step, listProcesses));
  }

  readonly handlers: ViewHandlers = {
    regions: (p) => this.memo(`regions:${p.step}:${p.process}`, () => this.fromState(p.step, (s) => ({ rows: listRegions(s, p.process) }))),
    smaps: (p) => this.memo(`smaps:${p.step}:${p.process}:${p.region}`, () => this.fromState(p.step, (s) => regionSmaps(s, p.process, p.region) ?? null)),
    pages: (p) => this.memo(`pages:${p.step}:${p.process}:${p.region}`, () => this.fromState(p.step, (s) => regionPages(s, p.process, p.region) ?? null)),
    page: (p) => this.memo(`page:${p.step}:${p.process}:${p.address}`, () => pageDetail(this.run, p.step, p.process, BigInt(p.address)) ?? null),
    walk: (p) => this.memo(`walk:${p.step}:${p.process}:${p.address}:${p.mode}`, () => this.fromState(p.step, (s) => walkAddress(s, p.process, BigInt(p.address), p.mode))),
    physical: (p) => this.memo(`physical:${p.step}`, () => this.fromState(p.step, physicalView)),
    frame: (p) => this.memo(`frame:${p.step}:${p.pfn}`, () => this.fromState(p.step, (s) => frameDetail(s, p.pfn))),
    lru: (p) => this.memo(`lru:${p.step}`, () => ({ view: this.fromState(p.step, (s) => lruView(s, LRU_LIMIT)), events: p.step < 0 ? [] : reclaimEvents(this.run, p.step) })),
    timeline: () => this.memo('timeline', () => timeline(this.run)),
    faults: (p) => {
      // Views only for the faults sent: a gigabyte written is 262,144 faults, kept compact in the run.
      const all = this.memo('faults:all', () => faultsOf(this.run, undefined, MAX_FAULTS));
      const total = this.memo('faults:total', () => faultCount(this.run));
      const step = this.memo(`faults:${p.step}`, () => (p.step < 0 ? [] : faultsOf(this.run, p.step, MAX_FAULTS)));
      return { step, all: p.all ? all : [], total };
    },
  };

  /** Answers a view request: the run must be this one, and the step is clamped to it. */
  answer<M extends ViewMethod>(method: M, params: Methods[M]['params']): Methods[M]['result'] {
    if (params.run !== this.id) throw new StaleRunError();
    const clamped = 'step' in params ? { ...params, step: this.clamp((params as At).step) } : params;
    return (this.handlers[method] as (p: Methods[M]['params']) => Methods[M]['result'])(clamped);
  }
}

export const isViewMethod = (method: Method): method is ViewMethod => method !== 'status' && method !== 'setStep' && method !== 'setLine' && method !== 'reveal' && method !== 'runScenario' && method !== 'editPte';
