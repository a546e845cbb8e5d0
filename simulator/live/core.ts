/**
 * Core files (ET_CORE) read as address spaces, for `asx maps CORE`, `asx elf CORE` and the
 * ELF custom editor.
 *
 * - `readCore(file, { openMappedFile })` → a {@link CoreDump}: the regions at the dump
 *   (PT_LOAD segments merged with NT_FILE's paths and offsets, [vdso] from AT_SYSINFO_EHDR,
 *   [stack] from the initial stack), each thread's registers (NT_PRSTATUS), the command line
 *   (NT_PRPSINFO), the signal (NT_SIGINFO), the regions of the crashing instruction pointer
 *   and of the fault address, and `notes`: what a core cannot know. `openMappedFile` (optional)
 *   opens a mapped file by its NT_FILE path so that the permissions gcore leaves out can be
 *   read from the file's own program headers; without it they are guessed and marked so.
 * - `renderCoreMaps(dump)` → the /proc/PID/maps lines (the kernel's column padding);
 *   `coreMapsLine(region)` → one of them.
 * - `coreSummaryText(dump)` → process, command line, signal, crash and fault regions, registers
 *   as text; `describeCoreAddress(dump, address)` → "0x… in START-END PERMS NAME (+OFF)".
 * - `isCoreFile(header)` → whether an ELF header is ET_CORE.
 * Throws ElfError (one line: offset, field, problem) for a file it cannot read at all.
 */
export type * from './core-types';
export { readCore, isCoreFile, type ReadCoreOptions } from './core-read';
export { renderCoreMaps, coreMapsLine } from './core-maps';
export { coreSummaryText, describeCoreAddress } from './core-text';
