// RLIMIT_STACK, RLIMIT_AS and RLIMIT_MEMLOCK in the simulator (the differential checks of AS and DATA
// are in limits-live.test.ts): stack growth past RLIMIT_STACK is SIGSEGV (acct_stack_growth).
import { describe, expect, it } from 'vitest';
import { memlockRlimit, rlimit } from '../../../../simulator/mm/rlimit';
import { parseScenario } from '../../../../simulator/scenario/parser';
import { results, run, STATIC } from '../../../support/static-run';

describe('RLIMIT_STACK', () => {
  it('the stack grows within the limit, and a fault past it kills the process with SIGSEGV', async () => {
    const r = await run(`P = exec ${STATIC}\nwrite P 0x7fffffbff000\nexpect P stack Size=4096K\nset rlimit P stack 1M\nwrite P 0x7fffffbfe000\nexpect P killed SIGSEGV`);
    expect(r.failures).toEqual([]);
    expect(r.steps[1]!.faults.at(0)?.explanation).toMatch(/^the stack grew down to 0x7fffffbff000/);
    expect(r.steps[4]!.faults.at(0)?.explanation).toMatch(/RLIMIT_STACK/);
  });

  it('the default is 8 MiB; RLIMIT_AS also bounds stack growth', async () => {
    const r = await run(`P = exec ${STATIC}\nwrite P 0x7fffff7ff000\nexpect P stack Size=8192K\nwrite P 0x7fffff7fe000\nexpect P killed SIGSEGV\nQ = exec ${STATIC}\nset rlimit Q as 856K\nwrite Q 0x7ffffffdd000\nwrite Q 0x7ffffffdc000\nexpect Q killed SIGSEGV`);
    expect(r.failures).toEqual([]);
    expect(r.steps[3]!.faults.at(0)?.explanation).toMatch(/^a stack of 8196 KiB would exceed RLIMIT_STACK \(8 MiB\)/);
    expect(r.steps[8]!.faults.at(0)?.explanation).toMatch(/^RLIMIT_AS: the address space would be/);
  });
});

describe('set rlimit', () => {
  it('is per process, inherited by fork, and read by mlock through memlockRlimit', async () => {
    const r = await run(`P = exec ${STATIC}\nset rlimit P memlock 64K\nset rlimit P as unlimited\nQ = fork P\nset rlimit Q memlock unlimited`);
    const k = r.stateAfter(4).kernel;
    expect(memlockRlimit(k.tasks.get('P')!)).toBe(65536n);
    expect(memlockRlimit(k.tasks.get('Q')!)).toBeUndefined();
    expect(rlimit(k.tasks.get('Q')!, 'stack')).toBe(8n << 20n);
    expect(memlockRlimit(r.stateAfter(3).kernel.tasks.get('Q')!)).toBe(65536n);
  });

  it('RLIMIT_AS refuses mmap and brk with ENOMEM, and says which limit', async () => {
    const r = await run(`P = exec ${STATIC}\nset rlimit P as 64M\nA = mmap P 64M r-- private anon\nbrk P +64M`);
    expect(results(r).slice(2)).toEqual(['ENOMEM', 'ENOMEM']);
    expect(r.steps[2]!.events?.[0]?.message).toMatch(/^mmap failed with ENOMEM: RLIMIT_AS: the address space would be [\d.]+ MiB, the limit is 64 MiB$/);
  });

  it('reports bad operands with the usage', () => {
    const errors = (text: string) => parseScenario(`P = exec x\n${text}`, 's.aspace').diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
    expect(errors('set rlimit P nofile 10')).toEqual([`unknown resource 'nofile'; expected 'as', 'data', 'stack' or 'memlock' (RLIMIT_AS, RLIMIT_DATA, RLIMIT_STACK, RLIMIT_MEMLOCK)`]);
    expect(errors('set rlimit P stack')[0]).toMatch(/^expected a size or 'unlimited', found end of line \(usage: set rlimit P as\|data\|stack\|memlock SIZE\|unlimited\)$/);
    expect(errors('set rlimit Z as 1G')[0]).toMatch(/^process 'Z' is not defined/);
    expect(errors('set rlimit P as 1G\nset rlimit P data unlimited')).toEqual([]);
  });
});
