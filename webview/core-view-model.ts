// What the ELF view shows of a core file (ET_CORE): the process and its crash, each thread's registers,
// and what the core cannot know. Its regions travel as the layout (LayoutView), so the map and the
// maps table show them as they show a program's. Plain JSON, addresses as "0x…" hex strings.
import type { Hex } from './view-models';

/** An address and the region it falls in, described. */
export interface CoreAddressView {
  readonly address: Hex;
  /** Index into the layout's regions, or null (in no region: e.g. a NULL dereference). */
  readonly region: number | null;
  /** "in /usr/lib/libc.so.6 r-xp 7f…-7f… at offset 0x28000", or "in no mapped region". */
  readonly where: string;
}

export interface CoreThreadView {
  readonly tid: number;
  readonly signal: number;
  /** Name → value, in user_regs_struct order. */
  readonly registers: readonly (readonly [string, Hex])[];
}

export interface CoreView {
  readonly machine: string;
  /** "the kernel (do_coredump)", "gdb's gcore". */
  readonly producer: string;
  readonly pid: number | null;
  /** NT_PRPSINFO's command name and command line (cut at 80 bytes by the kernel). */
  readonly command: string | null;
  readonly commandLine: string | null;
  readonly executable: string | null;
  /** "SIGSEGV (SEGV_MAPERR)", or null without NT_SIGINFO. */
  readonly signal: string | null;
  /** The first thread's instruction pointer, where it crashed. */
  readonly crash: CoreAddressView | null;
  /** si_addr: the address the faulting access touched. */
  readonly faultAddress: CoreAddressView | null;
  readonly threads: readonly CoreThreadView[];
  /** What the core cannot know, and what was inferred. */
  readonly notes: readonly string[];
  /** Problems with the file that did not stop the reading. */
  readonly warnings: readonly string[];
}
