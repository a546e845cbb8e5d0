// Overcommit (mm/util.c __vm_enough_memory), VM_ACCOUNT and Committed_AS, through scenarios.
import { describe, expect, it } from 'vitest';
import { committedPages } from '../../../../simulator/mm/commit';
import { parseScenario } from '../../../../simulator/scenario/parser';
import { failureOf, results, run, STATIC } from '../../../support/static-run';

describe('vm.overcommit_memory=0 (heuristic)', () => {
  it('refuses one writable private or shared anonymous request larger than RAM + swap; read-only is not charged', async () => {
    const r = await run(`set ram 64M\nset swap 0\nP = exec ${STATIC}\nA = mmap P 1G rw- private anon\nB = mmap P 1G rw- shared anon\nC = mmap P 1G r-- private anon\nD = mmap P 64M rw- private anon\nE = mmap P 1G rw- private anon noreserve`);
    expect(results(r)).toEqual(['ok', 'ok', 'ok', 'ENOMEM', 'ENOMEM', 'ok', 'ok', 'ok']);
    expect(failureOf(r, 4)).toBe('mmap failed with ENOMEM: overcommit: 1 GiB requested, RAM + swap is 64 MiB');
  });

  it('counts swap in the limit', async () => {
    const r = await run(`set ram 64M\nset swap 64M\nP = exec ${STATIC}\nA = mmap P 127M rw- private anon\nB = mmap P 129M rw- private anon`);
    expect(results(r).slice(3)).toEqual(['ok', 'ENOMEM']);
  });

  it('brk by more than RAM + swap fails and the break stays', async () => {
    const r = await run(`set ram 64M\nP = exec ${STATIC}\nbrk P +102400G\nshow maps P`);
    expect(results(r)[2]).toBe('ENOMEM');
    expect(failureOf(r, 3)).toMatch(/^brk failed with ENOMEM: overcommit: 100 TiB requested, RAM \+ swap is 64 MiB; the break stays at 0x[0-9a-f]+$/);
    const state = r.stateAfter(2);
    const task = state.kernel.tasks.get('P')!;
    expect(task.mm.layout.brk).toBe(task.mm.layout.startBrk);
  });
});

