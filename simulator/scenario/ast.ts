// The syntax tree of the `.aspace` scenario language, version 1.
//
// Every statement carries its line, its source text (without comment and
// surrounding blanks) and the column it starts at; file paths carry their own
// column, for the errors of opening them. Operands keep no other position: the
// parser reports its diagnostics with the tokens' spans, and an editor finds an
// operand's columns by lexing the line (lexer.ts). A statement is then a few
// small objects (values such as permissions and names are shared), which is
// what lets 100,000-line scenarios run in the extension host.
// Sizes, offsets and addresses are bigint bytes (`P` = 4096-byte pages).
import type { SetStatement } from './ast-set';

/** A range of one line: 1-based `column` of the first character, `endColumn` one past the last. */
export interface Span {
  readonly line: number;
  readonly column: number;
  readonly endColumn: number;
}

/** A process or region name as written, e.g. `P` in `read P R` (one object per name and parse, shared by its statements). */
export interface Name {
  readonly name: string;
}

/** A word taken as written, and its 1-based column: a path or a program argument. */
export interface Word {
  readonly text: string;
  readonly column: number;
}

/** `rw-`, `r-x`, `---`... */
export interface Permissions {
  readonly read: boolean;
  readonly write: boolean;
  readonly execute: boolean;
  /** The three characters as written. */
  readonly text: string;
}

/** What `read`/`write`/`exec`/`munmap`/`expect`/`show smaps`/... act on. */
export type Target =
  | { readonly kind: 'region'; readonly name: string }
  | { readonly kind: 'heap' }
  | { readonly kind: 'stack' }
  | { readonly kind: 'address'; readonly value: bigint };

/** `OFF SIZE` of munmap/mprotect/madvise: bytes relative to the start of the target. */
export interface ByteRange {
  readonly offset: bigint;
  readonly size: bigint;
}

export interface StatementBase {
  /** 1-based line number. */
  readonly line: number;
  /** The statement as written, without its comment and surrounding blanks. */
  readonly text: string;
  /** The 1-based column of the statement's first character. */
  readonly column: number;
}

/** `P = exec PATH [ARGS...]`: `path` is relative to the scenario file. */
export interface ExecStatement extends StatementBase {
  readonly kind: 'exec';
  readonly process: Name;
  readonly path: Word;
  readonly args: readonly Word[];
}

/** `Q = fork P`. */
export interface ForkStatement extends StatementBase {
  readonly kind: 'fork';
  readonly child: Name;
  readonly parent: Name;
}

/**
 * `T = thread P [STACKSIZE]` (a version 1 addition): pthread_create of a detached thread in P, with a
 * stack of STACKSIZE bytes (pthread_attr_setstacksize; RLIMIT_STACK when absent). T then names P for
 * every statement, `stack` with T names the thread's stack, and `exit T` ends the thread.
 */
export interface ThreadStatement extends StatementBase {
  readonly kind: 'thread';
  readonly thread: Name;
  readonly process: Name;
  readonly stackSize?: bigint;
}

/**
 * `dlopen P PATH`: dlopen(3) in a running process. PATH is a library name
 * searched as ld.so searches (no '/'), or a path relative to the scenario.
 */
export interface DlopenStatement extends StatementBase {
  readonly kind: 'dlopen';
  readonly process: Name;
  readonly path: Word;
}

/** `exit P`. */
export interface ExitStatement extends StatementBase {
  readonly kind: 'exit';
  readonly process: Name;
}

export type MmapBacking =
  | { readonly kind: 'anon' }
  | {
      readonly kind: 'file';
      /** Relative to the scenario file. */
      readonly path: Word;
      /** File offset in bytes, page-aligned; 0 when not given. */
      readonly offset: bigint;
    };

/** `R = mmap P SIZE PERMS private|shared anon` or `... file PATH [offset OFF]`. */
export interface MmapStatement extends StatementBase {
  readonly kind: 'mmap';
  readonly region: Name;
  readonly process: Name;
  /** Bytes, > 0 (the kernel rounds it up to pages). */
  readonly size: bigint;
  readonly perms: Permissions;
  readonly sharing: 'private' | 'shared';
  readonly backing: MmapBacking;
  /** `noreserve` after the backing (a version 1 addition): MAP_NORESERVE, no overcommit charge unless vm.overcommit_memory is 2. */
  readonly noreserve?: true;
  /** `at ADDR` (a version 1 addition): MAP_FIXED_NOREPLACE at this address. */
  readonly address?: bigint;
}

export type AccessOp = 'read' | 'write' | 'exec';

/**
 * `read|write|exec P R [OFF [SIZE]]`: one access in every page of the range.
 * No `offset`: the whole mapping. `offset` only: one byte at `offset`.
 * Both: `size` bytes (> 0) from `offset`.
 */
export interface AccessStatement extends StatementBase {
  readonly kind: 'access';
  readonly op: AccessOp;
  readonly process: Name;
  readonly target: Target;
  readonly offset?: bigint;
  readonly size?: bigint;
}

