import type { MmIdSlots } from './folio-mm-ids';
import type { FileIdentity } from '../elf/file-access';
import type { MmStruct } from './mm-struct';
import type { ThreadGroup } from './thread';
import { PG_ANON, PG_SWAPBACKED } from './page-flags';
import { PageTable } from './page-table';
import { OWNER_KERNEL, PhysicalMemory } from './physical-memory';
import { SwapDevice } from './swap';
import type { Rlimits } from './rlimit';
import { DEFAULT_VM_SYSCTL, type VmSysctl } from './sysctl';

/** A file's page cache (struct address_space) with its readahead state. */
export interface Inode {
  readonly id: number;
  readonly path: string;
  readonly identity: FileIdentity;
  /** i_size in bytes. */
  size: number;
  /** shmem: swap-backed, e.g. the object behind a MAP_SHARED|MAP_ANONYMOUS mapping. */
  readonly shmem: boolean;
  /** Page index to frame. */
  cache: Map<number, number>;
  /** Swapped-out shmem pages: page index to swap slot. */
  swapped: Map<number, number>;
  /** file_ra_state: mmap_miss and the last readahead window (`order`: the folio order it asked for; absent: 0). */
  ra: { start: number; size: number; asyncSize: number; mmapMiss: number; order?: number };
  /** Shadow entries of pages reclaim dropped: page index to the nonresident age at eviction (workingset.ts). */
  shadows?: Map<number, number>;
  /** shmem_acct_size: the pages this shmem object charged to Committed_AS at creation (commit.ts). */
  acctPages?: number;
}

export type Signal = 'SIGSEGV' | 'SIGBUS' | 'SIGKILL';

/** How a process died, as the simulator reports it (siginfo plus the x86 error code). */
export interface Death {
  readonly signal: Signal;
  readonly code: 'SEGV_MAPERR' | 'SEGV_ACCERR' | 'SI_KERNEL' | 'BUS_ADRERR' | 'OOM';
  readonly address: bigint;
  /** The #PF error code (0 for OOM). */
  readonly errorCode: number;
  readonly explanation: string;
  readonly line: number;
}

/** mm->rss_stat: the counters behind VmRSS, RssAnon, RssFile, RssShmem and VmSwap (in pages). */
export interface RssCounters {
  file: number;
  anon: number;
  shmem: number;
  swapEnts: number;
}

/** A simulated process: its address space, page table and counters. */
export interface Task {
  readonly name: string;
  readonly pid: number;
  mm: MmStruct;
  pt: PageTable;
  rss: RssCounters;
  /** hiwater_rss and hiwater_vm, in pages. */
  hiwaterRss: number;
  hiwaterVm: number;
  death?: Death;
  /** Threads made with pthread_create and glibc's stack cache (thread.ts); absent: the main thread only. */
  threads?: ThreadGroup;
  /** The object whose malloc the process calls instead of glibc's (rtld's mallocInterposer): its allocations make no [heap]. */
  mallocInterposer?: string;
  exited: boolean;
  /** The line of the `exit` statement that ended it (for `show` of a dead process). */
  exitedAt?: number;
  /** signal->oom_score_adj, -1000..1000 (`set oom_score_adj`); a fork inherits it. */
  oomScoreAdj?: number;
  /** The program's path as the kernel shows it (for messages). */
  readonly program: string;
  readonly createdAt: number;
  /** RLIMIT_AS, RLIMIT_DATA, RLIMIT_STACK, RLIMIT_MEMLOCK (rlimit.ts); absent: the defaults. */
  rlimits?: Rlimits;
}

export interface MachineSettings {
  ramBytes: number;
  swapBytes: number;
  /** arch_pkeys_enabled() (X86_FEATURE_OSPKE): smaps prints each VMA's ProtectionKey. */
  pkeys: boolean;
  /** mm_forbids_zeropage(): read faults on anonymous memory get a page of their own, not the zero page. */
  forbidsZeroPage: boolean;
  /** /sys/kernel/mm/transparent_hugepage/enabled at boot (default madvise). */
  thp?: ThpMode;
}

/** /sys/kernel/mm/transparent_hugepage/enabled. */
export type ThpMode = 'always' | 'madvise' | 'never';

