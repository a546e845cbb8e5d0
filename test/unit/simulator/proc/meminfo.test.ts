// show meminfo: the kernel's format (fs/proc/meminfo.c), and numbers that agree with the simulator's
// other books — the smaps of every process (Pss sums), the VM_ACCOUNT VMAs, the LRU lists and the frames.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Kernel } from '../../../../simulator/mm/kernel';
import { VM_ACCOUNT } from '../../../../simulator/mm/vm-flags';
import { meminfoFields, renderMeminfo } from '../../../../simulator/proc/meminfo';
import { emptyStats, gatherStats } from '../../../../simulator/proc/smaps';
import { run, STATIC } from '../../../support/static-run';

const SCENARIO = `set ram 64M
P = exec ${STATIC}
A = mmap P 1M rw- private anon
write P A
B = mmap P 512K rw- shared anon
write P B 0 256K
C = mmap P 2M r-- private anon
read P C
Q = fork P
write Q A 0 64K
R = mmap Q 1M rw- private anon noreserve
write Q R
F = mmap P 128K r-- private file test/fixtures/elf/bin/static
read P F
munmap P A 0 256K
show meminfo
exit Q
show meminfo`;

/** Pss sums over every live process, in bytes (precise Pss, shifted once at the end). */
function pssSums(k: Kernel): { anon: number; file: number; shmem: number; processes: number } {
  const mss = emptyStats();
  let processes = 0;
  for (const task of k.liveTasks()) {
    processes++;
    for (const vma of task.mm.vmaList) gatherStats(k, task, vma, mss);
  }
  return { anon: Number(mss.pssAnon >> 12n), file: Number(mss.pssFile >> 12n), shmem: Number(mss.pssShmem >> 12n), processes };
}

describe('show meminfo agrees with the books', () => {
  it('after every statement: AnonPages, Mapped, Shmem against the Pss sums; Committed_AS against the VM_ACCOUNT VMAs and shmem objects; LRU and frames add up', async () => {
    const r = await run(SCENARIO);
    for (let i = 0; i < r.statements.length; i++) {
      const k = r.stateAfter(i).kernel;
      const m = meminfoFields(k);
      const pss = pssSums(k);
      // Pss divides a page among its mappers: the sums are within a byte per page-and-process of the pages.
      const near = (bytes: number, pages: number) => expect(Math.abs(bytes - pages * 4096)).toBeLessThanOrEqual(pss.processes * 4096);
      near(pss.anon, m.AnonPages!);
      near(pss.shmem, m.Shmem!);
      near(pss.file + pss.shmem, m.Mapped!);
      let accounted = 0;
      const shmemObjects = new Set<number>();
      for (const task of k.tasks.values()) {
        for (const vma of task.mm.vmaList) {
          if (vma.flags & VM_ACCOUNT) accounted += Number((vma.end - vma.start) >> 12n);
          if (vma.inodeId !== undefined && k.inodes.get(vma.inodeId)?.shmem) shmemObjects.add(vma.inodeId);
        }
      }
      for (const id of shmemObjects) accounted += Math.ceil(k.inodes.get(id)!.size / 4096);
      expect(m.Committed_AS, `line ${r.statements[i]!.line}`).toBe(accounted);
      // No swap here: every user page is on an LRU list, as page cache or as mapped anonymous memory.
      expect(m.Active! + m.Inactive! + m.Unevictable!).toBe(m.Cached! + m.AnonPages! + m.SwapCached!);
      let kernelFrames = 0;
      for (let pfn = 0; pfn < k.phys.covered; pfn++) if (k.phys.isAllocated(pfn) && !(k.phys.flags[pfn]! & (1 << 3))) kernelFrames++;
      expect(m.MemTotal! - m.MemFree!).toBe(m.Cached! + m.AnonPages! + kernelFrames);
      expect(kernelFrames).toBeGreaterThanOrEqual(m.PageTables!);
    }
  });

  it('MAP_SHARED|MAP_ANONYMOUS memory is charged whole and freed with its last mapping', async () => {
    const r = await run(`P = exec ${STATIC}\nshow meminfo\nB = mmap P 1M rw- shared anon\nwrite P B 0 256K\nQ = fork P\nmunmap P B\nshow meminfo\nexit Q\nshow meminfo`);
    const field = (i: number, name: string) => meminfoFields(r.stateAfter(i).kernel)[name]!;
    expect(field(3, 'Shmem') - field(1, 'Shmem')).toBe(64);
    // The whole object (1 MiB = 256 pages, in kB: 1024), however little of it was written.
    expect(field(3, 'Committed_AS') - field(1, 'Committed_AS')).toBe(256);
    expect(field(6, 'Shmem')).toBe(field(5, 'Shmem'));
    expect(field(7, 'Shmem')).toBe(field(1, 'Shmem'));
    expect(field(7, 'Committed_AS')).toBe(field(1, 'Committed_AS'));
  });
});

describe('the format of /proc/meminfo', () => {
  it('prints "Name:" padded to 16 columns, the value in 8, " kB", as show_val_kb does', async () => {
    const r = await run(SCENARIO);
    const text = r.steps.find((s) => s.output?.startsWith('MemTotal:'))!.output!;
    const lines = text.trimEnd().split('\n');
    for (const line of lines) expect(line).toMatch(/^HugePages_\w+:\s+\d+$|^[\w()]+:\s+\d+ kB$/);
    expect(lines[0]).toBe(`MemTotal:          65536 kB`);
    expect(lines.find((l) => l.startsWith('HugePages_Total'))).toBe('HugePages_Total:       0');
    expect(lines.find((l) => l.startsWith('VmallocTotal'))).toBe('VmallocTotal:   34359738367 kB');
    expect(renderMeminfo(r.stateAfter(0).kernel)).toMatch(/^MemTotal: {10}65536 kB\nMemFree: /);
  });

  it.skipIf(!existsSync('/proc/meminfo'))('has the lines of this machine\'s /proc/meminfo, in its order', async () => {
    const r = await run(`P = exec ${STATIC}\nshow meminfo`);
    const names = (text: string) => text.trimEnd().split('\n').map((l) => l.split(':')[0]);
    const real = names(readFileSync('/proc/meminfo', 'utf8'));
    const ours = names(r.steps[1]!.output!);
    // Lines a kernel prints only with some configurations or hardware (highmem, memory failure, CMA, unaccepted memory).
    const optional = new Set(['HardwareCorrupted', 'CmaTotal', 'CmaFree', 'Unaccepted', 'HighTotal', 'HighFree', 'LowTotal', 'LowFree', 'MmapCopy', 'Quicklists', 'DirectMap1G', 'FileHugePages', 'FilePmdMapped', 'Balloon', 'GPUActive', 'GPUReclaim']);
    expect(ours.filter((n) => !optional.has(n!))).toEqual(real.filter((n) => !optional.has(n!)));
  });
});
