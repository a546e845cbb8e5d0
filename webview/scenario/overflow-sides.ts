// Pure layout arithmetic of a horizontally scrolled row (no DOM), for the tab strip.

export type Overflow = 'none' | 'start' | 'end' | 'both';

/** Which sides of a scrolled row hide headers. */
export function overflowSides(scrollLeft: number, clientWidth: number, scrollWidth: number): Overflow {
  const start = scrollLeft > 1;
  const end = scrollLeft + clientWidth < scrollWidth - 1;
  return start && end ? 'both' : start ? 'start' : end ? 'end' : 'none';
}
