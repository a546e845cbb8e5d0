import { PT_GNU_RELRO, PT_LOAD, PT_TLS } from '../../elf/names';
import type { MmStruct } from '../../mm/mm-struct';
import { PROT_READ, PROT_WRITE } from '../../mm/vm-flags';
import { pageAlign } from '../../mm/vma';
import type { ExecResult } from '../binfmt-elf';
import type { ExecTouch } from '../elf-map';
import type { FileSystem } from '../file-system';
import { mapObjectDeps } from './dl-deps';
import { constructorHeapSize, growHeap } from './dl-init';
import { mallocInterposer } from './dl-lookup';
import { initOrder } from './dl-sort-maps';
import { dynamicInfo, relocationSymbols, uniqueDefinitions } from './dl-dynamic-info';
import { originOf } from './dl-dst';
import { stackFlags } from './dl-execstack';
import { DEFAULT_ISA_LEVEL, importantHwcaps, type IsaLevel, type LegacyHwcaps } from './dl-hwcaps';
import { unloadCache, type RtldState } from './dl-load';
import { MinimalMalloc } from './dl-minimal-malloc';
import { mmapAnon } from './dl-mman';
import { newObject, type LinkMap } from './dl-object';
import { protectRelro, relocationPages } from './dl-protect-relro';
import { initPaths } from './dl-search-path';
import { staticTls, TLS_STATIC_TCB_SIZE } from './dl-tls';
import { RtldError } from './rtld-error';

export interface RtldOptions {
  /** LD_LIBRARY_PATH, as the environment would give it. */
  readonly ldLibraryPath?: string;
  /** Where ld.so reads its cache, inside the simulated root. */
  readonly cachePath?: string;
  /** The working directory relative paths resolve against. */
  readonly cwd?: string;
  /** Whether the filesystem aligns file mappings of 2 MiB and more (thp_get_unmapped_area). */
  readonly fileThpAlign?: boolean;
  /** The CPU's x86-64 ISA level, which picks the glibc-hwcaps subdirectories ld.so searches. */
  readonly isaLevel?: IsaLevel;
  /** The CPU's legacy hwcaps (Intel's platform and avx512_1), which add subdirectories too. */
  readonly legacyHwcaps?: LegacyHwcaps;
}

/** The address space at the program's entry point, and how it came to be. */
export interface RtldResult {
  readonly mm: MmStruct;
  /** The executable's link map. */
  readonly main: LinkMap;
  /** ld.so's own link map. */
  readonly interpreter: LinkMap;
  /** The global search list: the executable, then its dependencies breadth-first (ld.so included). */
  readonly searchList: readonly LinkMap[];
  /** The namespace's link-map chain (r_debug order): executable, libraries in load order, ld.so after its predecessor. */
  readonly chain: readonly LinkMap[];
  /** Pages ld.so writes before the program runs (bss memsets, relocations, its own allocations), in order. */
  readonly touches: readonly ExecTouch[];
  /** The anonymous areas ld.so's allocator mapped: [address, length]. */
  readonly mallocAreas: readonly (readonly [bigint, bigint])[];
  /** Whether the libraries' constructors grew the heap before the entry point (libstdc++'s pool, GnuTLS's tables, ...). */
  readonly heapGrown: boolean;
  /** The object whose malloc replaces glibc's (the program, or a library before libc): no glibc heap. */
  readonly mallocInterposer?: string;
}

/** sizeof (struct link_map) + DL_NNS auditstates + search slot + libname for the vDSO's map (setup_vdso). */
const VDSO_LINK_MAP = 1200n + 256n + 24n + 1n;
/** The vDSO's version table: LINUX_2.6 is index 2 (_dl_check_map_versions). */
const VDSO_VERSIONS = 3n;
/** sizeof (struct r_found_version) */
const SIZEOF_FOUND_VERSION = 24n;
/** sizeof (struct unique_sym) and the first table size of do_lookup_unique. */
const SIZEOF_UNIQUE_SYM = 32n;
const UNIQUE_PRIMES = [31n, 61n, 127n, 251n, 509n, 1021n, 2039n, 4093n, 8191n, 16381n, 32749n, 65521n, 131071n];

/**
 * dl_main (elf/rtld.c, glibc 2.36) for a program the kernel has just exec'd:
 * the executable's and the vDSO's link maps, the search paths, the
 * breadth-first dependency walk with every library mapped, the version
 * tables, static TLS, relocation (its unique-symbol table), RELRO, and the
 * cache unmapped — with each of ld.so's stub-malloc calls, so that its
 * anonymous mmaps land where they do. The mm of `exec` is changed in place.
 */
