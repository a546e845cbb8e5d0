// Decoders of a core's CORE notes (fs/binfmt_elf.c fill_note_info, include/linux/elfcore.h),
// for x86-64 and i386. Every read goes through ByteView: a short note is an ElfError.
import type { ByteView } from '../elf/byte-view';
import { ElfError } from '../elf/errors';
import type { CoreProcessInfo, CoreSignal, CoreThread } from './core-types';

export const NT_PRSTATUS = 1;
export const NT_PRFPREG = 2;
export const NT_PRPSINFO = 3;
export const NT_TASKSTRUCT = 4;
export const NT_AUXV = 6;
export const NT_SIGINFO = 0x53494749;
export const NT_FILE = 0x46494c45;
export const NT_X86_XSTATE = 0x202;

/** user_regs_struct (arch/x86/include/asm/user_64.h): 27 registers, pr_reg at offset 112 of elf_prstatus. */
const X86_64_REGS = ['r15', 'r14', 'r13', 'r12', 'rbp', 'rbx', 'r11', 'r10', 'r9', 'r8', 'rax', 'rcx', 'rdx', 'rsi', 'rdi', 'orig_rax', 'rip', 'cs', 'eflags', 'rsp', 'ss', 'fs_base', 'gs_base', 'ds', 'es', 'fs', 'gs'];
/** user_regs_struct (asm/user_32.h): 17 registers, pr_reg at offset 72 of the 32-bit elf_prstatus. */
const I386_REGS = ['ebx', 'ecx', 'edx', 'esi', 'edi', 'ebp', 'eax', 'ds', 'es', 'fs', 'gs', 'orig_eax', 'eip', 'cs', 'eflags', 'esp', 'ss'];

/** The instruction and stack pointers' names for a class. */
export function pointerRegisters(is64: boolean): { ip: string; sp: string } {
  return is64 ? { ip: 'rip', sp: 'rsp' } : { ip: 'eip', sp: 'esp' };
}

const hex = (v: bigint) => `0x${v.toString(16)}`;

/** elf_prstatus: pr_cursig at 12, pr_pid at 32 (24 on i386), pr_reg at 112 (72). */
export function parsePrstatus(desc: ByteView, is64: boolean): CoreThread {
  const names = is64 ? X86_64_REGS : I386_REGS;
  const regAt = is64 ? 112 : 72;
  const width = is64 ? 8 : 4;
  const registers: Record<string, string> = {};
  names.forEach((name, i) => {
    registers[name] = hex(desc.word(regAt + i * width, is64, `NT_PRSTATUS pr_reg.${name}`));
  });
  return {
    tid: desc.i32(is64 ? 32 : 24, 'NT_PRSTATUS pr_pid'),
    signal: desc.u16(12, 'NT_PRSTATUS pr_cursig'),
    registers,
  };
}

const latin1 = new TextDecoder('latin1');

function cString(desc: ByteView, at: number, size: number, field: string): string {
  desc.u8(at + size - 1, field);
  const bytes = desc.bytes.subarray(at, at + size);
  const nul = bytes.indexOf(0);
  return latin1.decode(nul >= 0 ? bytes.subarray(0, nul) : bytes);
}

/** elf_prpsinfo (fill_psinfo): 136 bytes on x86-64; 124 on i386, where pr_flag is 4 bytes and uid/gid are 16-bit. */
export function parsePrpsinfo(desc: ByteView, is64: boolean): CoreProcessInfo {
  const f = (name: string) => `NT_PRPSINFO ${name}`;
  const ids = is64 ? 24 : 12;
  const sname = desc.u8(1, f('pr_sname'));
  return {
    state: sname >= 0x20 && sname < 0x7f ? String.fromCharCode(sname) : '?',
    uid: is64 ? desc.u32(16, f('pr_uid')) : desc.u16(8, f('pr_uid')),
    gid: is64 ? desc.u32(20, f('pr_gid')) : desc.u16(10, f('pr_gid')),
    pid: desc.i32(ids, f('pr_pid')),
    ppid: desc.i32(ids + 4, f('pr_ppid')),
    pgrp: desc.i32(ids + 8, f('pr_pgrp')),
    sid: desc.i32(ids + 12, f('pr_sid')),
    fname: cString(desc, ids + 16, 16, f('pr_fname')),
    // The kernel replaces the NULs between arguments with spaces.
    psargs: cString(desc, ids + 32, 80, f('pr_psargs')).trimEnd(),
  };
}

