import { ElfError } from '../../elf/errors';
import { ElfFile } from '../../elf/elf-file';
import { ET_DYN, ET_EXEC } from '../../elf/header';
import { PT_DYNAMIC, PT_GNU_RELRO, PT_LOAD, PT_PHDR, PT_TLS } from '../../elf/names';
import { PAGE_SIZE } from '../../mm/vma';
import { ExecError } from '../exec-error';
import type { FileSystem, OpenedFile } from '../file-system';
import { rtldWordsFor } from '../open-refusal';
import { cacheLookup, parseLdSoCache, type LdSoCache } from './dl-cache';
import { DF_1_NODEFLIB, dynamicInfo } from './dl-dynamic-info';
import { loadCommand, mapSegments, type LoadCommand } from './dl-map-segments';
import { makeStackExecutableIfNeeded, stackFlags, type StackState } from './dl-execstack';
import { mmapFile, munmap, type MmanContext } from './dl-mman';
import { addNameToObject, byteLength, nameMatches, newObject, type FoundVia, type LinkMap } from './dl-object';
import { cacheRpath, expandDynamicStringToken, type PathContext, type SearchDir } from './dl-search-path';
import { RtldError } from './rtld-error';

const DF_1_PIE = 0x08000000n;
const ELFCLASS64 = 2;
const ELFDATA2LSB = 1;
const EM_X86_64 = 62;
const ELFOSABI_SYSV = 0;
const ELFOSABI_GNU = 3;
const MAX_CACHE_SIZE = 256 << 20;

/** The loader's state for one namespace: what is loaded, the search paths, the cache. */
export interface RtldState extends PathContext, MmanContext {
  readonly fs: FileSystem;
  /** Every object of the namespace, executable first, in load order (ld.so included). */
  readonly loaded: LinkMap[];
  readonly main: LinkMap;
  envPath?: SearchDir[];
  /** /etc/ld.so.cache: not read yet, mapped (with its address), or unusable. */
  cache: { state: 'unread' } | { state: 'mapped'; cache: LdSoCache; start: bigint; length: bigint } | { state: 'none' };
  readonly cachePath: string;
  readonly cwd: string;
  nextTlsModid: number;
  /** Set while dlopen runs: executables and PIEs are refused. */
  readonly dlopen: boolean;
  /** The initial thread's stack, when the process has one to make executable. */
  readonly stack?: StackState;
}

type Verified = { kind: 'ok'; opened: OpenedFile; elf: ElfFile } | { kind: 'skip'; otherClass: boolean };

async function tryOpen(fs: FileSystem, path: string): Promise<OpenedFile | undefined> {
  try {
    return await fs.open(path);
  } catch (error) {
    const words = rtldWordsFor(error);
    if (words) throw new RtldError(path, words);
    return undefined;
  }
}

