// A long `asx run` on a terminal says how far it has come, on one line of stderr that it clears at
// the end; on a pipe or a file (and in a run shorter than PROGRESS_MS) it prints nothing.
import type { Output } from './main';

/** Every PROGRESS_MS of a run on a terminal, its progress on one line of stderr (nothing for a run shorter than that). */
const PROGRESS_MS = 500;

export interface ProgressLine {
  /** runScenario's control fields: none off a terminal. */
  readonly control: { sliceMs?: number; onProgress?: (done: number, total: number) => void };
  /** Clears the line, if one was shown. */
  clear(): void;
}

export function progressLine(err: Output): ProgressLine {
  const status = err.status;
  if (!status) return { control: {}, clear: () => {} };
  let shown = false;
  return {
    control: {
      sliceMs: PROGRESS_MS,
      onProgress: (done, total) => {
        if (done >= total) return;
        shown = true;
        status(`asx run: statement ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} (${Math.floor((done * 100) / total)}%)`);
      },
    },
    clear: () => {
      if (shown) status(undefined);
      shown = false;
    },
  };
}