const AT_NAMES: Readonly<Record<number, string>> = {
  3: 'AT_PHDR', 4: 'AT_PHENT', 5: 'AT_PHNUM', 6: 'AT_PAGESZ', 7: 'AT_BASE', 8: 'AT_FLAGS', 9: 'AT_ENTRY',
  11: 'AT_UID', 12: 'AT_EUID', 13: 'AT_GID', 14: 'AT_EGID', 15: 'AT_PLATFORM', 16: 'AT_HWCAP', 17: 'AT_CLKTCK',
  23: 'AT_SECURE', 24: 'AT_BASE_PLATFORM', 25: 'AT_RANDOM', 26: 'AT_HWCAP2', 27: 'AT_RSEQ_FEATURE_SIZE',
  28: 'AT_RSEQ_ALIGN', 29: 'AT_HWCAP3', 30: 'AT_HWCAP4', 31: 'AT_EXECFN', 32: 'AT_SYSINFO', 33: 'AT_SYSINFO_EHDR', 51: 'AT_MINSIGSTKSZ',
};

export const AT_PHDR = 3;
export const AT_BASE = 7;
export const AT_ENTRY = 9;
export const AT_RANDOM = 25;
export const AT_EXECFN = 31;
export const AT_SYSINFO_EHDR = 33;

/** NT_AUXV: the saved_auxv pairs (a_type, a_val) up to AT_NULL. */
export function parseAuxv(desc: ByteView, is64: boolean): Map<number, bigint> {
  const w = is64 ? 8 : 4;
  const auxv = new Map<number, bigint>();
  for (let at = 0; at + 2 * w <= desc.length; at += 2 * w) {
    const type = desc.word(at, is64, 'NT_AUXV a_type');
    if (type === 0n) break;
    if (type < 0x10000n && !auxv.has(Number(type))) auxv.set(Number(type), desc.word(at + w, is64, 'NT_AUXV a_val'));
  }
  return auxv;
}

export function auxvName(type: number): string {
  return AT_NAMES[type] ?? `AT_${type}`;
}

export interface FileNoteEntry {
  readonly start: bigint;
  readonly end: bigint;
  /** vm_pgoff in pages of `pageSize`. */
  readonly pgoff: bigint;
  readonly path: string;
}

export interface FileNote {
  readonly pageSize: bigint;
  readonly entries: FileNoteEntry[];
}

/**
 * NT_FILE (fill_files_note): count and page_size, then count (start, end, pgoff) words,
 * then count NUL-terminated paths. The count is checked against the note's size first.
 */
export function parseFileNote(desc: ByteView, is64: boolean): FileNote {
  const w = is64 ? 8 : 4;
  const count = desc.word(0, is64, 'NT_FILE count');
  const pageSize = desc.word(w, is64, 'NT_FILE page_size');
  const tableEnd = 2n * BigInt(w) + count * 3n * BigInt(w);
  if (tableEnd > BigInt(desc.length)) {
    throw new ElfError(desc.fileOffset, 'NT_FILE count', `${count} files need 0x${tableEnd.toString(16)} bytes but the note has 0x${desc.length.toString(16)}`);
  }
  const entries: FileNoteEntry[] = [];
  let name = Number(tableEnd);
  for (let i = 0; i < Number(count); i++) {
    const at = 2 * w + i * 3 * w;
    const nul = desc.bytes.indexOf(0, name);
    if (nul < 0) throw new ElfError(desc.fileOffset + name, `NT_FILE name[${i}]`, 'the path runs past the end of the note (no NUL)');
    entries.push({
      start: desc.word(at, is64, `NT_FILE [${i}].start`),
      end: desc.word(at + w, is64, `NT_FILE [${i}].end`),
      pgoff: desc.word(at + 2 * w, is64, `NT_FILE [${i}].pgoff`),
      path: latin1.decode(desc.bytes.subarray(name, nul)),
    });
    name = nul + 1;
  }
  return { pageSize, entries };
}