/** open_verify (elf/dl-load.c): wrong class or machine skips the file; other defects are fatal. */
export async function openVerify(fs: FileSystem, path: string): Promise<Verified> {
  const opened = await tryOpen(fs, path);
  if (!opened) return { kind: 'skip', otherClass: false };
  const fail = (reason: string) => new RtldError(path, reason);
  if (opened.access.size < 64) throw fail('file too short');
  const e = await opened.access.read(0, 64);
  if (e[0] !== 0x7f || e[1] !== 0x45 || e[2] !== 0x4c || e[3] !== 0x46) throw fail('invalid ELF header');
  const view = new DataView(e.buffer, e.byteOffset, e.byteLength);
  const machineMatches = view.getUint16(18, true) === EM_X86_64;
  const padZero = e.subarray(9, 16).every((b) => b === 0);
  const identValid = e[4] === ELFCLASS64 && e[5] === ELFDATA2LSB && e[6] === 1 && (e[7] === ELFOSABI_SYSV || e[7] === ELFOSABI_GNU) && e[8] === 0 && padZero;
  if (!identValid) {
    // The checks of the "something is wrong" branch, in glibc's order: a wrong class or machine is skipped.
    if (e[4] !== ELFCLASS64) return { kind: 'skip', otherClass: true };
    if (!machineMatches) return { kind: 'skip', otherClass: false };
    if (e[5] !== ELFDATA2LSB) throw fail('ELF file data encoding not little-endian');
    if (e[6] !== 1) throw fail('ELF file version ident does not match current one');
    if (e[7] !== ELFOSABI_SYSV && e[7] !== ELFOSABI_GNU) throw fail('ELF file OS ABI invalid');
    if (e[8] !== 0) throw fail('ELF file ABI version invalid');
    throw fail('nonzero padding in e_ident');
  }
  if (view.getUint32(20, true) !== 1) throw fail('ELF file version does not match current one');
  if (!machineMatches) return { kind: 'skip', otherClass: false };
  const type = view.getUint16(16, true);
  if (type !== ET_DYN && type !== ET_EXEC) throw fail('only ET_DYN and ET_EXEC can be loaded');
  if (view.getUint16(54, true) !== 56) throw fail("ELF file's phentsize not the expected size");
  try {
    return { kind: 'ok', opened, elf: await ElfFile.open(opened.access) };
  } catch (error) {
    // ld.so's own words: the detail (which table runs past the end) is not part of its message.
    if (error instanceof ElfError) throw fail('cannot read file data');
    throw error;
  }
}

interface Found {
  readonly opened: OpenedFile;
  readonly elf: ElfFile;
  readonly realname: string;
  readonly block: bigint;
  readonly via: FoundVia;
  readonly foundIn: string;
}

/** open_path: each directory with each capability subdirectory, in order. */
async function openPath(state: RtldState, name: string, dirs: readonly SearchDir[], via: FoundVia, searched: string[], other: { found: boolean }): Promise<Found | undefined> {
  for (const dir of dirs) {
    searched.push(dir.dirname.length > 1 ? dir.dirname.slice(0, -1) : dir.dirname);
    for (const sub of state.hwcaps.subdirs) {
      const path = `${dir.dirname}${sub}${name}`;
      const verified = await openVerify(state.fs, path);
      if (verified.kind === 'skip') {
        other.found ||= verified.otherClass;
        continue;
      }
      const block = state.malloc.malloc(BigInt(byteLength(path) + 1));
      return { opened: verified.opened, elf: verified.elf, realname: path, block, via, foundIn: dir.dirname };
    }
  }
  return undefined;
}

/** _dl_load_cache_lookup: maps the cache on first use; an unusable cache is unmapped and ignored. */
async function loadCacheLookup(state: RtldState, name: string): Promise<string | undefined> {
  if (state.cache.state === 'unread') {
    state.cache = { state: 'none' };
    const opened = await tryOpen(state.fs, state.cachePath);
    // A cache larger than any real one is not read (glibc would map it; the simulator would have to hold it).
    if (opened && opened.access.size > 0 && opened.access.size <= MAX_CACHE_SIZE) {
      const length = BigInt(opened.access.size);
      const start = mmapFile(state, { path: opened.path, identity: (await opened.access.identity()) ?? { major: 0, minor: 0, inode: 0 } }, 0n, length, 1, false, 0n, { kind: 'mmap', description: `ld.so: ${state.cachePath} mapped for the library search (_dl_load_cache_lookup), unmapped before the program runs` });
      const cache = parseLdSoCache(await opened.access.read(0, opened.access.size));
      if (cache) state.cache = { state: 'mapped', cache, start, length };
      else munmap(state, start, length);
    }
  }
  return state.cache.state === 'mapped' ? cacheLookup(state.cache.cache, name) : undefined;
}

/** _dl_unload_cache */
export function unloadCache(state: RtldState): void {
  if (state.cache.state === 'mapped') munmap(state, state.cache.start, state.cache.length);
  state.cache = { state: 'none' };
}

