// Refault detection (mm/workingset.c): page-cache pages that reclaim dropped and a fault reads again
// come back active when they return within the workingset's size. Checked on Linux 6.18 with a C
// program reading kpageflags: after MADV_PAGEOUT of pages 12-17 of a cached 32-page file and a read
// fault at page 12, pages 12-17 are PG_active (still in the lru_add batch) and their neighbours not.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PG_ACTIVE } from '../../../../simulator/mm/page-flags';
import { STATIC, run } from '../../../support/static-run';

const dir = mkdtempSync(join(tmpdir(), 'asx-workingset-'));
const SMALL = join(dir, 'f32.bin');
const BIG = join(dir, 'f256.bin');
writeFileSync(SMALL, Buffer.alloc(32 * 4096, 7));
writeFileSync(BIG, Buffer.alloc(256 * 4096, 7));

/** The indexes of the file's cached pages that are PG_active after the scenario's statements. */
async function activePages(file: string, statements: readonly string[]): Promise<number[]> {
  const r = await run([`P = exec ${STATIC}`, ...statements].join('\n'));
  return r.withStateAfter(r.statements.length - 1, (state) => {
    const k = state.kernel;
    const inode = [...k.inodes.values()].find((i) => i.path === file);
    if (!inode) throw new Error('the file is not cached');
    return [...inode.cache].filter(([, pfn]) => k.phys.flags[pfn]! & PG_ACTIVE).map(([index]) => index).sort((a, b) => a - b);
  });
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('workingset refault', () => {
  it('reads pages reclaim dropped back active, as the kernel does', async () => {
    const statements = ['set swap 256M', `F = mmap P 128K r-- private file ${SMALL}`, 'read P F', 'madvise P F 48K 24K pageout', 'read P F 48K 4K'];
    expect(await activePages(SMALL, statements)).toEqual(range(12, 18));
  });

  it("says why in the statement's reclaim trace (the LRU panel)", async () => {
    const r = await run([`P = exec ${STATIC}`, 'set swap 256M', `F = mmap P 128K r-- private file ${SMALL}`, 'read P F', 'madvise P F 48K 24K pageout', 'read P F 48K 4K'].join('\n'));
    const events = r.steps.at(-1)?.reclaim ?? [];
    expect(events.map((e) => [e.list, e.action])).toEqual(range(12, 18).map(() => ['active_file', 'activated']));
    expect(events[0]?.reason).toMatch(/root cgroup.*workingset_refault/);
  });

  it('reads pages read for the first time inactive', async () => {
    expect(await activePages(SMALL, ['set swap 256M', `F = mmap P 128K r-- private file ${SMALL}`, 'read P F'])).toEqual([]);
  });

  it("counts the anonymous lists in the cgroup's workingset only while swap has room", async () => {
    // `reclaim` evicts for the scenario's cgroup: its workingset is the simulated lists. Without swap
    // and with nothing on the active file list it holds no page, and every refault is too far.
    const statements = (swap: string[]) => [...swap, `F = mmap P 128K r-- private file ${SMALL}`, 'W = mmap P 64K rw- private anon', 'write P W', 'read P F', 'reclaim 1M', 'read P F 48K 4K'];
    expect(await activePages(SMALL, statements([]))).toEqual([]);
    expect(await activePages(SMALL, statements(['set swap 256M']))).not.toEqual([]);
  });

  it("leaves a page inactive that comes back further than the cgroup's workingset holds", async () => {
    // 256 pages evicted oldest first: the first ones come back some 256 evictions later, more than the
    // program's few anonymous pages; the last ones a few evictions later.
    const statements = ['set swap 256M', `F = mmap P 1M r-- private file ${BIG}`, 'read P F', 'reclaim 2M', 'read P F 0 4K'];
    const active = await activePages(BIG, statements);
    expect(active.length).toBeGreaterThan(0);
    expect(active.every((index) => index > 240)).toBe(true);
  });

  it("reads pages MADV_PAGEOUT dropped back active however many it dropped (the root cgroup's workingset is the host's memory)", async () => {
    const statements = ['set swap 256M', `F = mmap P 1M r-- private file ${BIG}`, 'read P F', 'madvise P F pageout', 'read P F 0 4K'];
    expect(await activePages(BIG, statements)).toEqual(range(0, 256));
  });
});