/** `munmap P R [OFF SIZE]`. No `range`: the whole mapping. */
export interface MunmapStatement extends StatementBase {
  readonly kind: 'munmap';
  readonly process: Name;
  readonly target: Target;
  readonly range?: ByteRange;
}

/** `mprotect P R [OFF SIZE] PERMS`. */
export interface MprotectStatement extends StatementBase {
  readonly kind: 'mprotect';
  readonly process: Name;
  readonly target: Target;
  readonly range?: ByteRange;
  readonly perms: Permissions;
}

/** MADV_DONTNEED, MADV_PAGEOUT, MADV_COLD, MADV_WILLNEED, and MADV_FREE (an extension, as in the oracle). */
export type MadviseAdvice = 'dontneed' | 'pageout' | 'cold' | 'willneed' | 'free' | 'hugepage' | 'nohugepage' | 'dontfork' | 'dofork' | 'random' | 'sequential' | 'normal';

/** `madvise P R [OFF SIZE] dontneed|pageout|cold|willneed|free|hugepage|nohugepage|dontfork|dofork|random|sequential|normal` (hugepage, nohugepage, dontfork, dofork, random, sequential, normal: version 1 additions). */
export interface MadviseStatement extends StatementBase {
  readonly kind: 'madvise';
  readonly process: Name;
  readonly target: Target;
  readonly range?: ByteRange;
  readonly advice: MadviseAdvice;
}

/** `msync P R [OFF SIZE]` (the range is an extension; the contract has `msync P R`). */
export interface MsyncStatement extends StatementBase {
  readonly kind: 'msync';
  readonly process: Name;
  readonly target: Target;
  readonly range?: ByteRange;
}

/** `mlock P R [OFF SIZE]`, `munlock P R [OFF SIZE]` (version 1 additions): mlock(2)/munlock(2); no `range`: the whole mapping. */
export interface MlockStatement extends StatementBase {
  readonly kind: 'mlock' | 'munlock';
  readonly process: Name;
  readonly target: Target;
  readonly range?: ByteRange;
}

/** `mremap P R NEWSIZE [maymove]` (a version 1 addition): mremap(2) of the whole mapping R, which names the result afterwards. */
export interface MremapStatement extends StatementBase {
  readonly kind: 'mremap';
  readonly process: Name;
  readonly target: Extract<Target, { kind: 'region' }>;
  /** Bytes, > 0 (the kernel rounds it up to pages). */
  readonly newSize: bigint;
  /** MREMAP_MAYMOVE. */
  readonly mayMove: boolean;
}

/** `brk P +SIZE|-SIZE`: `delta` is signed bytes. */
export interface BrkStatement extends StatementBase {
  readonly kind: 'brk';
  readonly process: Name;
  readonly delta: bigint;
}

/** `reclaim SIZE`: the kernel's reclaim frees `size` bytes. */
export interface ReclaimStatement extends StatementBase {
  readonly kind: 'reclaim';
  readonly size: bigint;
}

/**
 * One `FIELD=SIZE` of `expect`: the field and its value in bytes. `source`
 * says where the field is read: an smaps field is summed over the VMAs that
 * overlap the target; a status field (`VmSwap`, `RssAnon`, ...) is the
 * process's own line of /proc/PID/status, whatever the target.
 */
export interface ExpectField {
  readonly field: SmapsField | StatusField;
  readonly source: 'smaps' | 'status';
  readonly value: bigint;
}

/** `expect P R FIELD=SIZE...`: smaps fields summed over the VMAs that overlap `target`. */
export interface ExpectStatement extends StatementBase {
  readonly kind: 'expect';
  readonly process: Name;
  readonly target: Target;
  readonly fields: readonly ExpectField[];
}

export type KillSignal = 'SIGSEGV' | 'SIGBUS' | 'SIGKILL';

/** `expect P killed SIGSEGV|SIGBUS|SIGKILL` (SIGKILL: the OOM killer). A bare `expect P killed` means SIGSEGV. */
export interface ExpectKilledStatement extends StatementBase {
  readonly kind: 'expectKilled';
  readonly process: Name;
  readonly signal: KillSignal;
}

/**
 * `expect R failed ERRNO` (the mmap that named R failed with ERRNO) and `expect failed ERRNO` (the
 * last statement before it that made a call failed with ERRNO): version 1 additions.
 */
export interface ExpectFailedStatement extends StatementBase {
  readonly kind: 'expectFailed';
  /** The region whose mmap is meant; none: the statement before. */
  readonly region?: Name;
  readonly errno: ErrnoName;
}

/** The errno names `expect failed` knows (asm-generic/errno-base.h and errno.h). */
export const ERRNO_NAMES = ['EPERM', 'ENOENT', 'EINTR', 'EIO', 'ENXIO', 'E2BIG', 'ENOEXEC', 'EBADF', 'EAGAIN', 'ENOMEM', 'EACCES', 'EFAULT', 'EBUSY', 'EEXIST', 'ENODEV', 'ENOTDIR', 'EISDIR', 'EINVAL', 'ENFILE', 'EMFILE', 'ETXTBSY', 'EFBIG', 'ENOSPC', 'ESPIPE', 'EROFS', 'ERANGE', 'ENOSYS', 'ELOOP', 'EOVERFLOW', 'EOPNOTSUPP'] as const;
export type ErrnoName = (typeof ERRNO_NAMES)[number];