export async function dlMain(fs: FileSystem, exec: ExecResult, options: RtldOptions = {}): Promise<RtldResult> {
  const interp = exec.interpreter;
  if (!interp || exec.interpreterBase === undefined) throw new RtldError(exec.program.file.path, 'has no PT_INTERP: a static program runs without ld.so');
  const mm = exec.mm;
  const touches: ExecTouch[] = [];
  const fileThpAlign = options.fileThpAlign ?? true;
  const rtldEnd = exec.interpreterBase + interp.loads.reduce((max, p) => (p.vaddr + p.memsz > max ? p.vaddr + p.memsz : max), 0n);
  const mman = { mm, fileThpAlign, touches };
  const malloc = new MinimalMalloc(rtldEnd, (length) =>
    mmapAnon(mman, 0n, length, PROT_READ | PROT_WRITE, false, { kind: 'mmap', description: `ld.so: ${length >> 10n} KiB for its own allocations (link maps, search paths, TLS; __minimal_malloc)` }),
  );
  const programInfo = await dynamicInfo(exec.program.elf);
  const main = newObject(malloc, { name: '', libname: '', kind: 'executable', elf: exec.program.elf, file: exec.program.file, identity: exec.program.file.identity, info: programInfo, foundVia: 'executable', cwd: options.cwd ?? '/' });
  main.lAddr = exec.loadBias;
  // setup_vdso: the vDSO gets a link map too (no mapping: the kernel made it).
  malloc.calloc(1n, VDSO_LINK_MAP);
  const interpInfo = await dynamicInfo(interp.elf);
  const interpPath = (await exec.program.elf.interpreter()) ?? interp.file.path;
  const rtld: LinkMap = {
    name: interpPath,
    libnames: [interpPath, ...(interpInfo.soname ? [interpInfo.soname] : [])],
    kind: 'interpreter',
    elf: interp.elf,
    file: interp.file,
    identity: interp.file.identity,
    info: interpInfo,
    foundVia: 'interpreter',
    lAddr: exec.interpreterBase,
    mapStart: exec.interpreterBase,
    mapEnd: pageAlign(rtldEnd),
    origin: originOf(interpPath),
    sonameAdded: true,
    deps: [],
    reserved: false,
    relro: interp.phdrs.find((p) => p.type === PT_GNU_RELRO),
  };
  const mainRelro = exec.program.phdrs.find((p) => p.type === PT_GNU_RELRO);
  if (mainRelro) main.relro = mainRelro;
  const loads = exec.program.phdrs.filter((p) => p.type === PT_LOAD);
  main.mapStart = exec.loadBias + (loads[0]?.vaddr ?? 0n) - ((loads[0]?.vaddr ?? 0n) & 0xfffn);
  main.mapEnd = pageAlign(exec.loadBias + loads.reduce((max, p) => (p.vaddr + p.memsz > max ? p.vaddr + p.memsz : max), 0n));
  const mainTls = exec.program.phdrs.find((p) => p.type === PT_TLS && p.memsz > 0n);
  const state: RtldState = {
    ...mman,
    fs,
    malloc,
    allDirs: new Map(),
    executableOrigin: originOf(exec.program.file.path),
    hwcaps: importantHwcaps(options.isaLevel ?? DEFAULT_ISA_LEVEL, options.legacyHwcaps),
    loaded: [main, rtld],
    main,
    cache: { state: 'unread' },
    cachePath: options.cachePath ?? '/etc/ld.so.cache',
    cwd: options.cwd ?? '/',
    nextTlsModid: 1,
    dlopen: false,
    stack: { flags: stackFlags(exec.program.phdrs), end: exec.stackPointer },
  };
  if (mainTls) {
    const align = mainTls.align || 1n;
    main.tls = { blocksize: mainTls.memsz, align, firstbyteOffset: mainTls.vaddr & (align - 1n), modid: state.nextTlsModid++ };
  }

  state.envPath = initPaths(state, main, options.ldLibraryPath);
  const searchList = await mapObjectDeps(state, main, rtld);

  // The chain: load order, with ld.so moved after the object before it in the search list.
  const chain = state.loaded.filter((l) => l !== rtld);
  const at = searchList.indexOf(rtld);
  if (at > 0) chain.splice(chain.indexOf(searchList[at - 1] as LinkMap) + 1, 0, rtld);
  else chain.push(rtld);

  // _dl_check_all_versions: one calloc per object with versions; the vDSO's comes second.
  for (const [i, l] of chain.entries()) {
    if (l.info.versionIndexHigh > 0) malloc.calloc(BigInt(l.info.versionIndexHigh + 1), SIZEOF_FOUND_VERSION);
    if (i === 0) malloc.calloc(VDSO_VERSIONS, SIZEOF_FOUND_VERSION);
  }

  // init_tls: the slotinfo list, the static TLS block with the TCB, the dtv.
  const tls = staticTls(chain);
  const tlsBlocks = tls.allocations.map((size) => malloc.malloc(size));
  // _dl_allocate_tls_storage clears the TCB at the top of the static TLS block.
  const tcb = ((tlsBlocks[1] as bigint) + tls.align - 1n) & ~(tls.align - 1n);
  const tcbPages = [tcb + tls.size - TLS_STATIC_TCB_SIZE, tcb + tls.size - 1n].map((a) => a & ~0xfffn);

  await relocateUniqueSymbols(state, chain);
  // _dl_find_object_init: one 32-byte entry per object that is never unloaded (the vDSO, the
  // libraries, ld.so), and one per PT_LOAD for a kernel-loaded image with gaps (l_contiguous 0).
  let nodelete = contiguous(main) ? 0 : loadCount(main);
  nodelete += 1;
  for (const l of chain) if (l !== main) nodelete += l === rtld && !contiguous(rtld) ? loadCount(rtld) : 1;
  malloc.malloc(32n * BigInt(nodelete));

  // _dl_relocate_object in reverse chain order (ld.so relocated itself first), each ending with _dl_protect_relro.
  for (const page of relocationPages(rtld)) touches.push({ address: page, why: 'ld.so relocates itself (_dl_start)' });
  for (const l of [...chain].reverse()) {
    if (l === rtld) continue;
    for (const page of relocationPages(l)) touches.push({ address: page, why: `ld.so relocates ${l.name || exec.program.file.path} (GOT, .data.rel.ro and data, before RELRO)` });
    protectRelro(state, l);
  }
  protectRelro(state, rtld);
  unloadCache(state);
  // The stub malloc's memory is fresh (calloc does not clear it): a block's first page is written, and the TCB.
  const written = new Set<bigint>(tcbPages);
  for (const [address] of malloc.blocks) written.add(address & ~0xfffn);
  for (const [start, length] of malloc.areas) {
    for (let p = start; p < start + length; p += 0x1000n) if (written.has(p)) touches.push({ address: p, why: 'ld.so writes its own data here (link maps, search paths, the TLS block and TCB)' });
  }

  // _dl_init: some libraries' constructors malloc, which sbrk()s the heap (once or more).
  // A program (or a library before libc) that defines malloc serves the constructors itself: no glibc heap.
  const interposer = await mallocInterposer(searchList);
  const heapSize = interposer ? undefined : constructorHeapSize(initOrder(searchList));
  const heapGrown = heapSize !== undefined && growHeap(mm, heapSize);
  return { mm, main, interpreter: rtld, searchList, chain, touches, mallocAreas: malloc.areas, heapGrown, ...(interposer ? { mallocInterposer: interposer.name || exec.program.file.path } : {}) };
}

