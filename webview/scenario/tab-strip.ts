// The tab strip of a narrow panel: vscode-tabs lays its headers out in one row that is cut off
// where the panel ends. This makes that row scroll (by mouse, by touch, and by the arrow keys,
// which move the focus from header to header), and fades the edge where more tabs follow.

import { overflowSides } from './overflow-sides';

/** Width of the fade that says "more tabs this way". */
const FADE_PX = 28;

const STRIP_CSS = `
.tablist { overflow-x: auto; scrollbar-width: thin; overscroll-behavior-x: contain; }
:host([data-overflow='end']) .tablist { mask-image: linear-gradient(to right, #000 calc(100% - ${FADE_PX}px), transparent); }
:host([data-overflow='start']) .tablist { mask-image: linear-gradient(to left, #000 calc(100% - ${FADE_PX}px), transparent); }
:host([data-overflow='both']) .tablist { mask-image: linear-gradient(to right, transparent, #000 ${FADE_PX}px, #000 calc(100% - ${FADE_PX}px), transparent); }
`;

/** Makes the header row of `tabs` (a vscode-tabs) scrollable, with fades where headers are hidden. */
export async function scrollableTabStrip(tabs: HTMLElement): Promise<void> {
  await customElements.whenDefined('vscode-tabs');
  await (tabs as HTMLElement & { updateComplete?: Promise<unknown> }).updateComplete;
  const root = tabs.shadowRoot;
  const strip = root?.querySelector<HTMLElement>('.tablist');
  if (!root || !strip) return;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(STRIP_CSS);
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  const mark = () => tabs.setAttribute('data-overflow', overflowSides(strip.scrollLeft, strip.clientWidth, strip.scrollWidth));
  strip.addEventListener('scroll', mark, { passive: true });
  new ResizeObserver(mark).observe(strip);
  // A header that takes the focus (the arrow keys move it) or the selection comes into view, clear of the fade.
  const reveal = (header: Element | null | undefined) => {
    if (!header || header.tagName !== 'VSCODE-TAB-HEADER') return;
    const h = header.getBoundingClientRect();
    const s = strip.getBoundingClientRect();
    if (h.right > s.right - FADE_PX) strip.scrollLeft += h.right - s.right + FADE_PX;
    else if (h.left < s.left + FADE_PX) strip.scrollLeft -= s.left + FADE_PX - h.left;
  };
  tabs.addEventListener('keydown', () => requestAnimationFrame(() => reveal(document.activeElement)));
  tabs.addEventListener('vsc-tabs-select', () => reveal(tabs.querySelectorAll('vscode-tab-header')[(tabs as HTMLElement & { selectedIndex: number }).selectedIndex]));
  mark();
}