/** The whole simulated machine: physical memory, swap, page caches and processes. */
export class Kernel {
  phys: PhysicalMemory;
  swap: SwapDevice;
  inodes = new Map<number, Inode>();
  tasks = new Map<string, Task>();
  nextPid = 1000;
  /** Threads made so far (pthread_create): while there are none, a name is never a thread's, and no lookup scans the tasks for one. */
  threadsMade = 0;
  nextId = 1;
  /** /sys/kernel/mm/transparent_hugepage/enabled (`set thp`). */
  thp: ThpMode;
  /** PMD mappings made so far (huge-memory.ts): 0 means none to settle. */
  thpPmds = 0;
  /**
   * Since the last settleHugePmds, a PTE of a PMD mapping was written, or a PMD mapping was made or
   * gone: it then looks at every task's PMD mappings (else only at those of tasks whose VMAs changed).
   */
  thpTouched = false;
  /** vmaTreeChanges() when settleHugePmds last looked (not copied by clone: a copy looks again). */
  thpSettledAt = -1;
  /** vm.overcommit_memory, overcommit_ratio, overcommit_kbytes, max_map_count (sysctl.ts). */
  sysctl: VmSysctl = { ...DEFAULT_VM_SYSCTL };
  /** The shmem objects' part of vm_committed_as, in pages (commit.ts; the VMAs' part is derived). */
  shmemCommitted = 0;
  /** fault_around_bytes >> PAGE_SHIFT (debugfs, 64 KiB by default): 1 turns fault-around off (should_fault_around). */
  faultAroundPages = 16;
  /** The vDSO image's pages (kernel memory, one frame per page, shared by every process): vdso.ts. Replaced, never changed in place. */
  vdsoPages: readonly number[] = [];
  /** The two processes each large anonymous folio remembers, by head frame (folio-mm-ids.ts). */
  mmIds = new Map<number, MmIdSlots>();
  /** lruvec->nonresident_age: evictions and activations so far (workingset.ts). */
  nonresidentAge = 0;
  /** Frames asynchronous readahead added whose read is still in flight (not PG_uptodate): done when the statement ends or a fault waits for one (page-cache.ts); empty between statements. */
  readsInFlight: number[] = [];

  constructor(readonly settings: MachineSettings) {
    this.phys = new PhysicalMemory(Math.floor(settings.ramBytes / 4096));
    this.swap = new SwapDevice(settings.swapBytes > 0 ? Math.floor(settings.swapBytes / 4096) : 0);
    this.thp = settings.thp ?? 'madvise';
  }

  /** A PMD mapping made (1) or gone (-1): counted, and every task is looked at by the next settleHugePmds. */
  countPmd(by: 1 | -1): void {
    this.thpPmds += by;
    this.thpTouched = true;
  }

  clone(): Kernel {
    const copy = Object.create(Kernel.prototype) as Kernel;
    Object.assign(copy, {
      settings: this.settings,
      phys: this.phys.clone(),
      swap: this.swap.clone(),
      nextPid: this.nextPid,
      threadsMade: this.threadsMade,
      nextId: this.nextId,
      thp: this.thp,
      thpPmds: this.thpPmds,
      thpTouched: this.thpTouched,
      sysctl: { ...this.sysctl },
      shmemCommitted: this.shmemCommitted,
      faultAroundPages: this.faultAroundPages,
      vdsoPages: this.vdsoPages,
      mmIds: new Map([...this.mmIds].map(([head, slots]) => [head, { ...slots }])),
      nonresidentAge: this.nonresidentAge,
      readsInFlight: [],
      inodes: new Map([...this.inodes].map(([id, inode]) => [id, { ...inode, cache: new Map(inode.cache), swapped: new Map(inode.swapped), ra: { ...inode.ra }, shadows: inode.shadows && new Map(inode.shadows) }])),
      tasks: new Map([...this.tasks].map(([name, t]) => [name, { ...t, mm: t.mm.clone(), pt: t.pt.clone(), rss: { ...t.rss } }])),
    });
    return copy;
  }

  /** A frame for a page table; page tables are kernel memory, never reclaimed. */
  allocateTableFrame(): number {
    const pfn = this.phys.allocate(OWNER_KERNEL, -1, 0);
    if (pfn === undefined) throw new OutOfMemory();
    return pfn;
  }

  newPageTable(): PageTable {
    return new PageTable(this.allocateTableFrame());
  }

  /** A new process `name` with the next pid, running `program` in `mm` with a page table of its own (not yet in tasks). */
  newTask(name: string, mm: MmStruct, program: string, line: number): Task {
    return { name, pid: this.nextPid++, mm, pt: this.newPageTable(), rss: { file: 0, anon: 0, shmem: 0, swapEnts: 0 }, hiwaterRss: 0, hiwaterVm: 0, exited: false, program, createdAt: line };
  }

  liveTasks(): Task[] {
    return [...this.tasks.values()].filter((t) => !t.exited && !t.death);
  }
}

/** Raised when no frame can be found even after reclaim; the caller runs the OOM killer. */
export class OutOfMemory extends Error {
  constructor() {
    super('out of memory');
  }
}

/** add_mm_counter(mm, mm_counter(folio), delta), with named stores (a computed key is a slow store on the fault path). */
export function chargeRss(task: Task, flags: number, delta: number): void {
  const rss = task.rss;
  if (flags & PG_ANON) rss.anon += delta;
  else if (flags & PG_SWAPBACKED) rss.shmem += delta;
  else rss.file += delta;
}

export function rssPages(t: Task): number {
  return t.rss.file + t.rss.anon + t.rss.shmem;
}
