// The Linked tab's model: the dependency tree as ld.so's breadth-first walk met it, how each
// object was found, and the maps at entry grouped by object, line for line as asx prints them.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entryMapsText, linkedView } from '../../../extension/elf-editor/linked-model';
import { NodeFileSystem } from '../../../simulator/cli/node-file-access';
import { execve } from '../../../simulator/loader/binfmt-elf';
import { dlMain } from '../../../simulator/loader/rtld';
import { renderMaps } from '../../../simulator/proc/maps';
import { checkLinkedResult } from '../../../webview/linked-checks';
import type { LinkedNode, LinkedView } from '../../../webview/view-models';

const BIN = resolve(__dirname, '../../fixtures/rtld/bin');

async function linked(name: string, ldLibraryPath = ''): Promise<{ view: LinkedView; maps: string }> {
  const fs = new NodeFileSystem('/');
  const path = `${BIN}/${name}`;
  const exec = await execve(fs, path, { argv: [path], envp: [], aslr: 'off', seed: 0n });
  const rtld = await dlMain(fs, exec, { ldLibraryPath: ldLibraryPath || undefined, cwd: '/' });
  return { view: linkedView(rtld, { aslr: 'off', seed: '0' }, ldLibraryPath), maps: renderMaps(rtld.mm) };
}

/** The tree as text: one line per node, indented, duplicates marked. */
function outline(view: LinkedView, node: LinkedNode = view.tree, depth = 0): string[] {
  const o = view.objects[node.object];
  const line = `${'  '.repeat(depth)}${node.needed || o?.name}${node.duplicate ? ' (dup)' : ''}`;
  return [line, ...node.children.flatMap((c) => outline(view, c, depth + 1))];
}

const objectNamed = (view: LinkedView, name: string) => view.objects.findIndex((o) => o.name === name);

describe('the Linked tab model', () => {
  it('has every maps line at entry, in order, exactly as /proc/PID/maps prints them', async () => {
    const { view, maps } = await linked('runpath');
    expect(entryMapsText(view)).toBe(maps);
    expect(checkLinkedResult(JSON.parse(JSON.stringify(view)))).toEqual(view);
  });

  it('names how each object was found: RUNPATH with its directory, the cache, the interpreter', async () => {
    const { view } = await linked('runpath');
    const greet = view.objects[objectNamed(view, 'libgreet.so.1')];
    expect(greet?.foundVia).toBe(`found via RUNPATH ${BIN}/lib`);
    const libc = view.objects[objectNamed(view, 'libc.so.6')];
    expect(libc?.foundVia).toMatch(/^found (via \/etc\/ld\.so\.cache|in the default directory)/);
    expect(view.objects[0]?.kind).toBe('executable');
    expect(view.objects.find((o) => o.kind === 'interpreter')?.foundVia).toMatch(/PT_INTERP/);
  });

  it('expands each object where the breadth-first walk first reached it, and marks later entries as duplicates', async () => {
    const { view } = await linked('cycle');
    expect(outline(view)).toEqual([
      'cycle',
      '  libcycle-a.so.1',
      '    libcycle-b.so.1',
      '      libcycle-a.so.1 (dup)',
      '  libc.so.6',
      '    ld-linux-x86-64.so.2',
    ]);
    expect(view.searchList.map((i) => view.objects[i]?.name)).toEqual(['cycle', 'libcycle-a.so.1', 'libc.so.6', 'libcycle-b.so.1', 'ld-linux-x86-64.so.2']);
  });

  it('RPATH of the program serves its libraries\' dependencies too', async () => {
    const { view } = await linked('rpath');
    expect(view.objects[objectNamed(view, 'libinner.so.1')]?.foundVia).toBe(`found via RPATH ${BIN}/lib`);
  });

  it('gives each region of a library its role: text, read-only data, RELRO, data, bss', async () => {
    const { view } = await linked('runpath');
    const libc = objectNamed(view, 'libc.so.6');
    const roles = view.regions.filter((r) => r.objects[0] === libc).map((r) => `${r.perms} ${r.role}`);
    expect(roles).toContain('r-xp text');
    expect(roles).toContain('r--p RELRO');
    expect(roles).toContain('rw-p data');
    expect(roles.some((r) => r.startsWith('rw-p bss'))).toBe(true);
    const greet = objectNamed(view, 'libgreet.so.1');
    expect(view.regions.some((r) => r.objects.includes(greet) && r.name === '')).toBe(true);
  });

  it('marks ld.so\'s own anonymous allocations, the stack and the vDSO', async () => {
    const { view } = await linked('runpath');
    const roles = view.regions.map((r) => r.role);
    expect(roles.some((r) => r.includes('ld.so allocations'))).toBe(true);
    expect(view.regions.find((r) => r.name === '[stack]')?.role).toBe('stack');
    expect(view.regions.find((r) => r.name === '[vdso]')?.role).toBe('vDSO');
    expect(view.regions.find((r) => r.name === '[stack]')?.objects).toEqual([]);
  });

  it('searches LD_LIBRARY_PATH before RUNPATH, skipping a library of the wrong class', async () => {
    const { view } = await linked('runpath', `${BIN}/lib32:${BIN}/lib`);
    expect(view.ldLibraryPath).toBe(`${BIN}/lib32:${BIN}/lib`);
    expect(view.objects[objectNamed(view, 'libgreet.so.1')]?.foundVia).toBe(`found via LD_LIBRARY_PATH ${BIN}/lib`);
  });
});
