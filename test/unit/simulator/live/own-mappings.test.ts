// The observer effect: the reading process maps a page of a file the target maps between the
// target's smaps and /proc/kpagecount. Its own pagemap, read before and after, says which page,
// and the page is counted with the mapcount smaps saw instead of reading smaps again.
import { describe, expect, it } from 'vitest';
import { readLiveProcess, RecordedProcReader, type RecordedFile } from '../../../../simulator/live/index';

const TARGET = 100;
const SELF = 200;
const TEXT_VPN = 0x400;
const OWN_VPN = 0x7f0000000;
const PFN_A = 1000;
const PFN_B = 1001;
const PAGEMAP_LENGTH = 2 ** 35;

/** A present file page's pagemap entry (bits 63 and 61, the PFN), not exclusively mapped. */
const filePage = (pfn: number) => (1n << 63n) | (1n << 61n) | BigInt(pfn);
const u64 = (entries: [number, bigint][], length: number): RecordedFile => ({ kind: 'u64', entries: new Map(entries), length });

/**
 * The target maps two pages of /usr/bin/prog: A (only the target: mapcount 1) and B (the target and
 * us: mapcount 2), so smaps says Pss 4 + 2 = 6 kB. We map B, and A not yet.
 */
function machine(withSelf = true): RecordedProcReader {
  const maps = '00400000-00402000 r-xp 00000000 fe:00 42                                 /usr/bin/prog\n';
  const smaps = `${maps}Size:                  8 kB\nRss:                   8 kB\nPss:                   6 kB\nVmFlags: rd ex mr mw me \n`;
  const files: Record<string, RecordedFile> = {
    [`${TARGET}/comm`]: 'prog\n',
    [`${TARGET}/cmdline`]: 'prog\0',
    [`${TARGET}/status`]: `Name:\tprog\nState:\tS (sleeping)\nTgid:\t${TARGET}\nPid:\t${TARGET}\n`,
    [`${TARGET}/maps`]: maps,
    [`${TARGET}/smaps`]: smaps,
    [`${TARGET}/smaps_rollup`]: '00400000-7fffffffffff ---p 00000000 00:00 0 [rollup]\nRss: 8 kB\nPss: 6 kB\n',
    [`${TARGET}/pagemap`]: u64([[TEXT_VPN, filePage(PFN_A)], [TEXT_VPN + 1, filePage(PFN_B)]], PAGEMAP_LENGTH),
    kpagecount: u64([[PFN_A, 1n], [PFN_B, 2n]], 2 ** 40),
    kpageflags: u64([[PFN_A, 1n << 5n], [PFN_B, 1n << 5n]], 2 ** 40),
  };
  if (withSelf) {
    files['self/status'] = `Name:\tnode\nTgid:\t${SELF}\nPid:\t${SELF}\n`;
    files['self/maps'] = '7f0000000000-7f0000002000 r-xp 00000000 fe:00 42                         /usr/bin/prog\n7f0000002000-7f0000003000 rw-p 00000000 00:00 0\n';
    files['self/pagemap'] = u64([[OWN_VPN + 1, filePage(PFN_B)]], PAGEMAP_LENGTH);
  }
  return new RecordedProcReader(files);
}

/** After the target's smaps is read, before its pagemap: we map page A too (its mapcount becomes 2). */
function mapPageAfterSmaps(reader: RecordedProcReader, alsoOwnPagemap = true): { smapsReads: () => number } {
  let reads = 0;
  reader.beforeRead = (path) => {
    if (path === `${TARGET}/smaps`) reads++;
    if (path === `${TARGET}/pagemap` && reads === 1) {
      reader.set('kpagecount', u64([[PFN_A, 2n], [PFN_B, 2n]], 2 ** 40));
      if (alsoOwnPagemap) reader.set('self/pagemap', u64([[OWN_VPN, filePage(PFN_A)], [OWN_VPN + 1, filePage(PFN_B)]], PAGEMAP_LENGTH));
    }
  };
  return { smapsReads: () => reads };
}

describe('the reading process maps a page of the target\'s file while it reads', () => {
  it('is counted with the mapcount smaps saw: exact at the first read, with a note', () => {
    const reader = machine();
    const { smapsReads } = mapPageAfterSmaps(reader);
    const p = readLiveProcess(reader, TARGET, { explain: true });
    expect(p.warnings).toEqual([]);
    expect(smapsReads()).toBe(1);
    const explain = p.vmas[0]!.explain!;
    expect(explain).toMatchObject({ exact: true, pssKb: 6, kernelPssKb: 6 });
    expect(explain.groups).toEqual([
      { kind: 'file', mapcount: 1, pages: 1, pssBytes: 4096 },
      { kind: 'file', mapcount: 2, pages: 1, pssBytes: 2048 },
    ]);
    expect(explain.notes).toEqual(["1 page was mapped or unmapped by the reading process itself after smaps was read (it maps the same file): counted with the mapcount smaps saw, not /proc/kpagecount's"]);
  });

  it('the pages grid shows the mapcount smaps saw', () => {
    const reader = machine();
    mapPageAfterSmaps(reader);
    const pages = readLiveProcess(reader, TARGET, { explain: true, pages: true }).vmas[0]!.pages!;
    expect([...pages.mapcounts]).toEqual([1, 2]);
  });

  it('without our own maps and pagemap, smaps is read again, and a warning says the Pss kept changing', () => {
    const reader = machine(false);
    const { smapsReads } = mapPageAfterSmaps(reader);
    const p = readLiveProcess(reader, TARGET, { explain: true });
    expect(smapsReads()).toBe(4);
    expect(p.warnings).toEqual([`pid ${TARGET} (/proc/${TARGET}/smaps): 400000-402000 /usr/bin/prog: Pss changed while it was read (smaps 6 kB, pages 4 kB) 4 times`]);
  });

  it('a mapping of ours that kpagecount does not count yet is not taken off: the VMA is read again as before', () => {
    const reader = machine();
    let reads = 0;
    reader.beforeRead = (path) => {
      if (path === `${TARGET}/smaps`) reads++;
      // Our pagemap shows the new mapping of A, but kpagecount still says 1.
      if (path === `${TARGET}/pagemap` && reads === 1) reader.set('self/pagemap', u64([[OWN_VPN, filePage(PFN_A)], [OWN_VPN + 1, filePage(PFN_B)]], PAGEMAP_LENGTH));
    };
    const p = readLiveProcess(reader, TARGET, { explain: true });
    expect(p.warnings).toEqual([]);
    expect(reads).toBe(1);
    expect(p.vmas[0]!.explain).toMatchObject({ exact: true, pssKb: 6, notes: [] });
  });

  it('reading our own process, or one of its threads: nothing is taken off', () => {
    const reader = machine();
    // The target is a thread of ours: its own pid, our thread group.
    reader.set('self/status', `Name:\tprog\nTgid:\t${TARGET}\nPid:\t${TARGET + 1}\n`);
    const { smapsReads } = mapPageAfterSmaps(reader);
    const p = readLiveProcess(reader, TARGET, { explain: true, retries: 0 });
    expect(smapsReads()).toBe(1);
    expect(p.vmas[0]!.explain).toMatchObject({ pssKb: 4, kernelPssKb: 6, notes: [] });
  });
});
