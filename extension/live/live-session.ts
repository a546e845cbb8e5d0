// One live process as the live view follows it: the readings (the latest kept when a later one
// fails), the samples of the timeline, the snapshot, and the view models of each reading.
// No vscode here: the panel (live-panel.ts) drives it, and the unit tests drive it with recorded files.
import type { RegionRow, TimelineView } from '../../simulator/inspect/view-models';
import { ProcFileError, readLiveProcess, readPageDetail, readVmaPages, type LivePageDetail, type LivePages, type LiveProcess, type ProcReader } from '../../simulator/live';
import {
  liveDiff, liveProcessSummary, liveRegionRows, liveSample, liveSmapsView, liveTimeline, type LiveDiffView, type LiveSample, type LiveSmapsView,
} from '../../simulator/live/live-view-models';
import type { DebugStop } from '../../simulator/live/debuggee';
import { stopDelta, stopDiffView } from '../../simulator/live/stop-delta';
import { looksShmem } from '../../simulator/live/vmas';
import { MAX_NAME, type LiveDebugStatus, type LiveOptions, type LiveViewStatus } from '../../webview/live/protocol';

/** Samples kept for the timeline (an hour at one a second). */
export const MAX_SAMPLES = 3600;
/** The pages grid of one region holds at most this many pages (16 GiB); a larger region shows its first ones. */
export const MAX_GRID_PAGES = 1 << 22;

/** A request for a reading that is no longer the latest: the view asks again for the new one. */
export class StaleReadingError extends Error {
  constructor() {
    super('the process has been read again since; the view will ask for the new reading');
  }
}

interface Reading {
  readonly run: number;
  readonly at: number;
  readonly process: LiveProcess;
  rows?: RegionRow[];
  readonly pages: Map<number, LivePages>;
}

/** Whether an error means the process is gone (rather than unreadable). */
const isGone = (error: unknown) => error instanceof ProcFileError && (error.code === 'ENOENT' || error.code === 'ESRCH' || error.code === 'EMPTY');

export class LiveSession {
  private reading?: Reading;
  /** `stop`: the reading of the previous debug stop (markStop), compared region by region (stop-delta.ts). */
  private snapshot?: { readonly process: LiveProcess; readonly at: number; readonly stop?: boolean };
  private stopReading?: { readonly process: LiveProcess; readonly at: number };
  private debug?: LiveDebugStatus;
  private readonly samples: LiveSample[] = [];
  private runs = 0;
  private error: string | null = null;
  private gone = false;
  private busy = false;