/** `show maps|rollup|status P`. */
export interface ShowProcessStatement extends StatementBase {
  readonly kind: 'show';
  readonly what: 'maps' | 'rollup' | 'status';
  readonly process: Name;
}

/** `show smaps P [R]`: every VMA, or those that overlap `target`. */
export interface ShowSmapsStatement extends StatementBase {
  readonly kind: 'show';
  readonly what: 'smaps';
  readonly process: Name;
  readonly target?: Target;
}

/** `show pagetable P R [OFF]`: the page-table walk for the page at R+OFF (OFF 0 if not given). */
export interface ShowPagetableStatement extends StatementBase {
  readonly kind: 'show';
  readonly what: 'pagetable';
  readonly process: Name;
  readonly target: Target;
  readonly offset?: bigint;
}

/** `show meminfo` (a version 1 addition): the machine's /proc/meminfo. */
export interface ShowMeminfoStatement extends StatementBase {
  readonly kind: 'show';
  readonly what: 'meminfo';
}

export type ShowStatement = ShowProcessStatement | ShowSmapsStatement | ShowPagetableStatement | ShowMeminfoStatement;
export type ShowWhat = ShowStatement['what'];

export type Statement =
  | SetStatement
  | DlopenStatement
  | ExecStatement
  | ForkStatement
  | ThreadStatement
  | ExitStatement
  | MmapStatement
  | AccessStatement
  | MunmapStatement
  | MprotectStatement
  | MadviseStatement
  | MsyncStatement
  | MlockStatement
  | MremapStatement
  | BrkStatement
  | ReclaimStatement
  | ExpectStatement
  | ExpectKilledStatement
  | ExpectFailedStatement
  | ShowStatement;

export type StatementKind = Statement['kind'];

/** The fields of /proc/PID/smaps that `expect` can check, in the kernel's order. */
export const SMAPS_FIELDS = [
  'Size',
  'KernelPageSize',
  'MMUPageSize',
  'Rss',
  'Pss',
  'Pss_Dirty',
  'Shared_Clean',
  'Shared_Dirty',
  'Private_Clean',
  'Private_Dirty',
  'Referenced',
  'Anonymous',
  'KSM',
  'LazyFree',
  'AnonHugePages',
  'ShmemPmdMapped',
  'FilePmdMapped',
  'Shared_Hugetlb',
  'Private_Hugetlb',
  'Swap',
  'SwapPss',
  'Locked',
] as const;

export type SmapsField = (typeof SMAPS_FIELDS)[number];

/** The size lines of /proc/PID/status that `expect` can check (the `Vm*` and `Rss*` lines of `show status`). */
export const STATUS_FIELDS = [
  'VmPeak',
  'VmSize',
  'VmLck',
  'VmPin',
  'VmHWM',
  'VmRSS',
  'RssAnon',
  'RssFile',
  'RssShmem',
  'VmData',
  'VmStk',
  'VmExe',
  'VmLib',
  'VmPTE',
  'VmSwap',
] as const;

export type StatusField = (typeof STATUS_FIELDS)[number];

/** The first word of every statement (for completion and messages); `exec` also follows `P =`. */
export const STATEMENT_KEYWORDS = [
  'set', 'exit', 'read', 'write', 'exec', 'munmap', 'mprotect', 'madvise', 'msync', 'mlock', 'munlock', 'mremap', 'brk', 'reclaim', 'dlopen', 'expect', 'show',
] as const;

/** The word after `NAME =`. */
export const ASSIGNMENT_KEYWORDS = ['exec', 'fork', 'mmap', 'thread'] as const;

export const SETTINGS = ['aslr', 'seed', 'ram', 'swap', 'exec', 'pkeys', 'thp', 'fault_around', 'layout', 'overcommit', 'overcommit_ratio', 'overcommit_kbytes', 'max_map_count', 'rlimit', 'oom_score_adj'] as const;
export const ASLR_VALUES = ['off', 'on', 'full'] as const;
export const ACCESS_OPS: readonly AccessOp[] = ['read', 'write', 'exec'];
export const MADVISE_ADVICE: readonly MadviseAdvice[] = ['dontneed', 'pageout', 'cold', 'willneed', 'free', 'hugepage', 'nohugepage', 'dontfork', 'dofork', 'random', 'sequential', 'normal'];
export const KILL_SIGNALS: readonly KillSignal[] = ['SIGSEGV', 'SIGBUS', 'SIGKILL'];
export const SHOW_WHATS: readonly ShowWhat[] = ['maps', 'smaps', 'rollup', 'status', 'pagetable', 'meminfo'];
/** Target words that are not region names. */
export const RESERVED_TARGETS = ['heap', 'stack'] as const;
