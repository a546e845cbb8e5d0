// A long `asx run` on a terminal says how far it has come, on one line of stderr that it clears at
// the end; on a pipe or a file (and in a run shorter than PROGRESS_MS) it prints nothing.
import type { Output } from './main';

/** Every PROGRESS_MS of a run on a terminal, its progress on one line of stderr (nothing for a run shorter than that). */
const PROGRESS_MS = 500;
const shown = new WeakSet<Output>();

export function progressOn(err: Output): { sliceMs?: number; onProgress?: (done: number, total: number) => void } {
  if (!err.isTerminal) return {};
  return {
    sliceMs: PROGRESS_MS,
    onProgress: (done, total) => {
      if (done >= total) return;
      shown.add(err);
      err.write(`\rasx run: statement ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} (${Math.floor((done * 100) / total)}%)`);
    },
  };
}

/** Clears the progress line, if one was shown. */
export function clearProgress(err: Output): void {
  if (shown.delete(err)) err.write('\r\x1b[K');
}
