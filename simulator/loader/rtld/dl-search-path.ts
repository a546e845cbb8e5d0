// Search-path elements as elf/dl-load.c builds them: _dl_init_paths,
// decompose_rpath and fillin_rpath, with the stub-malloc calls they make.
import { dstCount, dstRequired, dstSubstitute } from './dl-dst';
import type { Hwcaps } from './dl-hwcaps';
import { byteLength, type LinkMap } from './dl-object';
import type { MinimalMalloc } from './dl-minimal-malloc';

/** struct r_search_path_elem: a directory (with its trailing '/') and where it came from. */
export interface SearchDir {
  readonly dirname: string;
  readonly what: string;
  readonly where?: string;
}

/** SYSTEM_DIRS of Debian's x86-64 ld.so (`ld.so --help`: "system search path"). */
export const SYSTEM_DIRS = ['/lib/x86_64-linux-gnu/', '/usr/lib/x86_64-linux-gnu/', '/lib/', '/usr/lib/'];

/** sizeof (struct r_search_path_elem) + ncapstr * sizeof (enum r_dir_status). */
const searchElemSize = (ctx: PathContext) => 40n + BigInt(ctx.hwcaps.subdirs.length) * 4n;

/** What the path code needs from the loader: the allocator, known directories, the executable's origin. */
export interface PathContext {
  readonly malloc: MinimalMalloc;
  /** GL(dl_all_dirs): every directory already turned into an element, by dirname. */
  readonly allDirs: Map<string, SearchDir>;
  /** _dl_get_origin for the executable: the directory of /proc/self/exe. */
  readonly executableOrigin: string;
  /** The capability subdirectories searched under each directory (_dl_important_hwcaps). */
  readonly hwcaps: Hwcaps;
}

/** The origin used for DSTs of `l`, computing the executable's lazily as DL_DST_REQUIRED does. */
function originFor(ctx: PathContext, l: LinkMap): string | undefined {
  if (l.origin === undefined && l.kind !== 'library') {
    // _dl_get_origin: malloc (dirname length with its slash + 1).
    const dir = ctx.executableOrigin;
    ctx.malloc.malloc(BigInt(byteLength(dir === '/' ? '/' : `${dir}/`) + 1));
    l.origin = dir;
  }
  return l.origin;
}

/** expand_dynamic_string_token: a malloc'd copy of `s` with DSTs expanded, or undefined. */
export function expandDynamicStringToken(ctx: PathContext, l: LinkMap, s: string): { text?: string; block: bigint } {
  const count = dstCount(s);
  if (count === 0) return { text: s, block: ctx.malloc.malloc(BigInt(byteLength(s) + 1)) };
  const origin = originFor(ctx, l);
  const block = ctx.malloc.malloc(BigInt(dstRequired(s, count, origin, ctx.hwcaps.platform) + 1));
  return { text: dstSubstitute(s, origin, ctx.hwcaps.platform), block };
}

/** fillin_rpath: split, expand, normalise and register each directory of a path list. */
export function fillinRpath(ctx: PathContext, text: string, separators: RegExp, what: string, where: string | undefined, l: LinkMap): SearchDir[] {
  const result: SearchDir[] = [];
  for (const part of text.split(separators)) {
    let dir = '';
    let toFree: bigint | undefined;
    if (part !== '') {
      const expanded = expandDynamicStringToken(ctx, l, part);
      toFree = expanded.block;
      if (expanded.text === undefined) continue;
      dir = expanded.text;
      if (dir.length === 0) {
        ctx.malloc.free(toFree);
        continue;
      }
      while (dir.length > 1 && dir.endsWith('/')) dir = dir.slice(0, -1);
      if (!dir.endsWith('/')) dir += '/';
    }
    const known = ctx.allDirs.get(dir);
    if (known) {
      if (!result.includes(known)) result.push(known);
    } else {
      const whereLen = where !== undefined ? byteLength(where) + 1 : 0;
      ctx.malloc.malloc(searchElemSize(ctx) + BigInt(whereLen + byteLength(dir) + 1));
      const elem: SearchDir = { dirname: dir, what, where };
      ctx.allDirs.set(dir, elem);
      result.push(elem);
    }
    if (toFree !== undefined) ctx.malloc.free(toFree);
  }
  return result;
}

/** decompose_rpath: a DT_RPATH or DT_RUNPATH string into search elements. */
export function decomposeRpath(ctx: PathContext, rpath: string, l: LinkMap, what: string): SearchDir[] | null {
  const copy = ctx.malloc.malloc(BigInt(byteLength(rpath) + 1));
  const nelems = rpath.split(':').length - 1;
  const array = ctx.malloc.malloc(BigInt(nelems + 2) * 8n);
  const dirs = fillinRpath(ctx, rpath, /:/, what, l.name, l);
  ctx.malloc.free(copy);
  if (dirs.length === 0) {
    ctx.malloc.free(array);
    return null;
  }
  return dirs;
}

/** cache_rpath: decompose an object's DT_RPATH or DT_RUNPATH the first time it is searched. */
export function cacheRpath(ctx: PathContext, l: LinkMap, which: 'RPATH' | 'RUNPATH'): SearchDir[] | null {
  const current = which === 'RPATH' ? l.rpathDirs : l.runpathDirs;
  if (current !== undefined) return current;
  const text = which === 'RPATH' ? l.info.rpath : l.info.runpath;
  const dirs = text === undefined ? null : decomposeRpath(ctx, text, l, which);
  if (which === 'RPATH') l.rpathDirs = dirs;
  else l.runpathDirs = dirs;
  return dirs;
}

/**
 * _dl_init_paths: the system directories, the executable's RUNPATH (which
 * disables its RPATH) or RPATH, and LD_LIBRARY_PATH. Returns the
 * LD_LIBRARY_PATH elements (undefined when there are none).
 */
export function initPaths(ctx: PathContext, main: LinkMap, ldLibraryPath: string | undefined): SearchDir[] | undefined {
  for (const size of ctx.hwcaps.allocations) ctx.malloc.malloc(size);
  ctx.malloc.malloc(BigInt(SYSTEM_DIRS.length + 1) * 8n);
  // nsystem_dirs_len * round_size * sizeof (struct r_search_path_elem): round_size is 2, or 3 with x86-64-v4.
  const roundSize = (2n * 40n - 1n + BigInt(ctx.hwcaps.subdirs.length) * 4n) / 40n;
  ctx.malloc.malloc(BigInt(SYSTEM_DIRS.length) * roundSize * 40n);
  for (const dir of SYSTEM_DIRS) ctx.allDirs.set(dir, { dirname: dir, what: 'system search path' });
  if (main.info.runpath !== undefined) {
    main.runpathDirs = decomposeRpath(ctx, main.info.runpath, main, 'RUNPATH');
    main.rpathDirs = null;
  } else {
    main.runpathDirs = null;
    main.rpathDirs = main.info.rpath !== undefined ? decomposeRpath(ctx, main.info.rpath, main, 'RPATH') : null;
  }
  if (ldLibraryPath === undefined || ldLibraryPath === '') return undefined;
  let text = ldLibraryPath;
  const count = dstCount(text);
  if (count) text = dstSubstitute(text, originFor(ctx, main), ctx.hwcaps.platform) ?? '';
  const nllp = text.split(/[:;]/).length;
  const array = ctx.malloc.malloc(BigInt(nllp + 1) * 8n);
  const dirs = fillinRpath(ctx, text, /[:;]/, 'LD_LIBRARY_PATH', undefined, main);
  if (dirs.length === 0) {
    ctx.malloc.free(array);
    return undefined;
  }
  return dirs;
}
