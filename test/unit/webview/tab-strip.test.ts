import { describe, expect, it } from 'vitest';
import { overflowSides } from '../../../webview/scenario/overflow-sides';

describe('the tab strip marks the sides where headers are hidden', () => {
  it('none when every header fits', () => expect(overflowSides(0, 500, 500)).toBe('none'));
  it('end at the start of a row wider than the panel', () => expect(overflowSides(0, 300, 700)).toBe('end'));
  it('both in the middle', () => expect(overflowSides(100, 300, 700)).toBe('both'));
  it('start at the end (sub-pixel widths count as the end)', () => expect(overflowSides(400.5, 300, 700)).toBe('start'));
});
