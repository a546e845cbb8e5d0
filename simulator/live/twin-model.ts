// What the twin is built from: a real address space, VMA by VMA, with each page's state and
// mapcount where they are known (a live process through pagemap and kpagecount; a core file
// records none). Plain data: twin.ts turns it into `.aspace` text and never reaches into mm/.
import { PageState } from '../inspect/view-models';

/** One VMA as /proc/PID/maps shows it, with its pages. */
export interface TwinVma {
  readonly start: bigint;
  readonly end: bigint;
  /** "rw-p", as maps prints it. */
  readonly perms: string;
  /** File offset in bytes. */
  readonly offset: bigint;
  /** The pathname column: "" for anonymous memory, "[heap]", "/usr/lib/…". */
  readonly path: string;
  /** One PageState byte per page; undefined when the pages are not known. */
  readonly states?: Uint8Array;
  /** kpagecount per page (clamped to 255); 0 when unknown. */
  readonly mapcounts?: Uint8Array;
  /** The live smaps fields in kB, for the comparison (and the count of clean anonymous pages). */
  readonly fields?: Readonly<Record<string, number>>;
  /** smaps' VmFlags ("rd", "wr", "nr", "hg", …) where known: the twin remakes hg, nh and nr. */
  readonly vmFlags?: readonly string[];
}

export interface TwinInput {
  /** "pid 1234 (node)" or "core.1234". */
  readonly origin: string;
  /** The executable's path (/proc/PID/exe, or the core's AT_PHDR file). */
  readonly program: string;
  /** argv[1..]. */
  readonly args: readonly string[];
  readonly vmas: readonly TwinVma[];
  /** Why page states are missing, when they are (a core file). */
  readonly pagesUnknown?: string;
  /** Swap space of the machine in bytes (SwapTotal), if known. */
  readonly swapBytes?: bigint;
}

/** How the twin makes one VMA. */
export type TwinVmaKind =
  /** [vvar], [vvar_vclock], [vdso], [vsyscall]: made by exec itself, never by a statement. */
  | 'kernel'
  | 'stack'
  | 'heap'
  /** A file mapping (private or shared) of a file that can be opened at its path. */
  | 'file'
  /** Shared anonymous memory: MAP_SHARED|MAP_ANONYMOUS, SysV shm, memfd (shmem). */
  | 'shmem'
  /** Private anonymous memory, or a file mapping that cannot be remade (deleted file, a blank in the path). */
  | 'anon';

export const KERNEL_MAPPINGS = ['[vvar]', '[vvar_vclock]', '[vdso]', '[vsyscall]', '[uprobes]'];

/** The kind of a VMA, and for a file the twin cannot map, why it maps anonymous memory instead. */
export function twinKind(v: TwinVma): { kind: TwinVmaKind; substitute?: string } {
  const shared = v.perms[3] === 's';
  if (KERNEL_MAPPINGS.includes(v.path)) return { kind: 'kernel' };
  if (v.path === '[stack]') return { kind: 'stack' };
  if (v.path === '[heap]') return { kind: 'heap' };
  if (v.path === '' || v.path.startsWith('[')) return { kind: shared ? 'shmem' : 'anon' };
  if (shared && (v.path.startsWith('/dev/zero') || v.path.startsWith('/SYSV') || v.path.startsWith('/memfd:') || v.path.startsWith('/dev/shm/'))) return { kind: 'shmem' };
  if (v.path.endsWith(' (deleted)')) return { kind: shared ? 'shmem' : 'anon', substitute: `${v.path}: the file is deleted, so the twin maps anonymous memory instead` };
  if (/[\s#]/.test(v.path)) return { kind: shared ? 'shmem' : 'anon', substitute: `${v.path}: a blank or '#' in the path cannot be written in a scenario, so the twin maps anonymous memory instead` };
  if (!v.path.startsWith('/')) return { kind: shared ? 'shmem' : 'anon', substitute: `${v.path}: not a path, so the twin maps anonymous memory instead` };
  return { kind: 'file' };
}

/**
 * What a page needs: nothing, a load, a store, a store then MADV_PAGEOUT, or a store, MADV_PAGEOUT
 * and a load (Clean: an anonymous page that is clean live, in the swap cache or read where the
 * kernel maps no zero page; the store, pageout and swap-in make it clean on any host).
 */
export const PageAction = { None: 0, Read: 1, Write: 2, Swap: 3, Clean: 4 } as const;
export type PageAction = (typeof PageAction)[keyof typeof PageAction];

/** The statement that makes one page as it is live, for a VMA of this kind. */
export function pageAction(state: number, kind: TwinVmaKind, v: TwinVma): PageAction {
  switch (state) {
    case PageState.NotPresent:
      return PageAction.None;
    case PageState.Swapped:
    case PageState.SwapCache:
      return PageAction.Swap;
    case PageState.ZeroPage:
      return PageAction.Read;
    case PageState.AnonPrivate:
    case PageState.AnonShared:
      return PageAction.Write;
    case PageState.Shmem:
      return v.perms[1] === 'w' ? PageAction.Write : PageAction.Read;
    case PageState.FileDirty:
      // A dirty page-cache page: a store through a shared mapping dirties it as the kernel does.
      return kind !== 'file' || (v.perms[3] === 's' && v.perms[1] === 'w') ? PageAction.Write : PageAction.Read;
    default:
      return kind === 'file' || kind === 'shmem' ? PageAction.Read : PageAction.Write;
  }
}

/**
 * The action of every page of `v`. pagemap and kpageflags cannot tell a clean anonymous or shmem
 * page from a dirty one (smaps looks at the PTE's dirty bit), so the VMA's live clean total says
 * how many are clean: the last ones of the VMA are made clean, the others stored to.
 */
export function pageActions(v: TwinVma, kind: TwinVmaKind): Uint8Array {
  const states = v.states ?? new Uint8Array(0);
  const actions = new Uint8Array(states.length);
  for (let p = 0; p < states.length; p++) actions[p] = pageAction(states[p]!, kind, v);
  if (kind === 'file' || kind === 'kernel' || !v.fields) return actions;
  let clean = Math.floor(((v.fields['Private_Clean'] ?? 0) + (v.fields['Shared_Clean'] ?? 0)) / 4);
  for (let p = states.length - 1; p >= 0 && clean > 0; p--) {
    const s = states[p]!;
    if (s === PageState.Shmem) actions[p] = PageAction.Read;
    else if (s === PageState.AnonPrivate || s === PageState.AnonShared) actions[p] = PageAction.Clean;
    else continue;
    clean--;
  }
  return actions;
}

/** Runs of equal values in `values` (start page, page count, value), skipping `skip`. */
export function runsOf(count: number, valueAt: (page: number) => number, skip = 0): [number, number, number][] {
  const runs: [number, number, number][] = [];
  let page = 0;
  while (page < count) {
    const value = valueAt(page);
    let end = page + 1;
    while (end < count && valueAt(end) === value) end++;
    if (value !== skip) runs.push([page, end - page, value]);
    page = end;
  }
  return runs;
}

/** The largest byte (no spread: a VMA may have millions of pages). */
export function maxByte(a: Uint8Array): number {
  let m = 0;
  for (const x of a) if (x > m) m = x;
  return m;
}
