// Byte arrays on the wire between the host and the scenario panel. A region's page states and the
// machine's frame uses are one byte per page or frame: 1 MiB for a 4 GiB region, and VS Code carries
// a message to a webview at about 85 ms per MiB here. They are mostly long runs of one value (pages
// not present, frames free), so such an array goes as its runs when that is much smaller.

/** Runs of equal bytes: `values[i]` repeated `lengths[i]` times. */
export interface ByteRuns {
  readonly values: Uint8Array;
  readonly lengths: Uint32Array;
}

/** A byte array as it goes on the wire: the bytes, or their runs. */
export type WireBytes = Uint8Array | ByteRuns;

/** Bytes a run costs on the wire (a value and a 32-bit length). */
const RUN_BYTES = 5;

function countRuns(bytes: Uint8Array): number {
  let runs = 0;
  for (let i = 0; i < bytes.length; i++) if (i === 0 || bytes[i] !== bytes[i - 1]) runs++;
  return runs;
}

/** The bytes as runs when those take at most a quarter of the bytes; else the bytes as they are. */
export function packBytes(bytes: Uint8Array): WireBytes {
  const runs = countRuns(bytes);
  return runs * RUN_BYTES * 4 > bytes.length ? bytes : toRuns(bytes, runs);
}

/** The runs of the bytes (`runs` of them). */
export function toRuns(bytes: Uint8Array, runs = countRuns(bytes)): ByteRuns {
  const values = new Uint8Array(runs);
  const lengths = new Uint32Array(runs);
  let r = -1;
  for (let i = 0; i < bytes.length; i++) {
    if (i === 0 || bytes[i] !== bytes[i - 1]) values[++r] = bytes[i]!;
    lengths[r]!++;
  }
  return { values, lengths };
}

/** The bytes of runs already checked to add up to `count`. */
export function unpackBytes(runs: ByteRuns, count: number): Uint8Array {
  const out = new Uint8Array(count);
  let at = 0;
  for (let i = 0; i < runs.values.length; i++) {
    const end = at + runs.lengths[i]!;
    if (runs.values[i]) out.fill(runs.values[i]!, at, end);
    at = end;
  }
  return out;
}
