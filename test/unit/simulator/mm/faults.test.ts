// The x86 page-fault error codes and si_codes the kernel reported for each kind
// of bad access (kernel-reference.md F, observed on Linux 6.18).
import { describe, expect, it } from 'vitest';
import { userAccess } from '../../../../simulator/mm/fault';
import { Kernel, type Task } from '../../../../simulator/mm/kernel';
import { MmStruct } from '../../../../simulator/mm/mm-struct';
import { doMmap, doMunmap } from '../../../../simulator/mm/syscalls';
import { PROT_READ, PROT_WRITE } from '../../../../simulator/mm/vm-flags';

function newTask(): { k: Kernel; task: Task } {
  const k = new Kernel({ ramBytes: 64 << 20, swapBytes: 0, pkeys: false, forbidsZeroPage: false });
  const mm = new MmStruct({ mmapBase: 0x7ffff7fff000n, taskSize: 0x7ffffffff000n });
  const task: Task = { name: 'P', pid: 1, mm, pt: k.newPageTable(), rss: { file: 0, anon: 0, shmem: 0, swapEnts: 0 }, hiwaterRss: 0, hiwaterVm: 0, exited: false, program: 'test', createdAt: 0 };
  k.tasks.set('P', task);
  return { k, task };
}

const mmap = (k: Kernel, task: Task, prot: number) => doMmap(k, task, 0x4000n, prot, false, undefined, 0n, 1, 'A').start;

describe('fault error codes match the kernel', () => {
  const cases: [string, (k: Kernel, t: Task) => [bigint, 'read' | 'write' | 'exec'], number, string][] = [
    ['read NULL', () => [0n, 'read'], 0x4, 'SEGV_MAPERR'],
    ['write NULL', () => [0n, 'write'], 0x6, 'SEGV_MAPERR'],
    ['exec NULL', () => [0n, 'exec'], 0x14, 'SEGV_MAPERR'],
    ['write PROT_READ, not present', (k, t) => [mmap(k, t, PROT_READ), 'write'], 0x6, 'SEGV_ACCERR'],
    ['write PROT_READ, present', (k, t) => { const a = mmap(k, t, PROT_READ); userAccess(k, t, a, 'read'); return [a, 'write']; }, 0x7, 'SEGV_ACCERR'],
    ['read PROT_NONE', (k, t) => [mmap(k, t, 0), 'read'], 0x4, 'SEGV_ACCERR'],
    ['exec RW page', (k, t) => [mmap(k, t, PROT_READ | PROT_WRITE), 'exec'], 0x15, 'SEGV_ACCERR'],
    ['munmapped address', (k, t) => { const a = mmap(k, t, PROT_READ); doMunmap(k, t, a, a + 0x4000n); return [a, 'read']; }, 0x4, 'SEGV_MAPERR'],
    ['vsyscall read', () => [0xffffffffff600000n, 'read'], 0x5, 'SEGV_MAPERR'],
    ['kernel address write', () => [0xffffffff81000000n, 'write'], 0x7, 'SEGV_MAPERR'],
  ];
  for (const [what, setup, errorCode, code] of cases) {
    it(what, () => {
      const { k, task } = newTask();
      const [address, access] = setup(k, task);
      const fault = userAccess(k, task, address, access);
      expect(fault.signal).toEqual({ signal: 'SIGSEGV', code });
      expect(fault.errorCode).toBe(errorCode);
    });
  }

  it('a non-canonical address is a #GP: SI_KERNEL with address 0', () => {
    const { k, task } = newTask();
    const fault = userAccess(k, task, 0x0000800000000000n, 'read');
    expect(fault.signal?.code).toBe('SI_KERNEL');
    expect(fault.address).toBe(0n);
  });

  it('an exec fault on a readable page maps it first (the zero page), then hits NX', () => {
    const { k, task } = newTask();
    const a = mmap(k, task, PROT_READ | PROT_WRITE);
    expect(userAccess(k, task, a, 'exec').errorCode).toBe(0x15);
  });
});
