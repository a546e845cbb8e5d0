/**
 * A failure ld.so reports before the program runs: `_dl_signal_error` with the
 * object's name, reason and errno text, printed by `_dl_fatal_printf` as
 * "PROG: error while loading shared libraries: NAME: REASON".
 */
export class RtldError extends Error {
  constructor(
    /** The object ld.so was loading (a DT_NEEDED name or a path). */
    readonly object: string,
    /** ld.so's message, e.g. "cannot open shared object file: No such file or directory". */
    readonly reason: string,
    /** The directories searched, in order, for messages and the ELF view. */
    readonly searched: readonly string[] = [],
  ) {
    super(`${object}: ${reason}${searched.length ? ` (searched: ${searched.join(', ')})` : ''}`);
    this.name = 'RtldError';
  }
}
