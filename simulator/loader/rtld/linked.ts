// What the ELF view's "Linked" tab shows: the DT_NEEDED tree as ld.so walked
// it, and which object each VMA at the entry point belongs to.
import type { Vma } from '../../mm/vma';
import type { LinkMap } from './dl-object';
import type { RtldResult } from './rtld';

export interface DependencyNode {
  readonly object: LinkMap;
  /** The DT_NEEDED string that led here ("" for the program). */
  readonly needed: string;
  /** Reached before in the breadth-first walk (or an ancestor): not expanded again. */
  readonly duplicate: boolean;
  readonly children: readonly DependencyNode[];
}

/**
 * The program's dependency tree, children in DT_NEEDED order. An object is
 * expanded under the entry that ld.so's breadth-first walk reached first;
 * every later mention, and every cycle, is a leaf marked duplicate.
 */
export function dependencyTree(result: RtldResult): DependencyNode {
  // The first reference in breadth-first order owns the expansion.
  const owner = new Map<LinkMap, string>();
  const queue: { l: LinkMap; path: string }[] = [{ l: result.main, path: '' }];
  owner.set(result.main, '');
  for (let i = 0; i < queue.length; i++) {
    const { l, path } = queue[i] as { l: LinkMap; path: string };
    l.deps.forEach((dep, k) => {
      if (owner.has(dep)) return;
      const childPath = `${path}/${k}`;
      owner.set(dep, childPath);
      queue.push({ l: dep, path: childPath });
    });
  }
  const build = (l: LinkMap, needed: string, path: string): DependencyNode => {
    const expand = owner.get(l) === path;
    return { object: l, needed, duplicate: !expand, children: expand ? l.deps.map((dep, k) => build(dep, l.info.needed[k] ?? dep.libnames[0] ?? '', `${path}/${k}`)) : [] };
  };
  return build(result.main, '', '');
}

/** The objects whose [l_map_start, l_map_end) a VMA overlaps, the one it starts in first. */
export function objectsOfVma(result: RtldResult, vma: Vma): LinkMap[] {
  const overlapping = result.chain.filter((l) => l.mapStart < vma.end && vma.start < l.mapEnd);
  return overlapping.sort((a, b) => Number(b.mapStart <= vma.start && vma.start < b.mapEnd) - Number(a.mapStart <= vma.start && vma.start < a.mapEnd));
}
