// Large page-cache folios of hugepage file mappings: the folio layout a read fault leaves, as a C
// program read it on Linux 6.18 (ext4) through /proc/self/pagemap and /proc/kpageflags (compound
// head and tail flags): a 100-page file read at page 0 is folios of 64, 32 and 4 pages; with page 70
// cached before, the 64-page folio and then single pages; with page 5 cached, single pages only.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileFolioHead, fileFolioPages } from '../../../../simulator/mm/file-folio';
import { STATIC, run } from '../../../support/static-run';

const dir = mkdtempSync(join(tmpdir(), 'asx-file-folio-'));
const FILE = join(dir, 'f100.bin');
writeFileSync(FILE, Buffer.alloc(100 * 4096, 7));

/** The sizes of the folios caching the file's pages in order, after the scenario's statements. */
async function layout(statements: readonly string[]): Promise<number[]> {
  const r = await run([`P = exec ${STATIC}`, ...statements].join('\n'));
  return r.withStateAfter(r.statements.length - 1, (state) => {
    const k = state.kernel;
    const inode = [...k.inodes.values()].find((i) => i.path === FILE);
    if (!inode) throw new Error('the file is not cached');
    const sizes: number[] = [];
    for (let index = 0; index < 100; ) {
      const pfn = inode.cache.get(index);
      if (pfn === undefined) throw new Error(`page ${index} is not cached`);
      const head = fileFolioHead(k, pfn);
      const pages = head === undefined ? 1 : fileFolioPages(k, head);
      sizes.push(pages);
      index += pages;
    }
    return sizes;
  });
}

const ones = (n: number) => Array<number>(n).fill(1);

describe('page_cache_ra_order in a hugepage file mapping', () => {
  it('reads folios as large as alignment and the end of the file allow', async () => {
    expect(await layout([`A = mmap P 400K r-- shared file ${FILE}`, 'madvise P A hugepage', 'read P A 0 4K'])).toEqual([64, 32, 4]);
  });

  it('stops at a page cached already and reads the rest a page at a time', async () => {
    // One page read ahead first (MADV_WILLNEED of that page alone; the C program used pread under FADV_RANDOM).
    const then = [`A = mmap P 400K r-- shared file ${FILE}`, 'madvise P A hugepage', 'read P A 0 4K'];
    const cached = (offset: string) => [`B = mmap P 400K r-- shared file ${FILE}`, `madvise P B ${offset} 4K willneed`];
    expect(await layout([...cached('280K'), ...then])).toEqual([64, ...ones(36)]);
    expect(await layout([...cached('20K'), ...then])).toEqual(ones(100));
  });

  it('reads single pages without MADV_HUGEPAGE', async () => {
    expect(await layout([`A = mmap P 400K r-- shared file ${FILE}`, 'read P A 0 4K'])).toEqual(ones(100));
  });
});