const loadsOf = (l: LinkMap) => l.elf.programHeaders.filter((p) => p.type === PT_LOAD);
const loadCount = (l: LinkMap) => loadsOf(l).length;

/** l_contiguous as rtld.c sets it for the kernel-loaded images: each PT_LOAD starts on the page after the previous one's end. */
function contiguous(l: LinkMap): boolean {
  let expected = 0n;
  for (const p of loadsOf(l)) {
    const mapstart = l.lAddr + (p.vaddr & ~0xfffn);
    if (expected !== 0n && expected !== mapstart) return false;
    expected = pageAlign(l.lAddr + p.vaddr + p.memsz);
  }
  return true;
}

/**
 * The unique-symbol table of do_lookup_unique (elf/dl-lookup.c): each
 * STB_GNU_UNIQUE definition a relocation resolves to is entered once, and
 * the table (31, 61, 127... entries of 32 bytes) is reallocated when 3/4 full.
 */
async function relocateUniqueSymbols(state: RtldState, chain: readonly LinkMap[]): Promise<void> {
  const unique = new Set<string>();
  for (const l of chain) for (const name of await uniqueDefinitions(l.elf)) unique.add(name);
  if (unique.size === 0) return;
  const entered = new Set<string>();
  let size = 0n;
  for (const l of [...chain].reverse()) {
    if (l.kind === 'interpreter') continue;
    for (const name of await relocationSymbols(l.elf)) {
      if (!unique.has(name) || entered.has(name)) continue;
      if (size === 0n) {
        size = UNIQUE_PRIMES[0] as bigint;
        state.malloc.calloc(size, SIZEOF_UNIQUE_SYM);
      } else if (size * 3n <= BigInt(entered.size) * 4n) {
        size = UNIQUE_PRIMES.find((p) => p >= size + 1n) ?? size * 2n + 1n;
        state.malloc.calloc(size, SIZEOF_UNIQUE_SYM);
      }
      entered.add(name);
    }
  }
}
