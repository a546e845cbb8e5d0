// The live view's pure arithmetic (no DOM): the pages grid's colourings and the diff's deltas.
import { PageState } from '../../simulator/inspect/view-models';
import { LivePageFlag, type LivePages } from '../../simulator/live/types';

/** What the grid's colours say: the page's state, who maps it, or whether it was written since soft-dirty was cleared. */
export const COLOURINGS = ['state', 'sharing', 'soft-dirty'] as const;
export type Colouring = (typeof COLOURINGS)[number];

const present = (state: number) => state !== PageState.NotPresent && state !== PageState.Swapped && state !== PageState.SwapCache;

/** One byte per page for a colouring. Pure. */
export function colourValues(pages: LivePages, colouring: Colouring): Uint8Array {
  if (colouring === 'state') return pages.states;
  const values = new Uint8Array(pages.count);
  for (let i = 0; i < pages.count; i++) {
    const state = pages.states[i] as number;
    const flags = pages.flags[i] as number;
    if (colouring === 'sharing') values[i] = state === PageState.Swapped || state === PageState.SwapCache ? 3 : !present(state) ? 0 : flags & LivePageFlag.Exclusive ? 1 : 2;
    else values[i] = state === PageState.NotPresent ? 0 : flags & LivePageFlag.SoftDirty ? 2 : 1;
  }
  return values;
}

/** "+132 kB", "−4 kB", "0 kB". */
export function delta(pair: readonly [number, number]): string {
  const d = pair[1] - pair[0];
  return `${d > 0 ? '+' : d < 0 ? '−' : ''}${Math.abs(d).toLocaleString('en-US')} kB`;
}
