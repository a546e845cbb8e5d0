// A long run's slices: statements run for RunControl.sliceMs, then the run yields to the event loop,
// reports its progress and stops if it was cancelled (the editor's progress notification).

/** How a long run reports progress and is cancelled. */
export interface SliceControl {
  /** Called after each slice of statements. */
  onProgress?(done: number, total: number): void;
  /** Checked between slices; a true answer stops the run with ScenarioCancelled. */
  isCancelled?(): boolean;
  /** Run statements for this long before yielding to the event loop (default: never yield). */
  sliceMs?: number;
}

/** The run was cancelled through SliceControl.isCancelled. */
export class ScenarioCancelled extends Error {
  constructor(readonly done: number) {
    super(`scenario cancelled after ${done} statements`);
  }
}

const yieldToEventLoop = () => new Promise<void>((resolve) => globalThis.setTimeout(resolve, 0));

/** The clock of one run's slices: `due` after each statement (no promise per statement), `pause` when it is. */
export class Slices {
  private sliceStart = Date.now();

  constructor(
    private readonly control: SliceControl,
    private readonly total: number,
  ) {}

  /** Whether this slice has run its time: the run should pause now. */
  due(): boolean {
    return this.control.sliceMs !== undefined && Date.now() - this.sliceStart >= this.control.sliceMs;
  }

  /** Reports `done` statements, yields to the event loop, and throws ScenarioCancelled if the run was cancelled meanwhile. */
  async pause(done: number): Promise<void> {
    this.control.onProgress?.(done, this.total);
    await yieldToEventLoop();
    if (this.control.isCancelled?.()) throw new ScenarioCancelled(done);
    this.sliceStart = Date.now();
  }

  /** Reports the run done. */
  finish(): void {
    this.control.onProgress?.(this.total, this.total);
  }
}
