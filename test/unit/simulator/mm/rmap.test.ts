// rmap_walk_file through the mm's file VMAs sorted by file page (an interval lookup) against a scan of
// every VMA: the same mappings for every page of the cache, with a file mapped twice over the same
// pages, at other offsets, by a fork, and partly unmapped.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NodeFileSystem } from '../../../../simulator/cli/node-file-access';
import type { Kernel } from '../../../../simulator/mm/kernel';
import { folioMappings } from '../../../../simulator/mm/rmap';
import { pteMapsFolio } from '../../../../simulator/mm/memory';
import { runScenario } from '../../../../simulator/scenario/run';
import { REPO_ROOT } from '../../../support/exec-layout';

const STATIC = resolve(REPO_ROOT, 'test/fixtures/elf/bin/static');

/** Every (process, virtual page) whose PTE maps `pfn` in a VMA of the folio's inode, by a scan of every VMA. */
function scanned(k: Kernel, pfn: number): string[] {
  const inode = k.phys.mapping[pfn]!;
  const index = k.phys.indexOf(pfn);
  const out: string[] = [];
  for (const task of k.liveTasks()) {
    for (const vma of task.mm.vmaList) {
      if (vma.inodeId !== inode) continue;
      const vpn = Number(vma.start >> 12n) + index - Number(vma.pgoff);
      if (vpn < Number(vma.start >> 12n) || vpn >= Number(vma.end >> 12n)) continue;
      const table = task.pt.table(vpn);
      if (table && pteMapsFolio(table.flags[vpn % 512]!) && table.value[vpn % 512] === pfn) out.push(`${task.name}:${vpn}`);
    }
  }
  return out.sort();
}

describe('folioMappings of file pages', () => {
  it('finds what a scan of every VMA finds, for every page in the cache', async () => {
    const text = [
      `P = exec ${STATIC}`,
      `A = mmap P 16K r-- private file ${STATIC}`,
      `B = mmap P 16K r-- private file ${STATIC}`,
      `C = mmap P 4K r-- private file ${STATIC} offset 8K`,
      `D = mmap P 8K r-- shared file ${STATIC} offset 4K`,
      'read P A',
      'read P B',
      'read P C',
      'read P D',
      'Q = fork P',
      'munmap P B 4K 4K',
      'read Q A 0 8K',
    ].join('\n');
    const outcome = await runScenario(text, 's.aspace', { fs: new NodeFileSystem('/'), resolve: (p) => resolve(REPO_ROOT, p) }, { host: { pkeys: false } });
    if (!outcome.ok) throw new Error(outcome.diagnostics.map((d) => d.message).join('\n'));
    const k = outcome.run.stateAfter(outcome.run.statements.length - 1).kernel;
    let checked = 0;
    let shared = 0;
    for (const inode of k.inodes.values()) {
      for (const pfn of inode.cache.values()) {
        const found = folioMappings(k, pfn).map((m) => `${m.task.name}:${m.vpn}`).sort();
        expect(found).toEqual(scanned(k, pfn));
        checked++;
        if (found.length > 2) shared++;
      }
    }
    expect(checked).toBeGreaterThan(4);
    expect(shared).toBeGreaterThan(0);
  });
});
