// Reading /etc/ld.so.cache as _dl_load_cache_lookup does (elf/dl-cache.c, glibc 2.36).

const OLD_MAGIC = 'ld.so-1.7.0';
const NEW_MAGIC = 'glibc-ld.so.cache1.1';
/** struct cache_file: magic[11] + padding, nlibs. */
const OLD_HEADER = 16;
/** struct file_entry: flags, key, value. */
const OLD_ENTRY = 12;
/** struct cache_file_new: magic+version[20], nlibs, len_strings, flags, padding[3], extension_offset, unused[3]. */
const NEW_HEADER = 48;
/** struct file_entry_new: flags, key, value, osversion_unused, hwcap. */
const NEW_ENTRY = 24;
/** FLAG_ELF_LIBC6 | FLAG_X8664_LIB64: the only flags _dl_cache_check_flags accepts on x86-64. */
const FLAGS_X8664_LIBC6 = 0x0303;
/** DL_CACHE_HWCAP_EXTENSION: bit 62 of hwcap marks a glibc-hwcaps subdirectory entry. */
const HWCAP_EXTENSION = 1n << 62n;
/** cache_file_new.flags values that say the file's byte order (cache_file_new_matches_endian). */
const ENDIAN_LITTLE = 2;
const ENDIAN_UNSET = 0;

export interface CacheEntry {
  readonly key: string;
  readonly value: string;
  readonly flags: number;
  readonly hwcap: bigint;
}

/** A parsed ld.so.cache, or `undefined` for one glibc would reject (it then ignores the cache). */
export interface LdSoCache {
  readonly format: 'new' | 'old' | 'old+new';
  readonly entries: readonly CacheEntry[];
}

const latin1 = (bytes: Uint8Array, start: number, length: number): string => {
  let s = '';
  for (let i = start; i < start + length; i++) s += String.fromCharCode(bytes[i] as number);
  return s;
};

/** The NUL-terminated string at `offset`, or undefined when it runs off the data. */
function cString(bytes: Uint8Array, offset: number): string | undefined {
  if (offset < 0 || offset >= bytes.length) return undefined;
  const end = bytes.indexOf(0, offset);
  if (end < 0) return undefined;
  return new TextDecoder().decode(bytes.subarray(offset, end));
}

function newEntries(bytes: Uint8Array, start: number): CacheEntry[] | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length - start < NEW_HEADER || latin1(bytes, start, NEW_MAGIC.length) !== NEW_MAGIC) return undefined;
  const nlibs = view.getUint32(start + 20, true);
  const endian = bytes[start + 28] as number;
  if (endian !== ENDIAN_LITTLE && endian !== ENDIAN_UNSET) return undefined;
  // Check for corruption, avoiding overflow: the entries must fit in the file.
  if (Math.floor((bytes.length - start - NEW_HEADER) / NEW_ENTRY) < nlibs) return undefined;
  // String offsets of the new format count from the start of the new header.
  const data = bytes.subarray(start);
  const entries: CacheEntry[] = [];
  for (let i = 0; i < nlibs; i++) {
    const at = start + NEW_HEADER + i * NEW_ENTRY;
    const key = cString(data, view.getUint32(at + 4, true));
    const value = cString(data, view.getUint32(at + 8, true));
    if (key === undefined || value === undefined) continue;
    entries.push({ flags: view.getInt32(at, true), key, value, hwcap: view.getBigUint64(at + 16, true) });
  }
  return entries;
}

/**
 * Parses the cache as _dl_load_cache_lookup validates it: the new format
 * alone, or the old format optionally followed by the new one (then the new
 * table is used). Anything else is rejected, and glibc carries on without a
 * cache.
 */
export function parseLdSoCache(bytes: Uint8Array): LdSoCache | undefined {
  const onlyNew = newEntries(bytes, 0);
  if (onlyNew) return { format: 'new', entries: onlyNew };
  if (bytes.length <= OLD_HEADER || latin1(bytes, 0, OLD_MAGIC.length) !== OLD_MAGIC) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const nlibs = view.getUint32(12, true);
  if (Math.floor((bytes.length - OLD_HEADER) / OLD_ENTRY) < nlibs) return undefined;
  // ALIGN_CACHE: the new table, if any, starts at the next 8-byte boundary.
  const newStart = (OLD_HEADER + nlibs * OLD_ENTRY + 7) & ~7;
  const embedded = newEntries(bytes, newStart);
  if (embedded) return { format: 'old+new', entries: embedded };
  // The old format's strings count from the end of its entry table.
  const strings = bytes.subarray(OLD_HEADER + nlibs * OLD_ENTRY);
  const entries: CacheEntry[] = [];
  for (let i = 0; i < nlibs; i++) {
    const at = OLD_HEADER + i * OLD_ENTRY;
    const key = cString(strings, view.getUint32(at + 4, true));
    const value = cString(strings, view.getUint32(at + 8, true));
    if (key === undefined || value === undefined) continue;
    entries.push({ flags: view.getInt32(at, true), key, value, hwcap: 0n });
  }
  return { format: 'old', entries };
}

/**
 * search_cache: the path the cache gives for a DT_NEEDED name. Entries for
 * other ABIs are skipped (_dl_cache_check_flags), and so are glibc-hwcaps
 * entries (a machine-specific refinement not simulated: the plain entry is
 * used, which is what a CPU without those subdirectories gets).
 */
export function cacheLookup(cache: LdSoCache | undefined, name: string): string | undefined {
  if (!cache) return undefined;
  for (const e of cache.entries) {
    if (e.key !== name || e.flags !== FLAGS_X8664_LIBC6) continue;
    if (e.hwcap & HWCAP_EXTENSION) continue;
    if (e.hwcap !== 0n) continue;
    return e.value;
  }
  return undefined;
}
