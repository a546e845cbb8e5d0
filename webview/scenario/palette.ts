// Colours of page states and frame uses: CSS custom properties built from the theme's
// --vscode-charts-* colours (scenario.css), resolved to rgb() for the canvases.
import { FrameUse, PageState } from '../../simulator/inspect/view-models';

export interface Swatch {
  readonly value: number;
  readonly label: string;
  readonly description: string;
  /** The CSS custom property that holds the colour. */
  readonly variable: string;
}

export const PAGE_SWATCHES: readonly Swatch[] = [
  { value: PageState.NotPresent, label: 'not present', description: 'no PTE: the next access faults', variable: '--state-not-present' },
  { value: PageState.ZeroPage, label: 'zero page', description: 'a read fault mapped the shared zero page (not counted in Rss)', variable: '--state-zero' },
  { value: PageState.FileClean, label: 'page cache, clean', description: 'a file page as read from disk', variable: '--state-file-clean' },
  { value: PageState.FileDirty, label: 'page cache, dirty', description: 'a file page written through a shared mapping, not yet written back', variable: '--state-file-dirty' },
  { value: PageState.AnonPrivate, label: 'anonymous, private', description: 'an anonymous page mapped by this process only (or its own CoW copy)', variable: '--state-anon-private' },
  { value: PageState.AnonShared, label: 'anonymous, shared (CoW)', description: 'an anonymous page still shared after fork: a write copies it', variable: '--state-anon-shared' },
  { value: PageState.Shmem, label: 'shmem', description: 'a shared anonymous (shmem) page', variable: '--state-shmem' },
  { value: PageState.Swapped, label: 'swapped', description: 'on swap: the PTE holds the swap entry', variable: '--state-swapped' },
  { value: PageState.SwapCache, label: 'in the swap cache', description: 'swapped out, its page still in the swap cache', variable: '--state-swap-cache' },
];

export const FRAME_SWATCHES: readonly Swatch[] = [
  { value: FrameUse.Free, label: 'free', description: 'on a buddy free list', variable: '--state-not-present' },
  { value: FrameUse.Anon, label: 'anonymous', description: 'an anonymous page', variable: '--state-anon-private' },
  { value: FrameUse.File, label: 'page cache', description: 'a file page', variable: '--state-file-clean' },
  { value: FrameUse.Shmem, label: 'shmem', description: 'a shmem page', variable: '--state-shmem' },
  { value: FrameUse.PageTable, label: 'page table', description: 'a page-table page', variable: '--state-file-dirty' },
  { value: FrameUse.ZeroPage, label: 'zero page', description: 'the shared zero page', variable: '--state-zero' },
  { value: FrameUse.Kernel, label: 'kernel', description: 'reserved by the kernel', variable: '--state-kernel' },
];

/** Colours of the timeline's processes, in order. */
export const SERIES_VARIABLES = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'];

let probe: HTMLElement | undefined;

/** A CSS colour (custom properties, color-mix…) as the rgb() string a canvas accepts. */
export function resolveColor(css: string, fallback = '#888'): string {
  if (!probe) {
    probe = document.createElement('span');
    probe.style.display = 'none';
    document.body.append(probe);
  }
  probe.style.color = fallback;
  probe.style.color = css;
  return getComputedStyle(probe).color || fallback;
}

/** The colours of a palette, indexed by value. */
export function paletteColors(swatches: readonly Swatch[]): string[] {
  const colors: string[] = [];
  for (const s of swatches) colors[s.value] = resolveColor(`var(${s.variable})`);
  return colors;
}
