// The panel's view models on big inputs: the pages grid of a 4 GiB VMA and the timeline of a
// 10,000-statement scenario. The times are printed; their targets live in npm run bench, and the
// test timeouts only guard against a hang.
import { describe, expect, it } from 'vitest';
import { PageState, regionPages, timeline } from '../../../../simulator/inspect';
import { Kernel, type Task } from '../../../../simulator/mm/kernel';
import { mapFolio, writePte } from '../../../../simulator/mm/memory';
import { MmStruct } from '../../../../simulator/mm/mm-struct';
import { OWNER_ANON } from '../../../../simulator/mm/physical-memory';
import { PTE_ACCESSED, PTE_PRESENT, PTE_RW, PTE_SPECIAL, PTE_SWAP, PTE_USER } from '../../../../simulator/mm/pte';
import { doMmap } from '../../../../simulator/mm/syscalls';
import { PROT_READ, PROT_WRITE } from '../../../../simulator/mm/vm-flags';
import { DEFAULT_SETTINGS, RegionNames, ScenarioState } from '../../../../simulator/scenario/state';
import { runText } from './run-scenario';

describe('performance', () => {
  it('classifies the 1M pages of a 4 GiB VMA quickly', () => {
    const k = new Kernel({ ramBytes: 2 ** 31, swapBytes: 2 ** 30, pkeys: false, forbidsZeroPage: false });
    const mm = new MmStruct({ mmapBase: 0x7ffff7fff000n, taskSize: 0x7ffffffff000n });
    const task: Task = { name: 'P', pid: 1, mm, pt: k.newPageTable(), rss: { file: 0, anon: 0, shmem: 0, swapEnts: 0 }, hiwaterRss: 0, hiwaterVm: 0, exited: false, program: 'test', createdAt: 0 };
    k.tasks.set('P', task);
    k.sysctl.overcommitMemory = 1; // 4 GiB on a 2 GiB machine: heuristic overcommit would refuse it
    const start = doMmap(k, task, 4n << 30n, PROT_READ | PROT_WRITE, false, undefined, 0n, 1, 'A').start;
    const first = Number(start >> 12n);
    // A quarter each: anonymous pages, the zero page, swap entries, nothing (and the last 256 MiB untouched in bulk).
    for (let i = 0; i < 0xf0000; i++) {
      const vpn = first + i;
      if (i % 4 === 0) mapFolio(k, task, vpn, k.phys.allocate(OWNER_ANON, 1, vpn)!, PTE_PRESENT | PTE_USER | PTE_RW | PTE_ACCESSED, false);
      else if (i % 4 === 1) writePte(k, task, vpn, PTE_PRESENT | PTE_USER | PTE_SPECIAL, k.phys.zeroPfn);
      else if (i % 4 === 2) writePte(k, task, vpn, PTE_SWAP, 1 + (i % 1000));
    }
    const state = new ScenarioState(k, new RegionNames(), { ...DEFAULT_SETTINGS }, 0);
    const index = mm.vmaList.findIndex((v) => v.start === start);
    regionPages(state, 'P', index);
    const t = performance.now();
    const pages = regionPages(state, 'P', index)!;
    const ms = performance.now() - t;
    console.log(`regionPages of ${pages.count} pages: ${ms.toFixed(1)} ms`);
    expect(pages.count).toBe(1 << 20);
    expect([...pages.states.subarray(0, 4)]).toEqual([PageState.AnonPrivate, PageState.ZeroPage, PageState.Swapped, PageState.NotPresent]);
    expect(pages.states[0xf0000]).toBe(PageState.NotPresent);
  }, 30_000);

  it('builds the timeline of a 10,000-statement scenario quickly', async () => {
    const lines = ['set swap 64M', 'P = exec hello/hello', 'A = mmap P 40M rw- private anon', 'write P A 0 1M', 'Q = fork P'];
    const ops = ['write P A', 'write Q A', 'read Q A', 'madvise P A'];
    for (let i = 0; lines.length < 10_000; i++) {
      const off = `0x${(((i * 7919) % 10240) * 4096).toString(16)}`;
      const op = ops[i % 4]!;
      lines.push(op === 'madvise P A' ? `madvise P A ${off} 4K dontneed` : `${op} ${off} 4K`);
    }
    const run = await runText(lines.join('\n'));
    const t = performance.now();
    const view = timeline(run);
    const ms = performance.now() - t;
    console.log(`timeline of ${run.steps.length} statements, ${view.lines.length} samples: ${ms.toFixed(0)} ms`);
    expect(view.lines.at(-1)).toBe(run.steps.at(-1)!.line);
    expect(view.processes.map((p) => p.name)).toEqual(['P', 'Q']);
    expect(view.processes[1]!.pssKb.every((kb, i) => kb <= view.processes[1]!.rssKb[i]!)).toBe(true);
  }, 60_000);
});
