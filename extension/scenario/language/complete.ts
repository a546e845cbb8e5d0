// What to offer at a position of a scenario: statement keywords (as snippets), process and
// region names defined above, targets, perms, advice, smaps fields, show kinds and settings.
// Pure (no `vscode`) so that it is unit-tested; completion-provider.ts turns it into items.
import { ASLR_VALUES, ERRNO_NAMES, KILL_SIGNALS, MADVISE_ADVICE, SETTINGS, SHOW_WHATS, SMAPS_FIELDS, STATUS_FIELDS } from '../../../simulator/scenario/ast';
import { lexLine } from '../../../simulator/scenario/lexer';
import { processNames, regionNames, scanDefinitions } from './scenario-symbols';
import { completeToy6At, isToy6Lines } from './toy6-complete';

export type EntryKind = 'keyword' | 'snippet' | 'process' | 'region' | 'target' | 'value' | 'field' | 'perms';

export interface CompletionEntry {
  readonly label: string;
  readonly kind: EntryKind;
  /** A snippet (`${1:P}` placeholders) when `snippet` is set, else plain text; the label if absent. */
  readonly insertText?: string;
  readonly snippet?: boolean;
  readonly detail?: string;
  readonly documentation?: string;
}

export interface CompletionResult {
  readonly entries: CompletionEntry[];
  /** 0-based character where the word being completed starts (the range to replace ends at the cursor). */
  readonly wordStart: number;
  /** Set when a file path is wanted: the text typed so far (relative to the scenario's folder). */
  readonly path?: string;
}

const SNIPPETS: readonly CompletionEntry[] = [
  { label: 'exec', kind: 'snippet', insertText: '${1:P} = exec ${2:hello/hello}', snippet: true, detail: 'P = exec PATH [ARGS...]', documentation: 'A new process from an ELF file; PATH is relative to the scenario file.' },
  { label: 'fork', kind: 'snippet', insertText: '${1:Q} = fork ${2:P}', snippet: true, detail: 'Q = fork P', documentation: 'fork(2): Q starts with a copy of P\'s address space; private pages are shared copy-on-write.' },
  { label: 'thread', kind: 'snippet', insertText: '${1:T} = thread ${2:P}', snippet: true, detail: 'T = thread P [STACKSIZE]', documentation: 'pthread_create of a detached thread in P: a stack of STACKSIZE (default RLIMIT_STACK) above a guard page. T stands for P in later statements; `stack` with T is the thread\'s stack; `exit T` ends the thread.' },
  { label: 'mmap anon', kind: 'snippet', insertText: '${1:A} = mmap ${2:P} ${3:64K} ${4|rw-,r--,r-x,---|} ${5|private,shared|} anon', snippet: true, detail: 'R = mmap P SIZE PERMS private|shared anon', documentation: 'An anonymous mapping; Linux picks the address (top-down).' },
  { label: 'mmap file', kind: 'snippet', insertText: '${1:F} = mmap ${2:P} ${3:64K} ${4|r--,rw-,r-x|} ${5|private,shared|} file ${6:data/notes.txt}', snippet: true, detail: 'R = mmap P SIZE PERMS private|shared file PATH [offset OFF]', documentation: 'A file mapping; PATH is relative to the scenario file.' },
  { label: 'set', kind: 'keyword', insertText: 'set ${1|aslr,seed,ram,swap|} ${2}', snippet: true, detail: 'set aslr|seed|ram|swap VALUE', documentation: 'A setting of the simulated machine.' },
  { label: 'dlopen', kind: 'keyword', insertText: 'dlopen ${1:P} ${2:libm.so.6}', snippet: true, detail: 'dlopen P PATH', documentation: 'dlopen(3) in a running process: a library name searched as ld.so searches, or a path relative to the scenario.' },
  { label: 'exit', kind: 'keyword', insertText: 'exit ${1:P}', snippet: true, detail: 'exit P', documentation: 'The process exits and its memory is released.' },
  { label: 'read', kind: 'keyword', insertText: 'read ${1:P} ${2:A}', snippet: true, detail: 'read P R [OFF [SIZE]]', documentation: 'One load in every page of the range (the whole mapping by default).' },
  { label: 'write', kind: 'keyword', insertText: 'write ${1:P} ${2:A}', snippet: true, detail: 'write P R [OFF [SIZE]]', documentation: 'One store in every page of the range: a pure store, not preceded by a read.' },
  { label: 'exec (access)', kind: 'keyword', insertText: 'exec ${1:P} ${2:A}', snippet: true, detail: 'exec P R [OFF [SIZE]]', documentation: 'One instruction fetch in every page of the range.' },
  { label: 'munmap', kind: 'keyword', insertText: 'munmap ${1:P} ${2:A}', snippet: true, detail: 'munmap P R [OFF SIZE]', documentation: 'munmap(2) of the mapping, or part of it.' },
  { label: 'mprotect', kind: 'keyword', insertText: 'mprotect ${1:P} ${2:A} ${3|r--,rw-,r-x,---|}', snippet: true, detail: 'mprotect P R [OFF SIZE] PERMS', documentation: 'mprotect(2): may split the VMA.' },
  { label: 'madvise', kind: 'keyword', insertText: 'madvise ${1:P} ${2:A} ${3|dontneed,pageout,cold,willneed|}', snippet: true, detail: 'madvise P R [OFF SIZE] ADVICE', documentation: 'madvise(2) with MADV_DONTNEED, MADV_PAGEOUT, MADV_COLD or MADV_WILLNEED.' },
  { label: 'msync', kind: 'keyword', insertText: 'msync ${1:P} ${2:A}', snippet: true, detail: 'msync P R', documentation: 'msync(2): writes dirty shared file pages back.' },
  { label: 'mlock', kind: 'keyword', insertText: 'mlock ${1:P} ${2:A}', snippet: true, detail: 'mlock P R [OFF SIZE]', documentation: 'mlock(2): VM_LOCKED (VmFlags lo, Locked:, VmLck); every page faulted in and kept from reclaim.' },
  { label: 'munlock', kind: 'keyword', insertText: 'munlock ${1:P} ${2:A}', snippet: true, detail: 'munlock P R [OFF SIZE]', documentation: 'munlock(2): the pages may be reclaimed again.' },
  { label: 'mremap', kind: 'keyword', insertText: 'mremap ${1:P} ${2:A} ${3:64K} maymove', snippet: true, detail: 'mremap P R NEWSIZE [maymove]', documentation: 'mremap(2) of the whole mapping R: shrink, grow in place, or move (maymove); R names the result.' },
  { label: 'brk', kind: 'keyword', insertText: 'brk ${1:P} +${2:64K}', snippet: true, detail: 'brk P +SIZE|-SIZE', documentation: 'Grows or shrinks the heap.' },
  { label: 'reclaim', kind: 'keyword', insertText: 'reclaim ${1:1M}', snippet: true, detail: 'reclaim SIZE', documentation: 'Memory pressure: the kernel\'s reclaim frees SIZE of memory.' },
  { label: 'expect', kind: 'keyword', insertText: 'expect ${1:P} ${2:A} ${3:Rss}=${4:0}', snippet: true, detail: 'expect P R FIELD=SIZE...', documentation: 'Asserts smaps fields summed over the VMAs that overlap R, or `expect P killed SIGSEGV`.' },
  { label: 'show', kind: 'keyword', insertText: 'show ${1|smaps,maps,rollup,status,pagetable|} ${2:P}', snippet: true, detail: 'show maps|smaps|rollup|status|pagetable P ...', documentation: 'Prints /proc/P/maps, smaps, smaps_rollup, status, or a page-table walk.' },
];