  constructor(
    private readonly reader: ProcReader,
    readonly pid: number,
    public options: LiveOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** The process's name, from the latest reading ("pid N" before one). */
  get name(): string {
    return (this.reading?.process.command || `pid ${this.pid}`).slice(0, MAX_NAME);
  }

  get exited(): boolean {
    return this.gone;
  }

  /**
   * Reads the process: smaps, smaps_rollup, status and the Pss explainer (pagemap, kpagecount).
   * A failure keeps the reading before it and says why in the status; nothing is written to /proc,
   * and the process is stopped only when `options.freeze` asks.
   */
  read(): void {
    if (this.busy) return;
    this.busy = true;
    try {
      // A debuggee is never sent SIGSTOP/SIGCONT: its debugger would take them for the program's signals.
      const process = readLiveProcess(this.reader, this.pid, { explain: true, freeze: this.options.freeze && !this.debug });
      if (process.vmas.length === 0 && this.reading && this.reading.process.vmas.length > 0) {
        // A zombie (or a process exiting right now): its maps read empty.
        this.gone = true;
        this.error = `pid ${this.pid} (/proc/${this.pid}/smaps): empty: the process has exited (state ${process.status?.state ?? 'unknown'})`;
        return;
      }
      const at = this.now();
      this.reading = { run: ++this.runs, at, process, pages: new Map() };
      this.samples.push(liveSample(process, at));
      if (this.samples.length > MAX_SAMPLES) this.samples.splice(0, this.samples.length - MAX_SAMPLES);
      this.error = null;
      this.gone = false;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      this.gone = isGone(error);
    } finally {
      this.busy = false;
    }
  }

  status(): LiveViewStatus {
    const r = this.reading;
    const p = r?.process;
    return {
      pid: this.pid,
      name: this.name,
      command: (p?.cmdline.join(' ') || p?.command || '').slice(0, 4096),
      state: this.gone ? 'exited' : (p?.status?.state ?? '').slice(0, 64),
      threads: p?.status?.threads ?? 0,
      run: r?.run ?? 0,
      readAt: r?.at ?? 0,
      reading: this.busy,
      error: this.error,
      gone: this.gone,
      warnings: (p?.warnings ?? []).slice(0, 200).map((w) => w.slice(0, 4096)),
      kpageAccess: p?.kpageAccess ?? null,
      frozen: p?.frozen ?? false,
      options: this.options,
      snapshotAt: this.snapshot?.at ?? null,
      samples: this.samples.length,
      processes: p ? [liveProcessSummary(p, this.name, this.gone)] : [],
      ...(this.debug ? { debug: this.debug } : {}),
    };
  }

  private current(run: number): Reading {
    const r = this.reading;
    if (!r || r.run !== run) throw new StaleReadingError();
    return r;
  }

  regions(run: number): { rows: RegionRow[] } {
    const r = this.current(run);
    r.rows ??= liveRegionRows(r.process);
    return { rows: r.rows };
  }

  smaps(run: number, region: number): LiveSmapsView | null {
    const vma = this.current(run).process.vmas[region];
    return vma ? liveSmapsView(vma) : null;
  }

  /** The pages grid of one region, read from pagemap when first asked (the first MAX_GRID_PAGES pages of a larger one). */
  pages(run: number, region: number): LivePages | null {
    const r = this.current(run);
    const vma = r.process.vmas[region];
    if (!vma) return null;
    let pages = r.pages.get(region);
    if (!pages) {
      const start = BigInt(vma.start);
      const end = BigInt(vma.end);
      const limit = start + BigInt(MAX_GRID_PAGES) * 4096n;
      pages = readVmaPages(this.reader, this.pid, start, end < limit ? end : limit, looksShmem(vma));
      r.pages.set(region, pages);
    }
    return pages;
  }

  /** One page in detail, read now (the PFN, mapcount and flags as they are at this moment). */
  page(run: number, address: string): LivePageDetail | null {
    const r = this.current(run);
    const a = BigInt(address);
    if (!r.process.vmas.some((v) => BigInt(v.start) <= a && a < BigInt(v.end))) return null;
    return readPageDetail(this.reader, this.pid, address);
  }

  timeline(): TimelineView {
    return liveTimeline(this.name, this.samples);
  }

  /** Keeps the latest reading as the snapshot (or forgets it). */
  takeSnapshot(clear: boolean): void {
    this.snapshot = clear || !this.reading ? undefined : { process: this.reading.process, at: this.reading.at };
  }

  diff(run: number): LiveDiffView | null {
    const r = this.current(run);
    const s = this.snapshot;
    if (!s) return null;
    if (!s.stop) return liveDiff(s.process, s.at, r.process, r.at);
    return stopDiffView(stopDelta(s.process, r.process), s.at, r.at, [s.process.vmas.length, r.process.vmas.length]);
  }

  /**
   * A debugger stopped the process: read it now, and compare with the reading of its previous stop
   * (the Diff tab shows the regions that are new, grown, unmapped or re-protected, and the deltas).
   */
  markStop(stop: DebugStop): void {
    const before = this.stopReading;
    this.debug = { ...stop, stopped: true, changes: '' };
    this.read();
    const r = this.reading;
    if (!r) return;
    if (before && before.process !== r.process) {
      this.snapshot = { process: before.process, at: before.at, stop: true };
      this.debug = { ...this.debug, changes: stopDelta(before.process, r.process).summary };
    }
    this.stopReading = { process: r.process, at: r.at };
  }

  /** The thread's name came after the stop. */
  renameStop(stop: DebugStop): void {
    if (this.debug?.stop === stop.stop) this.debug = { ...this.debug, thread: stop.thread };
  }

  /** The debuggee runs again (continued, or its session ended). */
  debugContinued(): void {
    if (this.debug) this.debug = { ...this.debug, stopped: false };
  }
}
