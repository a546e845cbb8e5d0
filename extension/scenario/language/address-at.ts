// Hex addresses in any text: `0x7ffff7dd1000`, or bare hex of 12 to 16 digits as gdb and
// /proc/PID/maps print them (`7ffff7dd1000-7ffff7dd3000`). Pure: unit-tested.

export interface FoundAddress {
  readonly value: bigint;
  /** 0-based characters of the address text in its line. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** At most this many characters of a line are looked at around the cursor. */
const WINDOW = 64;
const HEX_WORD = /(?<![0-9A-Za-z_])(?:0[xX][0-9A-Fa-f]{1,16}|[0-9A-Fa-f]{12,16})(?![0-9A-Za-z_])/g;

/** The address at a 0-based character of a line (the character may be just after it), if any. */
export function addressAt(lineText: string, character: number): FoundAddress | undefined {
  const from = Math.max(0, character - WINDOW);
  const window = lineText.slice(from, character + WINDOW);
  for (const m of window.matchAll(HEX_WORD)) {
    const start = from + (m.index ?? 0);
    const end = start + m[0].length;
    if (character < start || character > end) continue;
    return found(m[0], start);
  }
  return undefined;
}

/** A selection's text as one address (blanks around it allowed), if that is all it is. */
export function addressIn(selected: string): FoundAddress | undefined {
  const trimmed = selected.trim();
  if (trimmed.length > 18) return undefined;
  const m = /^(?:0[xX][0-9A-Fa-f]{1,16}|[0-9A-Fa-f]{8,16})$/.exec(trimmed);
  return m ? found(trimmed, selected.indexOf(trimmed)) : undefined;
}

function found(text: string, start: number): FoundAddress {
  const digits = /^0x/i.test(text) ? text.slice(2) : text;
  return { value: BigInt(`0x${digits}`), start, end: start + text.length, text };
}