const ADVICE_DOCS: Record<string, string> = {
  dontneed: 'MADV_DONTNEED: drop the pages; anonymous memory reads back as zeros.',
  pageout: 'MADV_PAGEOUT: reclaim the pages now (swap out anonymous pages only this process maps).',
  cold: 'MADV_COLD: move the pages to the inactive list.',
  willneed: 'MADV_WILLNEED: read the file pages ahead into the page cache.',
  free: 'MADV_FREE: the pages become clean and LazyFree; reclaim drops them without swap I/O unless written again.',
  hugepage: 'MADV_HUGEPAGE: VmFlags hg; in madvise mode faults map 2 MiB transparent huge pages.',
  nohugepage: 'MADV_NOHUGEPAGE: VmFlags nh; no transparent huge pages here.',
  dontfork: 'MADV_DONTFORK: VmFlags dc; fork leaves the mapping out of the child.',
  dofork: 'MADV_DOFORK: clears dc; fork copies the mapping again.',
  random: 'MADV_RANDOM: VmFlags rr; a read fault reads its page alone, no readahead.',
  sequential: 'MADV_SEQUENTIAL: VmFlags sr; a read fault reads ahead from its page.',
  normal: 'MADV_NORMAL: clears rr and sr; read faults read around again.',
};

const SHOW_DOCS: Record<string, string> = {
  maps: '/proc/P/maps',
  smaps: '/proc/P/smaps (every VMA, or those that overlap R)',
  rollup: '/proc/P/smaps_rollup',
  status: 'the Vm* and Rss* lines of /proc/P/status',
  pagetable: 'the four-level page-table walk of the page at R+OFF',
  meminfo: 'the machine\'s /proc/meminfo',
};

