import { ET_DYN } from '../../elf/header';
import { PT_GNU_RELRO, PT_LOAD } from '../../elf/names';
import { MmStruct } from '../../mm/mm-struct';
import { PROT_READ } from '../../mm/vm-flags';
import { pageStart, type MappedFile } from '../../mm/vma';
import type { ExecTouch } from '../elf-map';
import type { FileSystem } from '../file-system';
import { mapObjectDeps } from './dl-deps';
import { DEFAULT_ISA_LEVEL, importantHwcaps } from './dl-hwcaps';
import { mapObject, type RtldState } from './dl-load';
import { loadCommand, mapSegments, type LoadCommand } from './dl-map-segments';
import { MinimalMalloc } from './dl-minimal-malloc';
import { mmapFile, munmap, type MmanContext } from './dl-mman';
import type { LinkMap } from './dl-object';
import { relocationPages } from './dl-protect-relro';
import type { RtldOptions, RtldResult } from './rtld';
import { RtldError } from './rtld-error';

/** What dlopen will load: the new objects in load order, found while nothing runs. */
export interface DlopenPlan {
  /** The object dlopen named (possibly one already loaded). */
  readonly target: LinkMap;
  /** Objects not loaded before, in the order _dl_map_object maps them. */
  readonly objects: readonly LinkMap[];
  /** Whether the search looked in ld.so.cache (which is then mapped while dlopen runs). */
  readonly usesCache: boolean;
  /** The cache file, when it exists: mapped read-only during the call, unmapped at its end. */
  readonly cache?: { readonly file: MappedFile; readonly size: bigint };
}

/**
 * The search half of dlopen (elf/dl-open.c dl_open_worker_begin): which files
 * _dl_map_object and _dl_map_object_deps would load for `name` in a process
 * that already has `loaded`. Runs on a scratch address space, so that the
 * mapping itself can happen later, synchronously, in the process's own mm.
 */
export async function planDlopen(fs: FileSystem, process: Pick<RtldResult, 'main' | 'chain'>, name: string, options: RtldOptions = {}): Promise<DlopenPlan> {
  const scratch = new MmStruct({ mmapBase: 0x7ffff7fff000n, taskSize: 0x7ffffffff000n });
  const malloc = new MinimalMalloc(0n, () => 0x10000n);
  const loaded = [...process.chain];
  const before = new Set(loaded);
  const state: RtldState = {
    mm: scratch,
    fileThpAlign: options.fileThpAlign ?? true,
    touches: [],
    fs,
    malloc,
    allDirs: new Map(),
    executableOrigin: process.main.origin ?? '/',
    hwcaps: importantHwcaps(options.isaLevel ?? DEFAULT_ISA_LEVEL, options.legacyHwcaps),
    loaded,
    main: process.main,
    cache: { state: 'unread' },
    cachePath: options.cachePath ?? '/etc/ld.so.cache',
    cwd: options.cwd ?? '/',
    nextTlsModid: 1 + loaded.filter((l) => l.tls).length,
    dlopen: true,
  };
  for (const dir of ['/lib/x86_64-linux-gnu/', '/usr/lib/x86_64-linux-gnu/', '/lib/', '/usr/lib/']) state.allDirs.set(dir, { dirname: dir, what: 'system search path' });
  if (options.ldLibraryPath) state.envPath = options.ldLibraryPath.split(/[:;]/).filter(Boolean).map((d) => ({ dirname: d.endsWith('/') ? d : `${d}/`, what: 'LD_LIBRARY_PATH' }));
  const target = await mapObject(state, process.main, name);
  if (target.kind === 'executable') throw new RtldError(name, 'cannot dynamically load executable');
  await mapObjectDeps(state, target, loaded.find((l) => l.kind === 'interpreter'));
  const objects = loaded.filter((l) => !before.has(l));
  const usesCache = objects.some((l) => l.foundVia === 'cache' || l.foundVia === 'default');
  let cache: DlopenPlan['cache'];
  if (usesCache) {
    try {
      const opened = await fs.open(state.cachePath);
      cache = { file: { path: opened.path, identity: (await opened.access.identity()) ?? { major: 0, minor: 0, inode: 0 } }, size: BigInt(opened.access.size) };
    } catch {
      cache = undefined;
    }
  }
  return { target, objects, usesCache, cache };
}

/** What mapping a dlopen plan did: the objects' new link maps, the pages ld.so writes, and the RELRO ranges to protect afterwards. */
export interface DlopenMapping {
  readonly objects: readonly LinkMap[];
  readonly touches: readonly ExecTouch[];
  /** [start, end) ranges _dl_protect_relro makes read-only once relocation is done. */
  readonly relro: readonly (readonly [bigint, bigint])[];
}

/**
 * The mapping half of dlopen, synchronous: ld.so.cache mapped when the search
 * first reaches it, each new object mapped with _dl_map_segments in load
 * order (top-down, as NULL-hint mmaps go), the cache unmapped at the end
 * (_dl_unload_cache). Relocation writes and RELRO are left to the caller,
 * which owns the page tables.
 */
export function mapDlopenPlan(ctx: MmanContext, plan: DlopenPlan): DlopenMapping {
  const touches: ExecTouch[] = [];
  const local = { ...ctx, touches };
  let cacheAt: bigint | undefined;
  const objects: LinkMap[] = [];
  for (const planned of plan.objects) {
    if (cacheAt === undefined && plan.cache && (planned.foundVia === 'cache' || planned.foundVia === 'default')) {
      cacheAt = mmapFile(local, plan.cache.file, 0n, plan.cache.size, PROT_READ, false, 0n, { kind: 'mmap', description: 'ld.so: /etc/ld.so.cache mapped for the search (dlopen), unmapped before dlopen returns' });
    }
    const loadcmds: LoadCommand[] = planned.elf.programHeaders.filter((p) => p.type === PT_LOAD).map(loadCommand);
    let alignMax = 0n;
    for (const c of loadcmds) if (c.phdr.align > alignMax && (c.phdr.align & (c.phdr.align - 1n)) === 0n) alignMax = c.phdr.align;
    for (const c of loadcmds) c.mapalign = alignMax;
    const hasHoles = loadcmds.some((c, i) => i > 0 && (loadcmds[i - 1] as LoadCommand).mapend !== c.mapstart);
    const first = loadcmds[0] as LoadCommand;
    const last = loadcmds[loadcmds.length - 1] as LoadCommand;
    const mapped = mapSegments(local, planned.file, planned.libnames[0] ?? planned.name, ET_DYN, loadcmds, last.allocend - first.mapstart, hasHoles);
    const l: LinkMap = { ...planned, lAddr: mapped.lAddr, mapStart: mapped.mapStart, mapEnd: mapped.mapEnd, deps: planned.deps };
    objects.push(l);
  }
  if (cacheAt !== undefined && plan.cache) munmap(local, cacheAt, plan.cache.size);
  const relro: [bigint, bigint][] = [];
  for (const l of [...objects].reverse()) {
    for (const page of relocationPages(l)) touches.push({ address: page, why: `dlopen relocates ${l.name} (GOT, .data.rel.ro and data, before RELRO)` });
    const p = l.elf.programHeaders.find((h) => h.type === PT_GNU_RELRO);
    if (p) {
      const start = pageStart(l.lAddr + p.vaddr);
      const end = pageStart(l.lAddr + p.vaddr + p.memsz);
      if (start < end) relro.push([start, end]);
    }
  }
  return { objects, touches, relro };
}