describe('vm.overcommit_memory=1 and 2', () => {
  it('mode 1 grants anything that fits in the address space', async () => {
    const r = await run(`set ram 64M\nset overcommit 1\nP = exec ${STATIC}\nA = mmap P 1024G rw- private anon\nB = mmap P 1024G rw- shared anon`);
    expect(results(r)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
  });

  it('mode 2 refuses when Committed_AS would reach CommitLimit (ratio 50: half the RAM); noreserve does not help', async () => {
    const r = await run(`set ram 64M\nset overcommit 2\nP = exec ${STATIC}\nA = mmap P 12M rw- private anon\nB = mmap P 12M rw- private anon\nC = mmap P 12M rw- private anon noreserve\nD = mmap P 12M r-- private anon\nset overcommit_ratio 100\nE = mmap P 12M rw- private anon`);
    expect(results(r)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ENOMEM', 'ok', 'ok', 'ok']);
    expect(failureOf(r, 6)).toMatch(/^mmap failed with ENOMEM: overcommit: 12 MiB requested, Committed_AS would be [\d.]+ MiB, CommitLimit is 32 MiB/);
  });

  it('mode 2: mprotect to writable charges, munmap uncharges, fork charges the copy', async () => {
    const r = await run(`set ram 64M\nset overcommit 2\nP = exec ${STATIC}\nA = mmap P 20M r-- private anon\nmprotect P A rw-\nmunmap P A\nB = mmap P 20M rw- private anon\nQ = fork P\nmunmap P B\nQ2 = fork P`);
    expect(results(r)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ENOMEM', 'ok', 'ok']);
  });

  it('overcommit_kbytes replaces the ratio', async () => {
    const r = await run(`set ram 64M\nset overcommit 2\nset overcommit_kbytes 8192\nP = exec ${STATIC}\nA = mmap P 9M rw- private anon`);
    expect(results(r)[4]).toBe('ENOMEM');
  });
});

describe('Committed_AS', () => {
  it('is what the VM_ACCOUNT VMAs and the shmem objects cover, before and after munmap, fork and exit', async () => {
    const r = await run(`P = exec ${STATIC}\nA = mmap P 1M rw- private anon\nB = mmap P 2M rw- shared anon\nC = mmap P 4M r-- private anon\nQ = fork P\nmunmap P B\nexit Q\nmunmap P A`);
    const committed = (i: number) => committedPages(r.stateAfter(i).kernel);
    const base = committed(0);
    expect(committed(1) - base).toBe(256);
    expect(committed(2) - base).toBe(256 + 512);
    expect(committed(3) - base).toBe(256 + 512);
    // The child's copy of P's accounted VMAs (the static binary's data, bss, stack, and A).
    expect(committed(4) - committed(3)).toBe(base + 256);
    // B is still mapped in Q: the shmem object stays charged.
    expect(committed(5)).toBe(committed(4) - 0);
    // Q exits: B's last mapping goes, with its charge and Q's VMAs.
    expect(committed(6)).toBe(base + 256);
    expect(committed(7)).toBe(base);
  });

  it('noreserve mappings are not charged and show nr in VmFlags', async () => {
    const r = await run(`P = exec ${STATIC}\nA = mmap P 1M rw- private anon noreserve\nshow smaps P A`);
    expect(committedPages(r.stateAfter(1).kernel)).toBe(committedPages(r.stateAfter(0).kernel));
    expect(r.steps[2]!.output).toMatch(/VmFlags: rd wr mr mw me nr \n/);
  });
});

describe('parsing', () => {
  const errors = (text: string) => parseScenario(text, 's.aspace').diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
  it('checks the values as the sysctl handlers do', () => {
    expect(errors('set overcommit 3')).toEqual([`expected 0 (heuristic), 1 (always) or 2 (never: strict accounting) for vm.overcommit_memory, found '3'`]);
    expect(errors('set overcommit_ratio -1')[0]).toMatch(/negative/);
    expect(errors('set max_map_count 100\nset overcommit_ratio 80\nset overcommit_kbytes 1024\nset overcommit 2')).toEqual([]);
  });
});

describe('execve under vm.overcommit_memory=2 (mm/exec-commit.ts; the live differential is in limits-live.test.ts)', () => {
  it('no room for the new stack\'s first page: execve fails with ENOMEM and the exec\'ing process goes on as it was', async () => {
    const r = await run(`set ram 64M\nset swap 0\nset overcommit 2\nset overcommit_ratio 0\nP = exec ${STATIC}\nshow maps P`);
    expect(results(r)[4]).toBe('ENOMEM');
    expect(failureOf(r, 5)).toBe('execve failed with ENOMEM: overcommit: 4 KiB requested, Committed_AS would be 4 KiB, CommitLimit is 0 bytes (vm.overcommit_memory=2) (bprm_mm_init: the new stack\'s first page)');
    expect(r.steps[5]!.notes).toContain('no process named P');
    // P, running, execs again with the room taken: it stays, with its mapping.
    const again = await run(`set ram 64M\nset swap 0\nset overcommit 2\nP = exec ${STATIC}\nA = mmap P 31M rw- private anon\nset overcommit_ratio 0\nP = exec ${STATIC}\nshow maps P`);
    expect(results(again).slice(3, 7)).toEqual(['ok', 'ok', 'ok', 'ENOMEM']);
    expect(again.steps[7]!.output).toMatch(/^[0-9a-f]+-[0-9a-f]+ rw-p 00000000 00:00 0 *$/m);
  });

  it('room for the first page only: the exec fails past the point of no return and SIGSEGV kills the process', async () => {
    const head = `set ram 64M\nset swap 0\nset overcommit 2\nP = exec ${STATIC}\nA = mmap P 16M rw- private anon`;
    // CommitLimit two pages above Committed_AS: the first stack page fits, the grown stack does not.
    const committed = committedPages((await run(head)).stateAfter(4).kernel);
    const r = await run(`${head}\nset overcommit_kbytes ${(committed + 2) * 4}\nQ = exec ${STATIC}\nread Q stack`);
    const q = r.steps[6]!.events?.find((e) => e.kind === 'killed');
    expect(q?.message).toMatch(/^Q \(pid \d+\) killed by SIGSEGV \(si_code SI_KERNEL, si_addr 0x0, error 0\): execve failed past the point of no return, mapping /);
    expect(r.steps[7]!.notes[0]).toMatch(/^Q was killed by SIGSEGV at line 7: statement skipped$/);
    expect(committedPages(r.stateAfter(7).kernel)).toBe(committedPages(r.stateAfter(5).kernel));
  });
});