const PERMS = ['rw-', 'r--', 'r-x', 'rwx', '-w-', '--x', '---'];
const SETTING_DOCS: Record<string, string> = {
  aslr: 'randomize_va_space: off (0), on (1) or full (2)',
  seed: 'the seed of the random number generator (ASLR)',
  ram: 'physical memory, e.g. 1G',
  swap: 'swap space, e.g. 64M',
  exec: 'where exec leaves a new process: at its first instruction (start) or at the program\'s entry point after ld.so (entry)',
  pkeys: 'whether the CPU has protection keys, so that smaps prints ProtectionKey (by default the host\'s CPU)',
  thp: '/sys/kernel/mm/transparent_hugepage/enabled: always, madvise or never (by default the host\'s, else madvise)',
  overcommit: 'vm.overcommit_memory: 0 heuristic, 1 always, 2 never (strict accounting)',
  overcommit_ratio: 'vm.overcommit_ratio: percent of RAM in CommitLimit (default 50)',
  overcommit_kbytes: 'vm.overcommit_kbytes: CommitLimit\'s RAM part in kB (0: use the ratio)',
  max_map_count: 'vm.max_map_count: the most VMAs a process may have (default 65530)',
  rlimit: 'prlimit of P: as, data, stack or memlock, a size or unlimited',
  oom_score_adj: '/proc/P/oom_score_adj: -1000 (never chosen by the OOM killer) to 1000',
};

const words = (labels: readonly string[], kind: EntryKind, detail?: string, docs?: Record<string, string>): CompletionEntry[] =>
  labels.map((label) => ({ label, kind, ...(detail ? { detail } : {}), ...(docs?.[label] ? { documentation: docs[label] } : {}) }));

/**
 * The completions at (`line`, `character`), both 0-based, of a scenario's lines. Only the text
 * before the cursor on its line and the definitions above the line are read.
 */