/**
 * _dl_map_object (elf/dl-load.c): an object already loaded under this name
 * or SONAME, else the search — a name with '/' as a path; otherwise the
 * RPATHs of the loader chain and the executable (unless the loader has a
 * RUNPATH), LD_LIBRARY_PATH, the loader's RUNPATH, ld.so.cache, and the
 * system directories — then _dl_map_object_from_fd.
 */
export async function mapObject(state: RtldState, loader: LinkMap, name: string): Promise<LinkMap> {
  for (const l of state.loaded) {
    if (nameMatches(name, l)) return l;
    if (l.sonameAdded || l.info.soname === undefined || l.info.soname !== name) continue;
    addNameToObject(state.malloc, l, l.info.soname);
    l.sonameAdded = true;
    return l;
  }
  const searched: string[] = [];
  const other = { found: false };
  let found: Found | undefined;
  if (name.includes('/')) {
    const expanded = expandDynamicStringToken(state, loader, name);
    if (expanded.text !== undefined) {
      const verified = await openVerify(state.fs, expanded.text);
      if (verified.kind === 'ok') found = { opened: verified.opened, elf: verified.elf, realname: expanded.text, block: expanded.block, via: 'path', foundIn: expanded.text };
      else {
        other.found ||= verified.otherClass;
        state.malloc.free(expanded.block);
      }
    }
  } else {
    const nameLen = byteLength(name);
    if (nameLen > 4096) throw new RtldError(name, 'cannot open shared object file: File name too long');
    if (loader.info.runpath === undefined) {
      let didMain = false;
      for (let l: LinkMap | undefined = loader; l && !found; l = l.loader) {
        const dirs = cacheRpath(state, l, 'RPATH');
        if (!dirs) continue;
        found = await openPath(state, name, dirs, 'RPATH', searched, other);
        didMain ||= l === state.main;
      }
      if (!found && !didMain) {
        const dirs = cacheRpath(state, state.main, 'RPATH');
        if (dirs) found = await openPath(state, name, dirs, 'RPATH', searched, other);
      }
    }
    if (!found && state.envPath) found = await openPath(state, name, state.envPath, 'LD_LIBRARY_PATH', searched, other);
    if (!found) {
      const dirs = cacheRpath(state, loader, 'RUNPATH');
      if (dirs) found = await openPath(state, name, dirs, 'RUNPATH', searched, other);
    }
    const nodeflib = (loader.info.flags1 & DF_1_NODEFLIB) !== 0n;
    if (!found) {
      let cached = await loadCacheLookup(state, name);
      if (state.cache.state === 'mapped') searched.push(state.cachePath);
      if (cached !== undefined && nodeflib && /^\/(usr\/)?lib(\/x86_64-linux-gnu)?\/[^/]+$/.test(cached)) cached = undefined;
      if (cached !== undefined) {
        const block = state.malloc.malloc(BigInt(byteLength(cached) + 1));
        const verified = await openVerify(state.fs, cached);
        if (verified.kind === 'ok') found = { opened: verified.opened, elf: verified.elf, realname: cached, block, via: 'cache', foundIn: state.cachePath };
        else {
          other.found ||= verified.otherClass;
          state.malloc.free(block);
        }
      }
    }
    if (!found && !nodeflib) {
      const system = [...state.allDirs.values()].filter((d) => d.what === 'system search path');
      found = await openPath(state, name, system, 'default', searched, other);
    }
  }
  if (!found) {
    if (other.found) throw new RtldError(name, 'wrong ELF class: ELFCLASS32', searched);
    throw new RtldError(name, 'cannot open shared object file: No such file or directory', searched);
  }
  return mapObjectFromFd(state, name, found, loader);
}

/**
 * _dl_map_object_from_fd: the same file already loaded (by dev/inode) is
 * reused; otherwise the link map is created, the program headers read,
 * the segments mapped and the object entered in the namespace.
 */
