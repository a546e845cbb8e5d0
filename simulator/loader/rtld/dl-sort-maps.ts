import type { LinkMap } from './dl-object';

/**
 * The order _dl_init runs constructors in (glibc 2.36): _dl_map_object_deps
 * sorts the search list with _dl_sort_maps_dfs (elf/dl-sort-maps.c, the
 * default glibc.rtld.dynamic_sort=2), the program forced first, and _dl_init
 * walks that list backwards, so every object's dependencies come before it.
 */
export function initOrder(searchList: readonly LinkMap[]): LinkMap[] {
  const visited = new Set<LinkMap>();
  const rpo: LinkMap[] = [];
  const main = searchList[0];
  // dfs_traversal: an object is placed after (in rpo: in front of) everything it needs.
  const visit = (l: LinkMap): void => {
    if (visited.has(l)) return;
    visited.add(l);
    for (const dep of l.deps) if (dep !== main) visit(dep);
    rpo.unshift(l);
  };
  for (let i = searchList.length - 1; i >= 0; i--) visit(searchList[i] as LinkMap);
  const sorted = main && rpo[0] !== main ? [main, ...rpo.filter((l) => l !== main)] : rpo;
  return sorted.reverse();
}
