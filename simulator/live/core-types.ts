// The shapes readCore hands to the CLI and the extension: plain data, structured-clone safe
// (no bigint, no classes), addresses as "0x…" hex strings like live/types.ts.
import type { Hex } from '../inspect/view-models';

export type { Hex };

/** Who wrote the core: the kernel's do_coredump (ulimit -c, core_pattern) or gdb's gcore. */
export type CoreProducer = 'kernel' | 'gdb' | 'unknown';

/** Where a region's permissions came from, best first. */
export type CorePermsSource =
  /** A kernel core's PT_LOAD p_flags: exactly the VMA's VM_READ/VM_WRITE/VM_EXEC. */
  | 'core'
  /** gcore's PT_LOAD: w and x exact, r from the mapped ELF file's program headers. */
  | 'core+file'
  /** Not dumped by gcore: rwx from the mapped ELF file's program headers (PT_LOAD, PT_GNU_RELRO). */
  | 'file'
  /** gcore's PT_LOAD of an anonymous region: w and x exact, r guessed ('---' when neither w nor x). */
  | 'core-guess'
  /** Nothing says: a guess ('r--' for a file region not dumped, the kernel's own for [vsyscall]). */
  | 'guess';

/** What the core knows about a region and what it does not. */
export interface CoreRegionKnown {
  /** True when all three rwx letters are known (see permsSource). */
  readonly perms: boolean;
  /**
   * The p/s column: never recorded in a core. True only where the name implies it
   * ("/dev/zero (deleted)" and "/SYSV…" are shared anonymous memory: 's').
   */
  readonly private: boolean;
  /**
   * dev:inode: never recorded in a core. True when they were taken from the file now at the
   * region's path (openMappedFile's identity, i.e. stat); false when 00:00 0 is printed.
   */
  readonly devInode: boolean;
  /** True when the name is recorded (NT_FILE path, [vdso] from AT_SYSINFO_EHDR); false when inferred ([heap], [vvar], [stack] from a stack pointer). */
  readonly name: boolean;
}

/** One line of the address space at the dump, as /proc/PID/maps would have shown it. */
export interface CoreRegion {
  readonly start: Hex;
  readonly end: Hex;
  /** "rwxp" as maps prints it; the fourth letter is 'p' unless the name implies 's' (see known.private). */
  readonly perms: string;
  /** File offset in bytes (NT_FILE pgoff × page size); "0x0" for anonymous memory. */
  readonly offset: Hex;
  /** The mapped file's path from NT_FILE (with " (deleted)" as the kernel wrote it), or undefined. */
  readonly path?: string;
  /** "fe:00": the device of the file now at `path` (see known.devInode), or "00:00". */
  readonly dev: string;
  /** The inode of the file now at `path` (see known.devInode), or 0. */
  readonly inode: number;
  /** A pseudo-path: "[stack]", "[vdso]", "[vvar]", "[vvar_vclock]", "[heap]", "[vsyscall]". */
  readonly name?: string;
  readonly permsSource: CorePermsSource;
  readonly known: CoreRegionKnown;
  /** Bytes of this region the core holds (PT_LOAD p_filesz inside the region): 0 when not dumped. */
  readonly dumpedBytes: number;
  /** Index of the PT_LOAD program header it came from, or undefined for an NT_FILE-only region. */
  readonly segment?: number;
}

/** One thread's NT_PRSTATUS. */
export interface CoreThread {
  /** pr_pid: the thread's id (the first thread is the one that took the signal in a kernel core). */
  readonly tid: number;
  /** pr_cursig: the signal being delivered, 0 for none. */
  readonly signal: number;
  /** Registers in user_regs_struct order, name → "0x…" (rip, rsp, … or eip, esp, … for i386). */
  readonly registers: Readonly<Record<string, Hex>>;
}

/** NT_PRPSINFO: the process and its command line. */
export interface CoreProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly pgrp: number;
  readonly sid: number;
  readonly uid: number;
  readonly gid: number;
  /** pr_sname: R, S, D, T, Z … */
  readonly state: string;
  /** pr_fname: the command name (comm, at most 15 bytes). */
  readonly fname: string;
  /** pr_psargs: the command line, arguments joined by spaces, cut at 80 bytes by the kernel. */
  readonly psargs: string;
}

/** NT_SIGINFO: the signal that killed the process (or gcore's view of the last one). */
export interface CoreSignal {
  readonly signo: number;
  /** "SIGSEGV" etc., or "signal N". */
  readonly name: string;
  readonly errno: number;
  readonly code: number;
  /** "SEGV_MAPERR", "SI_USER", … where known. */
  readonly codeName?: string;
  /** si_addr, for SIGSEGV, SIGBUS, SIGILL, SIGFPE and SIGTRAP (the faulting address). */
  readonly addr?: Hex;
}

/** An address and the region it falls in (index into regions), if any. */
export interface CoreAddress {
  readonly address: Hex;
  /** Index into CoreDump.regions, or undefined when the address is in no region (e.g. a NULL dereference). */
  readonly region?: number;
}

/** A core file read as an address space. */
export interface CoreDump {
  /** "x86-64" or "i386". */
  readonly machine: string;
  readonly producer: CoreProducer;
  /** The regions in address order: what `asx maps CORE` prints. */
  readonly regions: CoreRegion[];
  readonly threads: CoreThread[];
  readonly process?: CoreProcessInfo;
  readonly signal?: CoreSignal;
  /** NT_AUXV: AT_* name → value ("AT_SYSINFO_EHDR" → "0x7ff…"). */
  readonly auxv: Readonly<Record<string, Hex>>;
  /** The executable: the NT_FILE path holding AT_PHDR. */
  readonly executable?: string;
  /** The first thread's instruction pointer (rip/eip) and its region: where it crashed. */
  readonly crash?: CoreAddress;
  /** si_addr and its region: the address the faulting access touched. */
  readonly faultAddress?: CoreAddress;
  /** The kernel release ("6.18.0") from the vDSO's version note, when the core holds the vDSO. */
  readonly kernelVersion?: string;
  /** NT_FILE's page size (normally 4096). */
  readonly pageSize: number;
  /** What the core cannot know, and what was inferred, one sentence each (for a note on stderr). */
  readonly notes: string[];
  /** Problems with the file that did not stop the reading (a malformed note, overlapping segments). */
  readonly warnings: string[];
}
