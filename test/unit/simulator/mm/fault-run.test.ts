// accessRun (mm/fault-run.ts) takes a range's pages in runs; userAccess takes them one by one. Both
// must leave the same machine (frames, LRU lists, buddy lists, swap, page tables, RSS) and record the
// same faults, through reclaim, an allocation failure, copy-on-write, reuse and the zero page.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioFilesOnDisk } from '../../../../simulator/cli/node-file-access';
import { userAccess, type Access } from '../../../../simulator/mm/fault';
import { FaultLog } from '../../../../simulator/mm/fault-log';
import { accessRun } from '../../../../simulator/mm/fault-run';
import { OutOfMemory, type Kernel, type Task } from '../../../../simulator/mm/kernel';
import { runScenario } from '../../../../simulator/scenario/run';
import type { ScenarioState } from '../../../../simulator/scenario/state';
import { EXAMPLES } from '../inspect/run-scenario';

const path = resolve(EXAMPLES, 'inline.aspace');

async function stateOf(text: string, forbidsZeroPage = false): Promise<ScenarioState> {
  const outcome = await runScenario(text, path, scenarioFilesOnDisk(path), { host: { forbidsZeroPage } });
  if (!outcome.ok) throw new Error(outcome.diagnostics.map((d) => d.message).join('\n'));
  return outcome.run.stateAfter(outcome.run.statements.length - 1).clone();
}

/** A region's pages, as the scenario named it. */
function pagesOf(state: ScenarioState, name: string): [number, number] {
  const region = state.regions.get(name);
  if (!region) throw new Error(`no region ${name}`);
  return [Number(region.start >> 12n), Number(region.end >> 12n)];
}

/** Page by page, as userAccess takes each; stops at an allocation failure. */
function onePageAtATime(k: Kernel, task: Task, from: number, to: number, access: Access): FaultLog {
  const log = new FaultLog();
  try {
    for (let vpn = from; vpn < to; vpn++) {
      const fault = userAccess(k, task, BigInt(vpn) << 12n, access);
      if (fault.kind !== 'hit') log.push({ ...fault, process: task.name });
    }
  } catch (error) {
    if (!(error instanceof OutOfMemory)) throw error;
  }
  return log;
}

/** In runs of one leaf table, as accessRange takes them (userAccess where a run stops); stops at an allocation failure. */
function inRuns(k: Kernel, task: Task, from: number, to: number, access: Access): FaultLog {
  const log = new FaultLog();
  const done = new Int32Array(1);
  const sink = { record: (vpn: number, count: number, errorCode: number, outcome: Parameters<FaultLog['add']>[3]) => log.addPages(vpn, count, access, errorCode, outcome, task.name) };
  try {
    for (let vpn = from; vpn < to; ) {
      const vma = task.mm.findVma(BigInt(vpn) << 12n);
      const taken = vma ? accessRun(k, task, vma, vpn, Math.min(to, Number(vma.end >> 12n), vpn - (vpn % 512) + 512), access, sink, done) : 0;
      if (taken) {
        vpn += taken;
        continue;
      }
      const fault = userAccess(k, task, BigInt(vpn) << 12n, access);
      if (fault.kind !== 'hit') log.push({ ...fault, process: task.name });
      vpn++;
    }
  } catch (error) {
    if (!(error instanceof OutOfMemory)) throw error;
  }
  return log;
}

/** What the machine holds, without lookup caches. */
function machine(k: Kernel) {
  const tasks = [...k.tasks].map(([name, task]) => {
    const tables: unknown[] = [];
    task.pt.forEachTableIn(0, 2 ** 35, (t, base) => tables.push({ base, flags: [...t.flags], value: [...t.value], used: t.used, pmd: t.pmd }));
    return { name, rss: { ...task.rss }, tables };
  });
  return { phys: k.phys, swap: k.swap, tasks };
}

async function expectSameBothWays(text: string, process: string, region: string, access: Access, forbidsZeroPage = false): Promise<number> {
  const state = await stateOf(text, forbidsZeroPage);
  // A random history may have killed the process (the OOM killer) or failed the region's mmap.
  const live = state.kernel.tasks.get(process);
  const named = state.regions.get(region);
  if (!live || live.exited || live.death || !named || named.failed) return -1;
  const [a, b] = [state.clone(), state.clone()];
  const [from, to] = pagesOf(state, region);
  const slow = onePageAtATime(a.kernel, a.kernel.tasks.get(process) as Task, from, to, access);
  const fast = inRuns(b.kernel, b.kernel.tasks.get(process) as Task, from, to, access);
  expect(fast.toArray()).toEqual(slow.toArray());
  expect(machine(b.kernel)).toEqual(machine(a.kernel));
  return slow.length;
}