export function completeAt(lines: readonly string[], line: number, character: number): CompletionResult {
  // A toy6 scenario (set machine toy6 first) has statements of its own.
  if (isToy6Lines(lines)) return completeToy6At(lines, line, character);
  const before = (lines[line] ?? '').slice(0, character);
  if (before.includes('#')) return { entries: [], wordStart: character };
  const lexed = lexLine(before, line + 1);
  const endsInBlank = before.length === 0 || /\s$/.test(before);
  const tokens = lexed.tokens.map((t) => t.text);
  const typing = endsInBlank ? '' : (tokens.pop() ?? '');
  // In `P=ex` or `Rss=3` only what follows the `=` is being typed.
  const eq = typing.lastIndexOf('=');
  const wordStart = character - (typing.length - eq - 1);
  const definitions = scanDefinitions(lines, line + 1);
  const processes = (): CompletionEntry[] => words(processNames(definitions).reverse(), 'process', 'process');
  const regions = (process: string | undefined, extra: readonly string[] = ['heap', 'stack']): CompletionEntry[] => [
    ...words(regionNames(definitions, process).reverse(), 'region', process ? `region of ${process}` : 'region'),
    ...words(extra, 'target', 'target'),
  ];
  const result = (entries: CompletionEntry[], path?: boolean): CompletionResult => (path ? { entries, wordStart, path: typing } : { entries, wordStart });

  // An assignment: NAME = exec|fork|mmap …
  const assignment = splitAssignment([...tokens, typing.slice(0, eq + 1)]);
  if (assignment) {
    const [keyword, ...rest] = assignment.after;
    if (keyword === undefined) return result(words(['exec', 'fork', 'mmap', 'thread'], 'keyword'));
    if (keyword === 'exec') return rest.length === 0 ? result([], true) : result([]);
    if (keyword === 'fork' || keyword === 'thread') return result(rest.length === 0 ? processes() : []);
    if (keyword === 'mmap') {
      switch (rest.length) {
        case 0: return result(processes());
        case 1: return result(words(['4K', '16K', '64K', '1M'], 'value', 'size'));
        case 2: return result(words(PERMS, 'perms', 'permissions'));
        case 3: return result(words(['private', 'shared'], 'keyword'));
        case 4: return result(words(['anon', 'file'], 'keyword'));
        case 5: return rest[4] === 'file' ? result([], true) : result([]);
        case 6: return rest[4] === 'file' ? result(words(['offset'], 'keyword')) : result([]);
        default: return result([]);
      }
    }
    return result([]);
  }

  if (tokens.length === 0) return result([...SNIPPETS]);
  const [head, ...args] = tokens;
  switch (head) {
    case 'set':
      if (args.length === 0) return result(words(SETTINGS, 'keyword', 'setting', SETTING_DOCS));
      if (args.length === 1 && args[0] === 'aslr') return result(words(ASLR_VALUES, 'value', 'randomize_va_space'));
      if (args.length === 1 && args[0] === 'exec') return result(words(['start', 'entry'], 'value', 'where exec stops'));
      if (args.length === 1 && args[0] === 'pkeys') return result(words(['on', 'off'], 'value', 'protection keys'));
      if (args.length === 1 && args[0] === 'thp') return result(words(['always', 'madvise', 'never'], 'value', 'transparent huge pages'));
      if (args.length === 1 && args[0] === 'overcommit') return result(words(['0', '1', '2'], 'value', 'vm.overcommit_memory'));
      if (args[0] === 'rlimit') return result(args.length === 1 ? processes() : args.length === 2 ? words(['as', 'data', 'stack', 'memlock'], 'value', 'resource') : args.length === 3 ? words(['unlimited', '8M', '1G'], 'value', 'limit') : []);
      if (args[0] === 'oom_score_adj') return result(args.length === 1 ? processes() : args.length === 2 ? words(['-1000', '0', '500', '1000'], 'value', 'oom_score_adj') : []);
      if (args.length === 1 && (args[0] === 'ram' || args[0] === 'swap')) return result(words(args[0] === 'ram' ? ['256M', '1G', '4G'] : ['0', '64M', '1G'], 'value', 'size'));
      return result([]);
    case 'exit':
    case 'brk':
      return result(args.length === 0 ? processes() : []);
    case 'dlopen':
      return args.length === 0 ? result(processes()) : args.length === 1 ? result([], true) : result([]);
    case 'reclaim':
      return result(args.length === 0 ? words(['1M', '16M', '64M'], 'value', 'size') : []);
    case 'read':
    case 'write':
    case 'exec':
    case 'munmap':
    case 'mprotect':
    case 'madvise':
    case 'msync':
    case 'mlock':
    case 'munlock':
      if (args.length === 0) return result(processes());
      if (args.length === 1) return result(regions(args[0]));
      if (head === 'madvise') return result(words(MADVISE_ADVICE, 'value', 'advice', ADVICE_DOCS));
      if (head === 'mprotect') return result(words(PERMS, 'perms', 'permissions'));
      return result([]);
    case 'mremap':
      if (args.length === 0) return result(processes());
      if (args.length === 1) return result(regions(args[0], []));
      if (args.length === 3) return result(words(['maymove'], 'keyword', 'MREMAP_MAYMOVE: move the mapping when it cannot grow in place'));
      return result([]);
    case 'expect': {
      const errnos = () => words(ERRNO_NAMES, 'value', 'errno');
      if (args.length === 0) return result([...processes(), ...words(['failed'], 'keyword', 'expect failed ERRNO: the call before failed')]);
      if (args[0] === 'failed') return result(args.length === 1 ? errnos() : []);
      if (args[1] === 'failed') return result(args.length === 2 ? errnos() : []);
      if (args.length === 1) return result([...regions(args[0]), ...words(['killed'], 'keyword', 'expect P killed SIGSEGV|SIGBUS|SIGKILL'), ...words(['failed'], 'keyword', 'expect R failed ERRNO: the mmap of R failed')]);
      if (args[1] === 'killed') return result(args.length === 2 ? words(KILL_SIGNALS, 'value', 'signal') : []);
      const used = new Set(args.slice(2).map((a) => a.split('=')[0]));
      const fields = (names: readonly string[], source: string): CompletionEntry[] =>
        names.filter((n) => !used.has(n)).map((n) => ({ label: n, kind: 'field', insertText: `${n}=\${1:0}`, snippet: true, detail: source }));
      if (typing.includes('=')) return result([]);
      return result([...fields(SMAPS_FIELDS, 'smaps field, summed over the VMAs that overlap R'), ...fields(STATUS_FIELDS, '/proc/PID/status field of the process')]);
    }
    case 'show':
      if (args.length === 0) return result(words(SHOW_WHATS, 'keyword', 'show', SHOW_DOCS));
      if (args.length === 1) return result(args[0] === 'meminfo' ? [] : processes());
      if (args.length === 2 && (args[0] === 'smaps' || args[0] === 'pagetable')) return result(regions(args[1]));
      return result([]);
    default:
      return result([]);
  }
}

/** The finished words after `NAME =` (with `P=exec` and `P =exec` split as the parser does), or undefined. */
function splitAssignment(done: readonly string[]): { after: string[] } | undefined {
  const m = /^[A-Za-z_][A-Za-z0-9_-]*\s*=\s*(.*)$/.exec(done.join(' ').trim());
  if (!m) return undefined;
  return { after: (m[1] ?? '').split(/\s+/).filter((w) => w !== '') };
}
