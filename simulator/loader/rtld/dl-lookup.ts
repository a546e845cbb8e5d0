// Which object's definition of a symbol the lookup scope gives (elf/dl-lookup.c: _dl_lookup_symbol_x
// walks the global search list, the executable first, and the first definition wins).
import { SHT_DYNSYM } from '../../elf/names';
import { newRawSymbol } from '../../elf/symbols';
import type { LinkMap } from './dl-object';

/** The allocation functions a program replaces when it brings its own malloc (as Chromium does). */
const ALLOCATOR = ['malloc', 'calloc', 'realloc', 'free'];

/** Whether `l`'s dynamic symbol table defines one of `names` (a symbol with a section, not an undefined reference). */
async function definesAny(l: LinkMap, names: readonly string[]): Promise<boolean> {
  const sections = await l.elf.sections().catch(() => []);
  if (!sections.some((s) => s.type === SHT_DYNSYM)) return false;
  const dynsym = (await l.elf.symbolTables().catch(() => [])).find((t) => t.dynamic);
  if (!dynsym) return false;
  const raw = newRawSymbol();
  for (let i = 1; i < dynsym.count; i++) {
    dynsym.readRaw(i, raw);
    if (raw.shndx !== 0 && names.includes(dynsym.name(raw.nameOffset))) return true;
  }
  return false;
}

/**
 * The object whose malloc the libraries' constructors call: the first in the search list that
 * defines malloc/calloc/realloc/free. When it is not libc, glibc's malloc never runs, and its
 * [heap] is not made by constructor allocations (the program's allocator serves them).
 */
export async function mallocInterposer(searchList: readonly LinkMap[]): Promise<LinkMap | undefined> {
  for (const l of searchList) {
    if (l.kind === 'interpreter') continue;
    if (!(await definesAny(l, ALLOCATOR))) continue;
    const soname = l.info.soname ?? l.libnames[0] ?? '';
    return soname.startsWith('libc.so') ? undefined : l;
  }
  return undefined;
}