const SIGNALS = ['', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGKILL', 'SIGUSR1', 'SIGSEGV', 'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGSTKFLT', 'SIGCHLD', 'SIGCONT', 'SIGSTOP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF', 'SIGWINCH', 'SIGIO', 'SIGPWR', 'SIGSYS'];

export function signalName(signo: number): string {
  return SIGNALS[signo] || `signal ${signo}`;
}

/** si_code names (include/uapi/asm-generic/siginfo.h) for the signals with an address. */
const CODES: Readonly<Record<number, readonly string[]>> = {
  4: ['', 'ILL_ILLOPC', 'ILL_ILLOPN', 'ILL_ILLADR', 'ILL_ILLTRP', 'ILL_PRVOPC', 'ILL_PRVREG', 'ILL_COPROC', 'ILL_BADSTK', 'ILL_BADIADDR'],
  5: ['', 'TRAP_BRKPT', 'TRAP_TRACE', 'TRAP_BRANCH', 'TRAP_HWBKPT', 'TRAP_UNK', 'TRAP_PERF'],
  7: ['', 'BUS_ADRALN', 'BUS_ADRERR', 'BUS_OBJERR', 'BUS_MCEERR_AR', 'BUS_MCEERR_AO'],
  8: ['', 'FPE_INTDIV', 'FPE_INTOVF', 'FPE_FLTDIV', 'FPE_FLTOVF', 'FPE_FLTUND', 'FPE_FLTRES', 'FPE_FLTINV', 'FPE_FLTSUB', 'FPE_FLTUNK', 'FPE_CONDTRAP'],
  11: ['', 'SEGV_MAPERR', 'SEGV_ACCERR', 'SEGV_BNDERR', 'SEGV_PKUERR', 'SEGV_ACCADI', 'SEGV_ADIDERR', 'SEGV_ADIPERR', 'SEGV_MTEAERR', 'SEGV_MTESERR', 'SEGV_CPERR'],
};
const GENERIC_CODES: Readonly<Record<number, string>> = { 0: 'SI_USER', 0x80: 'SI_KERNEL', [-1]: 'SI_QUEUE', [-2]: 'SI_TIMER', [-3]: 'SI_MESGQ', [-4]: 'SI_ASYNCIO', [-5]: 'SI_SIGIO', [-6]: 'SI_TKILL' };

/** NT_SIGINFO (fill_siginfo_note: the kernel's siginfo_t): si_signo, si_errno, si_code, then si_addr at 16 (12 on i386). */
export function parseSiginfo(desc: ByteView, is64: boolean): CoreSignal {
  const signo = desc.i32(0, 'NT_SIGINFO si_signo');
  const code = desc.i32(8, 'NT_SIGINFO si_code');
  const hasAddress = code > 0 && code < 0x80 && CODES[signo] !== undefined;
  const codeName = hasAddress ? CODES[signo]?.[code] : GENERIC_CODES[code];
  return {
    signo,
    name: signalName(signo),
    errno: desc.i32(4, 'NT_SIGINFO si_errno'),
    code,
    ...(codeName ? { codeName } : {}),
    ...(hasAddress ? { addr: hex(desc.word(is64 ? 16 : 12, is64, 'NT_SIGINFO si_addr')) } : {}),
  };
}
