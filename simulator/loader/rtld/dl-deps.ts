import type { LinkMap } from './dl-object';
import { mapObject, type RtldState } from './dl-load';

/**
 * _dl_map_object_deps (elf/dl-deps.c): a breadth-first walk over DT_NEEDED.
 * Each object is loaded once (a cycle finds the object already loaded and
 * already in the list); the result is the search list: `map` first, then
 * every dependency in the order it was first reached. Also makes the
 * stub-malloc calls of the walk: each dependency's l_initfini array
 * (objects other than `map` and ld.so) and the final search list.
 */
export async function mapObjectDeps(state: RtldState, map: LinkMap, rtld: LinkMap | undefined): Promise<LinkMap[]> {
  const list: LinkMap[] = [map];
  map.reserved = true;
  for (let i = 0; i < list.length; i++) {
    const l = list[i] as LinkMap;
    // ld.so's own map has no l_ldnum; objects loaded before (dlopen) already have their lists.
    const wantsInitfini = l !== map && l !== rtld && !l.deps.length && l.elf.programHeaders.length > 0;
    let nneeded = 0;
    const already = l.deps.length > 0;
    for (const name of l.info.needed) {
      const dep = await mapObject(state, l, name);
      if (!dep.reserved) {
        dep.reserved = true;
        list.push(dep);
      }
      if (!already) l.deps.push(dep);
      nneeded++;
    }
    if (wantsInitfini && !already) state.malloc.malloc(BigInt(2 * (nneeded + 1) + 1) * 8n);
  }
  state.malloc.malloc(BigInt(2 * list.length + 1) * 8n);
  for (const l of list) l.reserved = false;
  return list;
}