describe('accessRun takes a range as userAccess takes each page', () => {
  const anon = (size: string) => `P = exec hello/hello\nA = mmap P ${size} rw- private anon\nwrite P A 0 4K`;

  it('writes new anonymous pages across leaf tables', async () => {
    expect(await expectSameBothWays(anon('3M'), 'P', 'A', 'write')).toBe(767);
  });

  it('reads: the zero page, or new pages where the zero page is forbidden', async () => {
    expect(await expectSameBothWays(anon('1M'), 'P', 'A', 'read')).toBe(255);
    expect(await expectSameBothWays(anon('1M'), 'P', 'A', 'read', true)).toBe(255);
  });

  it('copies on write in a fork child, and reuses in the parent once the child is gone', async () => {
    const forked = `${anon('1M')}\nwrite P A\nQ = fork P`;
    expect(await expectSameBothWays(forked, 'Q', 'A', 'write')).toBe(256);
    // The first half was copied by the child, and the parent is its pages' only user again: reused.
    expect(await expectSameBothWays(`${forked}\nwrite Q A 0 512K\nexit Q`, 'P', 'A', 'write')).toBe(256);
    // The child's PTEs are old (copy_present_ptes: pte_mkold): reusing its pages sets their accessed bits.
    expect(await expectSameBothWays(`${forked}\nexit P`, 'Q', 'A', 'write')).toBe(256);
  });

  it('writes through reclaim (kswapd swaps pages out while the run allocates)', async () => {
    const tight = `set ram 24M\nset swap 64M\nP = exec hello/hello\nB = mmap P 12M rw- private anon\nwrite P B\nA = mmap P 8M rw- private anon\nwrite P A 0 4K`;
    expect(await expectSameBothWays(tight, 'P', 'A', 'write')).toBeGreaterThan(1000);
  });

  it('stops where an allocation fails, with the pages before it mapped and counted', async () => {
    const full = `set ram 16M\nset overcommit 1\nP = exec hello/hello\nA = mmap P 32M rw- private anon\nwrite P A 0 4K`;
    expect(await expectSameBothWays(full, 'P', 'A', 'write')).toBeGreaterThan(100);
  });

  it('takes pages of every kind in one range: present, swapped out, locked and huge ones go their own way', async () => {
    const mixed = `set swap 64M\nset thp always\nP = exec hello/hello\nA = mmap P 6M rw- private anon\nwrite P A 0 1M\nQ = fork P\nwrite P A 2M 2M\nmadvise P A 0 512K pageout\nmlock P A 4M 64K\nread P A 1M 1M`;
    expect(await expectSameBothWays(mixed, 'Q', 'A', 'write')).toBeGreaterThan(256);
    expect(await expectSameBothWays(mixed, 'P', 'A', 'write')).toBeGreaterThan(256);
  });

  it('agrees on random histories: mappings, accesses, forks, madvise, mprotect, munmap and a small RAM', async () => {
    let seed = 0x13;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const pick = <T>(items: readonly T[]): T => items[random(items.length)]!;
    let compared = 0;
    for (let round = 0; round < 12; round++) {
      const lines = [`set ram ${pick(['12M', '32M', '256M'])}`, 'set swap 32M', `set thp ${pick(['never', 'madvise', 'always'])}`, 'P = exec hello/hello'];
      lines.push(`A = mmap P ${pick(['1M', '2M', '4M', '6M'])} ${pick(['rw-', 'rw-', 'r--'])} private anon`, 'B = mmap P 1M rw- private anon');
      const processes = ['P'];
      for (let step = 0; step < 8; step++) {
        const p = pick(processes);
        const region = pick(['A', 'B']);
        const at = `${random(16) * 64}K ${(1 + random(8)) * 32}K`;
        const op = random(9);
        if (op < 3) lines.push(`${pick(['write', 'write', 'read'])} ${p} ${region} ${at}`);
        else if (op === 3 && processes.length < 3) {
          const child = `Q${step}`;
          lines.push(`${child} = fork ${p}`);
          processes.push(child);
        } else if (op === 4) lines.push(`madvise ${p} ${region} ${at} ${pick(['pageout', 'dontneed', 'free', 'cold', 'hugepage'])}`);
        else if (op === 5) lines.push(`mprotect ${p} ${region} ${at} ${pick(['r--', 'rw-'])}`);
        else if (op === 6) lines.push(`mlock ${p} ${region} ${at}`);
        else lines.push(`write ${p} ${region} ${at}`);
      }
      // Every process writes, then reads, its regions both ways (where it and they still exist).
      for (const process of processes) {
        for (const [region, access] of [['A', 'write'], ['B', 'read']] as const) {
          const text = lines.join('\n');
          const faults = await expectSameBothWays(text, process, region, access, random(2) === 0).catch((error: unknown) => {
            throw new Error(`round ${round}, ${access} ${process} ${region} after:\n${text}\n${String(error)}`);
          });
          if (faults > 0) compared++;
        }
      }
    }
    // Most histories leave something to fault in both ways (a kill or a failed mmap skips one).
    expect(compared).toBeGreaterThan(12);
  });
});
