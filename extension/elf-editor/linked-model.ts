// The Linked tab's view model from a finished ld.so run (pure: no vscode, no files).
import type { LinkMap, RtldResult } from '../../simulator/loader/rtld';
import { pageAlign, pageStart, type Vma } from '../../simulator/mm/vma';
import type { LayoutParams } from '../../webview/protocol';
import type { LinkedNode, LinkedObjectView, LinkedRegionView, LinkedView } from '../../webview/view-models';
import { mapsColumns, mapsOrder } from './maps-columns';

const hex = (v: bigint) => '0x' + v.toString(16);
const dirname = (path: string) => (path.lastIndexOf('/') > 0 ? path.slice(0, path.lastIndexOf('/')) : '/');
const basename = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const overlaps = (a0: bigint, a1: bigint, b0: bigint, b1: bigint) => a0 < b1 && b0 < a1;

/** How ld.so found the object, in words (LD_DEBUG=libs names the same sources). */
export function foundViaText(l: LinkMap, cachePath = '/etc/ld.so.cache'): string {
  const dir = dirname(l.name);
  switch (l.foundVia) {
    case 'executable':
      return 'the program, mapped by execve';
    case 'interpreter':
      return 'PT_INTERP, mapped by the kernel before ld.so ran';
    case 'path':
      return `opened by the path in DT_NEEDED`;
    case 'cache':
      return `found via ${cachePath}`;
    case 'default':
      return `found in the default directory ${dir}`;
    default:
      return `found via ${l.foundVia} ${dir}`;
  }
}

function objectName(l: LinkMap): string {
  if (l.kind === 'executable') return basename(l.file.path);
  if (l.kind === 'interpreter') return l.info.soname ?? basename(l.name);
  return l.libnames[0] || basename(l.name);
}

function objectView(l: LinkMap, cachePath?: string): LinkedObjectView {
  return {
    name: objectName(l),
    kind: l.kind,
    path: l.name,
    mapsPath: l.file.path,
    foundVia: foundViaText(l, cachePath),
    lAddr: hex(l.lAddr),
    mapStart: hex(l.mapStart),
    mapEnd: hex(l.mapEnd),
  };
}

/**
 * The dependency tree as ld.so's breadth-first walk (_dl_map_object_deps) met it: each object is
 * expanded where the walk first reached it; every later DT_NEEDED entry naming it is a duplicate.
 */
export function dependencyTree(main: LinkMap, index: (l: LinkMap) => number): LinkedNode {
  const firstReach = new Map<LinkMap, { parent: LinkMap; at: number }>();
  const queue: LinkMap[] = [main];
  const reached = new Set<LinkMap>([main]);
  for (let i = 0; i < queue.length; i++) {
    const l = queue[i] as LinkMap;
    l.deps.forEach((dep, at) => {
      if (reached.has(dep)) return;
      reached.add(dep);
      firstReach.set(dep, { parent: l, at });
      queue.push(dep);
    });
  }
  const node = (l: LinkMap, needed: string): LinkedNode => ({
    object: index(l),
    needed,
    duplicate: false,
    children: l.deps.map((dep, at) => {
      const name = l.info.needed[at] ?? dep.name;
      const first = firstReach.get(dep);
      return first && first.parent === l && first.at === at ? node(dep, name) : { object: index(dep), needed: name, duplicate: true, children: [] };
    }),
  });
  return node(main, '');
}

const SPECIAL_ROLES: Readonly<Record<string, string>> = {
  '[vdso]': 'vDSO', '[vvar]': 'vDSO data (vvar)', '[vvar_vclock]': 'vDSO clock pages', '[vsyscall]': 'vsyscall page', '[heap]': 'heap', '[stack]': 'stack',
};

/** What a VMA inside an object is, from how ld.so (or execve) mapped and protected it. */
function objectRole(vma: Vma, perms: string, l: LinkMap): string {
  if (perms.startsWith('---')) return 'gap (PROT_NONE)';
  if (!vma.file) return 'bss';
  if (perms[2] === 'x') return 'text';
  if (perms[1] === 'w') return 'data';
  if (l.relro) {
    const start = pageStart(l.lAddr + l.relro.vaddr);
    const end = pageStart(l.lAddr + l.relro.vaddr + l.relro.memsz);
    if (vma.start >= start && vma.end <= end) return 'RELRO';
  }
  return 'read-only data';
}

/** The layout at entry, each VMA with the objects and ld.so allocations it holds. */
export function linkedRegions(rtld: RtldResult, objects: readonly LinkMap[]): LinkedRegionView[] {
  const mm = rtld.mm;
  return mapsOrder(mm).map((vma): LinkedRegionView => {
    const columns = mapsColumns(mm, vma);
    const { perms, name } = columns;
    const inside = objects
      .map((l, i) => ({ l, i }))
      .filter(({ l }) => overlaps(vma.start, vma.end, l.mapStart, pageAlign(l.mapEnd)))
      .sort((a, b) => Number(b.l.mapStart <= vma.start && vma.start < pageAlign(b.l.mapEnd)) - Number(a.l.mapStart <= vma.start && vma.start < pageAlign(a.l.mapEnd)));
    const allocations = !vma.file && rtld.mallocAreas.some(([start, length]) => overlaps(vma.start, vma.end, start, start + pageAlign(length)));
    const owner = inside[0];
    let role = owner ? objectRole(vma, perms, owner.l) : (SPECIAL_ROLES[name] ?? 'anonymous');
    if (allocations) role = owner ? `${role} + ld.so allocations` : 'ld.so allocations';
    return {
      ...columns,
      objects: inside.map(({ i }) => i),
      role,
      description: vma.origin.description,
    };
  });
}

/** The Linked tab's model: the link-map chain, the dependency tree, the search list and the maps at entry. */
export function linkedView(rtld: RtldResult, params: LayoutParams, ldLibraryPath: string, cachePath?: string): LinkedView {
  const objects = rtld.chain;
  const index = (l: LinkMap) => {
    const i = objects.indexOf(l);
    if (i < 0) throw new Error(`${l.name || 'the program'} is not in the link-map chain`);
    return i;
  };
  return {
    kind: 'linked',
    aslr: params.aslr,
    seed: params.seed,
    objects: objects.map((l) => objectView(l, cachePath)),
    tree: dependencyTree(rtld.main, index),
    searchList: rtld.searchList.map(index),
    regions: linkedRegions(rtld, objects),
    ldLibraryPath,
  };
}

/** The maps at entry as /proc/PID/maps prints them. */
export function entryMapsText(view: LinkedView): string {
  return view.regions.map((r) => r.line + '\n').join('');
}
