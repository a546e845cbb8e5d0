// Keyboard navigation for lists and tables: one tab stop, arrows/Home/End move, Enter/Space activate.

const NEXT: Readonly<Record<string, number>> = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 };

/**
 * Makes the `selector` items inside `container` a roving-tabindex group. `activate` runs on
 * click, Enter and Space. Call the returned function after the items change.
 */
export function rovingFocus(container: HTMLElement, selector: string, activate: (item: HTMLElement) => void): () => void {
  const items = () => Array.from(container.querySelectorAll<HTMLElement>(selector));
  const focusItem = (item: HTMLElement | undefined) => {
    if (!item) return;
    for (const other of items()) other.tabIndex = other === item ? 0 : -1;
    item.focus();
  };
  container.addEventListener('keydown', (e) => {
    const list = items();
    const current = list.indexOf(document.activeElement as HTMLElement);
    if (current < 0) return;
    if (e.key in NEXT) focusItem(list[Math.max(0, Math.min(list.length - 1, current + (NEXT[e.key] as number)))]);
    else if (e.key === 'Home') focusItem(list[0]);
    else if (e.key === 'End') focusItem(list[list.length - 1]);
    else if (e.key === 'Enter' || e.key === ' ') activate(list[current] as HTMLElement);
    else return;
    e.preventDefault();
  });
  container.addEventListener('click', (e) => {
    const item = (e.target as HTMLElement).closest<HTMLElement>(selector);
    if (item && container.contains(item)) {
      focusItem(item);
      activate(item);
    }
  });
  return () => {
    const list = items();
    if (!list.some((i) => i.tabIndex === 0) && list[0]) list[0].tabIndex = 0;
    for (const item of list) if (item.tabIndex !== 0) item.tabIndex = -1;
  };
}
