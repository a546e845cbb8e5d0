import type { ElfFile } from '../../elf/elf-file';
import type { FileIdentity } from '../../elf/file-access';
import type { ProgramHeader } from '../../elf/program-headers';
import type { MappedFile } from '../../mm/vma';
import type { DynamicInfo } from './dl-dynamic-info';
import { originOf } from './dl-dst';
import type { MinimalMalloc } from './dl-minimal-malloc';
import type { SearchDir } from './dl-search-path';

/** sizeof (struct link_map) in glibc 2.36 on x86-64. */
export const SIZEOF_LINK_MAP = 1200n;
/** sizeof (struct auditstate). */
const SIZEOF_AUDITSTATE = 16n;
/** DL_NNS: audit slots reserved for the executable's and the vDSO's maps. */
const DL_NNS = 16n;
/** sizeof (struct link_map *) + sizeof (struct libname_list). */
const SEARCHLIST_AND_LIBNAME = 8n + 16n;
/** sizeof (struct libname_list) as add_name_to_object allocates it. */
const SIZEOF_LIBNAME_LIST = 24n;

/** How ld.so found an object (the LD_DEBUG=libs "search path=... (WHAT)" source). */
export type FoundVia = 'executable' | 'interpreter' | 'path' | 'RPATH' | 'LD_LIBRARY_PATH' | 'RUNPATH' | 'cache' | 'default';

/** A PT_TLS block as _dl_map_object_from_fd records it. */
export interface TlsBlock {
  readonly blocksize: bigint;
  readonly align: bigint;
  /** l_tls_firstbyte_offset: p_vaddr % p_align. */
  readonly firstbyteOffset: bigint;
  modid: number;
  offset?: bigint;
}

/** struct link_map, reduced to what the layout depends on and what the ELF view shows. */
export interface LinkMap {
  /** l_name: the path the object was opened by ("" for the executable). */
  name: string;
  /** l_libname: the names it answers to (DT_NEEDED spellings, its SONAME once matched). */
  readonly libnames: string[];
  readonly kind: 'executable' | 'interpreter' | 'library';
  readonly elf: ElfFile;
  /** The file as /proc/PID/maps prints it. */
  readonly file: MappedFile;
  readonly identity: FileIdentity;
  readonly info: DynamicInfo;
  readonly foundVia: FoundVia;
  /** Where: the search directory (with its trailing '/'), the cache file, or the path as given. */
  readonly foundIn?: string;
  /** l_loader: the object whose dependency this was. */
  readonly loader?: LinkMap;
  /** l_addr */
  lAddr: bigint;
  /** [l_map_start, l_map_end) */
  mapStart: bigint;
  mapEnd: bigint;
  /** l_origin: the directory for $ORIGIN (undefined until needed for the executable). */
  origin?: string;
  /** l_rpath_dirs / l_runpath_dirs after cache_rpath: null means "none". */
  rpathDirs?: SearchDir[] | null;
  runpathDirs?: SearchDir[] | null;
  sonameAdded: boolean;
  tls?: TlsBlock;
  relro?: ProgramHeader;
  /** The objects its DT_NEEDED entries resolved to, in order. */
  readonly deps: LinkMap[];
  /** l_reserved: already in the dependency list being built. */
  reserved: boolean;
}

/**
 * _dl_new_object (elf/dl-object.c): the calloc of the link map with its
 * search-list slot and first libname, then the copy of the real name's
 * directory as l_origin.
 */
export function newObject(
  malloc: MinimalMalloc,
  fields: Omit<LinkMap, 'libnames' | 'origin' | 'sonameAdded' | 'deps' | 'reserved' | 'lAddr' | 'mapStart' | 'mapEnd'> & { libname: string; cwd: string },
): LinkMap {
  const openExec = fields.kind === 'executable';
  const audit = openExec ? DL_NNS * SIZEOF_AUDITSTATE : 0n;
  const libname = openExec ? '' : fields.libname;
  malloc.calloc(1n, SIZEOF_LINK_MAP + audit + SEARCHLIST_AND_LIBNAME + BigInt(byteLength(libname) + 1));
  let origin: string | undefined;
  const realname = fields.name;
  if (realname !== '' && !openExec) {
    if (realname.startsWith('/')) {
      malloc.malloc(BigInt(byteLength(realname) + 1));
      origin = originOf(realname);
    } else {
      // A relative real name: realloc (NULL, len + 128) for __getcwd, then the directory appended.
      malloc.malloc(BigInt(byteLength(realname) + 1 + 128));
      origin = originOf(`${fields.cwd}/${realname}`);
    }
  }
  const { libname: _omitLibname, cwd: _omitCwd, ...rest } = fields;
  void _omitLibname;
  void _omitCwd;
  return { ...rest, libnames: [libname], origin, sonameAdded: false, deps: [], reserved: false, lAddr: 0n, mapStart: 0n, mapEnd: 0n };
}

/** add_name_to_object: another spelling the object answers to. */
export function addNameToObject(malloc: MinimalMalloc, l: LinkMap, name: string): void {
  if (l.libnames.includes(name)) return;
  malloc.malloc(SIZEOF_LIBNAME_LIST + BigInt(byteLength(name) + 1));
  l.libnames.push(name);
}

/** _dl_name_match_p: the name is the object's l_name or one of its libnames. */
export function nameMatches(name: string, l: LinkMap): boolean {
  return l.name === name || l.libnames.includes(name);
}

export function byteLength(s: string): number {
  return new TextEncoder().encode(s).length;
}