async function mapObjectFromFd(state: RtldState, name: string, found: Found, loader: LinkMap): Promise<LinkMap> {
  const identity = (await found.opened.access.identity()) ?? { major: 0, minor: 0, inode: 0 };
  for (const l of state.loaded) {
    if (l.identity.inode !== 0 && l.identity.inode === identity.inode && l.identity.major === identity.major && l.identity.minor === identity.minor) {
      state.malloc.free(found.block);
      return l;
    }
  }
  const elf = found.elf;
  // _dl_map_object_from_fd reports under the name asked for (the DT_NEEDED string).
  const fail = (reason: string) => new RtldError(name, reason);
  const info = await dynamicInfo(elf).catch((error: unknown) => {
    throw fail(`cannot read file data: ${error instanceof Error ? error.message : String(error)}`);
  });
  const l = newObject(state.malloc, { name: found.realname, libname: name, kind: 'library', elf, file: { path: found.opened.path, identity }, identity, info, foundVia: found.via, foundIn: found.foundIn, loader, cwd: state.cwd });
  const loadcmds: LoadCommand[] = [];
  let hasHoles = false;
  let hasDynamic = false;
  let alignMax = 0n;
  for (const p of elf.programHeaders) {
    if (p.type === PT_DYNAMIC) hasDynamic = p.filesz > 0n;
    else if (p.type === PT_LOAD) {
      if ((p.vaddr - p.offset) % PAGE_SIZE !== 0n) throw fail('ELF load command address/offset not page-aligned');
      const c = loadCommand(p);
      if (p.align > alignMax && (p.align & (p.align - 1n)) === 0n) alignMax = p.align;
      const prev = loadcmds[loadcmds.length - 1];
      if (prev && prev.mapend !== c.mapstart) hasHoles = true;
      loadcmds.push(c);
    } else if (p.type === PT_TLS && p.memsz > 0n) {
      const align = p.align || 1n;
      l.tls = { blocksize: p.memsz, align, firstbyteOffset: p.vaddr & (align - 1n), modid: 0 };
    } else if (p.type === PT_GNU_RELRO) {
      l.relro = p;
    }
  }
  if (loadcmds.length === 0) throw fail('object file has no loadable segments');
  for (const c of loadcmds) c.mapalign = alignMax;
  if (elf.header.type !== ET_DYN) throw fail('cannot dynamically load executable');
  if (!hasDynamic) throw fail('object file has no dynamic section');
  const first = loadcmds[0] as LoadCommand;
  const last = loadcmds[loadcmds.length - 1] as LoadCommand;
  if (hasHoles && last.mapstart < first.mapend) throw fail('ELF load command address/offset not page-aligned');
  const maplength = last.allocend - first.mapstart;
  let mapped;
  try {
    mapped = mapSegments(state, l.file, name, ET_DYN, loadcmds, maplength, hasHoles);
  } catch (error) {
    // DL_MAP_SEGMENTS_ERROR_MAP_SEGMENT: an mmap failed (no room, or a segment beyond TASK_SIZE).
    if (error instanceof ExecError || error instanceof RtldError) throw fail('failed to map segment from shared object');
    throw error;
  }
  l.lAddr = mapped.lAddr;
  l.mapStart = mapped.mapStart;
  l.mapEnd = mapped.mapEnd;
  if (info.flags1 & DF_1_PIE) throw fail('cannot dynamically load position-independent executable');
  if (state.stack) makeStackExecutableIfNeeded(state, state.stack, stackFlags(elf.programHeaders));
  // l_phdr: from PT_PHDR or the first segment covering the table; otherwise a malloc'd copy.
  const h = elf.header;
  const phdrSize = BigInt(h.phnumRaw * 56);
  const covered = elf.programHeaders.some((p) => p.type === PT_PHDR) || loadcmds.some((c) => c.mapoff <= h.phoff && c.mapend - c.mapstart + c.mapoff >= h.phoff + phdrSize);
  if (!covered) state.malloc.malloc(phdrSize);
  if (l.tls) l.tls.modid = state.nextTlsModid++;
  state.loaded.push(l);
  return l;
}
