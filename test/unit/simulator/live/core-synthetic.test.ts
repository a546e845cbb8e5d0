// readCore on small synthetic cores (a 64-bit kernel prints a 32-bit task's maps with the same
// column padding as a 64-bit one's): the i386 layouts, producers, names, and hostile input.
import { describe, expect, it } from 'vitest';
import { ElfError } from '../../../../simulator/elf/errors';
import { MemoryFileAccess } from '../../../../simulator/elf/file-access';
import { readCore, renderCoreMaps } from '../../../../simulator/live/core';
import { NT_AUXV, NT_FILE, NT_PRPSINFO, NT_PRSTATUS, NT_SIGINFO } from '../../../../simulator/live/core-notes';
import { buildCore, concat, fileNote, vdsoImage, words, type SyntheticLoad, type SyntheticNote } from '../../../support/core-builder';

const R = 4;
const W = 2;
const X = 1;
const read = (bytes: Uint8Array) => readCore(new MemoryFileAccess('test.core', bytes));

/** elf_prstatus for i386: pr_cursig at 12, pr_pid at 24, 17 registers at 72, pr_fpvalid: 144 bytes. */
function prstatus32(pid: number, signal: number, regs: Record<string, number>): Uint8Array {
  const out = new Uint8Array(144);
  const v = new DataView(out.buffer);
  v.setUint16(12, signal, true);
  v.setInt32(24, pid, true);
  const order = ['ebx', 'ecx', 'edx', 'esi', 'edi', 'ebp', 'eax', 'ds', 'es', 'fs', 'gs', 'orig_eax', 'eip', 'cs', 'eflags', 'esp', 'ss'];
  order.forEach((name, i) => v.setUint32(72 + i * 4, regs[name] ?? 0, true));
  return out;
}

/** elf_prpsinfo for i386 (124 bytes: 16-bit uid and gid). */
function prpsinfo32(pid: number, fname: string, psargs: string): Uint8Array {
  const out = new Uint8Array(124);
  const v = new DataView(out.buffer);
  out[1] = 'R'.charCodeAt(0);
  v.setUint16(8, 1000, true);
  v.setUint16(10, 100, true);
  v.setInt32(12, pid, true);
  out.set(new TextEncoder().encode(fname), 28);
  out.set(new TextEncoder().encode(psargs), 44);
  return out;
}

function siginfo(signo: number, code: number, addr: bigint, is64: boolean): Uint8Array {
  const out = new Uint8Array(128);
  const v = new DataView(out.buffer);
  v.setInt32(0, signo, true);
  v.setInt32(8, code, true);
  if (is64) v.setBigUint64(16, addr, true);
  else v.setUint32(12, Number(addr), true);
  return out;
}

const I386_LOADS: SyntheticLoad[] = [
  { vaddr: 0x8048000n, memsz: 0x1000n, flags: R },
  { vaddr: 0x8049000n, memsz: 0x1000n, flags: R | X },
  { vaddr: 0x804a000n, memsz: 0x1000n, filesz: 0x1000n, flags: R | W },
  { vaddr: 0x9000000n, memsz: 0x21000n, flags: R | W },
  { vaddr: 0xf7ffc000n, memsz: 0x2000n, flags: R },
  { vaddr: 0xf7ffe000n, memsz: 0x1000n, flags: R | X },
  { vaddr: 0xfffdd000n, memsz: 0x21000n, flags: R | W },
];

function i386Core(): Uint8Array {
  const notes: SyntheticNote[] = [
    { type: NT_PRSTATUS, desc: prstatus32(42, 11, { eip: 0x8049010, esp: 0xffffd000 }) },
    { type: NT_PRPSINFO, desc: prpsinfo32(42, 'crash32', './crash32 a b') },
    { type: NT_SIGINFO, desc: siginfo(11, 2, 0x804a010n, false) },
    { type: NT_AUXV, desc: words(4, [33, 0xf7ffe000, 3, 0x8048034, 25, 0xffffdf00, 0, 0]) },
    {
      type: NT_FILE,
      desc: fileNote(4, 4096, [
        { start: 0x8048000n, end: 0x8049000n, pgoff: 0n, path: '/bin/crash32' },
        { start: 0x8049000n, end: 0x804a000n, pgoff: 1n, path: '/bin/crash32' },
        { start: 0x804a000n, end: 0x804b000n, pgoff: 2n, path: '/bin/crash32' },
      ]),
    },
  ];
  return buildCore({ is64: false, loads: I386_LOADS, notes });
}

describe('readCore: i386 (ELFCLASS32) cores', () => {
  it('reads the 32-bit prstatus, prpsinfo, siginfo, auxv and NT_FILE layouts', async () => {
    const dump = await read(i386Core());
    expect(dump.machine).toBe('i386');
    expect(dump.producer).toBe('kernel');
    expect(dump.threads[0]).toMatchObject({ tid: 42, signal: 11 });
    expect(dump.threads[0]?.registers).toMatchObject({ eip: '0x8049010', esp: '0xffffd000' });
    expect(dump.process).toMatchObject({ pid: 42, uid: 1000, gid: 100, fname: 'crash32', psargs: './crash32 a b', state: 'R' });
    expect(dump.signal).toMatchObject({ name: 'SIGSEGV', codeName: 'SEGV_ACCERR', addr: '0x804a010' });
    expect(dump.regions[dump.faultAddress?.region ?? -1]?.perms).toBe('rw-p');
    expect(dump.regions[dump.crash?.region ?? -1]?.perms).toBe('r-xp');
    expect(renderCoreMaps(dump)).toBe(
      [
        '08048000-08049000 r--p 00000000 00:00 0          /bin/crash32',
        '08049000-0804a000 r-xp 00001000 00:00 0          /bin/crash32',
        '0804a000-0804b000 rw-p 00002000 00:00 0          /bin/crash32',
        '09000000-09021000 rw-p 00000000 00:00 0          [heap]',
        'f7ffc000-f7ffe000 r--p 00000000 00:00 0          [vvar]',
        'f7ffe000-f7fff000 r-xp 00000000 00:00 0          [vdso]',
        'fffdd000-ffffe000 rw-p 00000000 00:00 0          [stack]',
        '',
      ].map((l) => (l ? `${l.slice(0, l.indexOf(' 0 ') + 3).padEnd(72)} ${l.slice(l.lastIndexOf(' ') + 1)}` : l)).join('\n'),
    );
  });
});

describe('readCore: producers and names', () => {
  it('a gcore-style core: NT_FILE-only regions, guessed permissions, [vvar] inferred below [vdso]', async () => {
    const notes: SyntheticNote[] = [
      { type: NT_AUXV, desc: words(8, [33, 0x7fff0000n, 0, 0]) },
      { type: NT_FILE, desc: fileNote(8, 1, [{ start: 0x400000n, end: 0x401000n, pgoff: 0n, path: '/gone' }, { start: 0x401000n, end: 0x402000n, pgoff: 0x1000n, path: '/gone' }]) },
    ];
    const loads: SyntheticLoad[] = [
      { vaddr: 0x400000n, memsz: 0x1000n, flags: R, align: 1n },
      { vaddr: 0x7ffe0000n, memsz: 0x1000n, flags: R, align: 1n },
      { vaddr: 0x7fff0000n, memsz: 0x2000n, flags: R | X, align: 1n },
    ];
    const dump = await read(buildCore({ is64: true, loads, notes }));
    expect(dump.producer).toBe('gdb');
    expect(dump.regions.map((r) => `${r.start} ${r.perms} ${r.offset} ${r.path ?? r.name ?? ''} ${r.permsSource}`)).toEqual([
      '0x400000 r--p 0x0 /gone core-guess',
      '0x401000 r--p 0x1000 /gone guess',
      '0x7ffe0000 ---p 0x0  core-guess',
      '0x7ffea000 r--p 0x0 [vvar] guess',
      '0x7ffee000 r--p 0x0 [vvar_vclock] guess',
      '0x7fff0000 r-xp 0x0 [vdso] core',
    ]);
  });

  it('gcore: the [vvar] regions follow the kernel release in the vDSO\'s version note', async () => {
    const layout = async (major: number, minor: number) => {
      const loads: SyntheticLoad[] = [{ vaddr: 0x7fff0000n, memsz: 0x2000n, flags: R | X, align: 1n, bytes: vdsoImage(major, minor, 3) }];
      const notes: SyntheticNote[] = [{ type: NT_AUXV, desc: words(8, [33, 0x7fff0000n, 0, 0]) }, { type: NT_FILE, desc: fileNote(8, 1, [{ start: 0x400000n, end: 0x401000n, pgoff: 0n, path: '/gone' }]) }];
      const dump = await read(buildCore({ is64: true, loads, notes }));
      expect(dump.kernelVersion).toBe(`${major}.${minor}.3`);
      return dump.regions.filter((r) => r.name?.startsWith('[vvar')).map((r) => `${r.start}-${r.end} ${r.name}`);
    };
    expect(await layout(6, 18)).toEqual(['0x7ffea000-0x7ffee000 [vvar]', '0x7ffee000-0x7fff0000 [vvar_vclock]']);
    expect(await layout(6, 13)).toEqual(['0x7ffec000-0x7ffee000 [vvar]', '0x7ffee000-0x7fff0000 [vvar_vclock]']);
    expect(await layout(6, 1)).toEqual(['0x7ffec000-0x7fff0000 [vvar]']);
  });

  it('[heap]: above the program, past its bss, or above ELF_ET_DYN_BASE for a static-pie program', async () => {
    const heapOf = async (atBase: bigint, programAt: bigint, anon: bigint[]) => {
      const loads: SyntheticLoad[] = [{ vaddr: programAt, memsz: 0x1000n, flags: R | X }, ...anon.map((vaddr) => ({ vaddr, memsz: 0x1000n, flags: R | W }))];
      const notes: SyntheticNote[] = [
        { type: NT_AUXV, desc: words(8, [3, programAt + 0x40n, 7, atBase, 0, 0]) },
        { type: NT_FILE, desc: fileNote(8, 4096, [{ start: programAt, end: programAt + 0x1000n, pgoff: 0n, path: '/prog' }]) },
      ];
      const dump = await read(buildCore({ is64: true, loads, notes }));
      return dump.regions.find((r) => r.name === '[heap]')?.start;
    };
    // PIE with ld.so, ASLR on: the bss right after the program, the heap further up.
    expect(await heapOf(0x7f0000000000n, 0x555555554000n, [0x555555555000n, 0x555560000000n])).toBe('0x555560000000');
    // ASLR off: only the region right after the program (the bss grown by brk).
    expect(await heapOf(0x7f0000000000n, 0x555555554000n, [0x555555555000n])).toBe('0x555555555000');
    // static-pie (AT_BASE 0) loaded high: brk starts at ELF_ET_DYN_BASE.
    expect(await heapOf(0n, 0x7f0000000000n, [0x555560000000n, 0x7f0000001000n])).toBe('0x555560000000');
    // With an interpreter, a region near ELF_ET_DYN_BASE is not the heap of a program loaded high.
    expect(await heapOf(0x7f1000000000n, 0x7f0000000000n, [0x555560000000n, 0x7f0000001000n])).toBe('0x7f0000001000');
  });

  it('without NT_AUXV pointers into the stack, [stack] comes from the main thread\'s rsp', async () => {
    const regs = new Uint8Array(336);
    new DataView(regs.buffer).setInt32(32, 7, true);
    new DataView(regs.buffer).setBigUint64(112 + 19 * 8, 0x7ffff000n, true);
    const dump = await read(buildCore({ is64: true, loads: [{ vaddr: 0x7fff0000n, memsz: 0x10000n, flags: R | W }], notes: [{ type: NT_PRSTATUS, desc: regs }] }));
    expect(dump.regions[0]?.name).toBe('[stack]');
    expect(dump.notes.some((n) => n.includes('stack pointer'))).toBe(true);
  });
});

describe('readCore: hostile cores give one-line errors or warnings', () => {
  const expectElfError = async (bytes: Uint8Array, pattern: RegExp) => {
    const error = await read(bytes).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ElfError);
    expect((error as Error).message).toMatch(pattern);
    expect((error as Error).message).not.toContain('\n');
  };

  it('not a core, another machine', async () => {
    const exec = buildCore({ is64: true, loads: [], notes: [] });
    exec[16] = 2;
    await expectElfError(exec, /e_type: 2 is not ET_CORE \(4\)/);
    await expectElfError(buildCore({ is64: true, loads: [], notes: [], machine: 183 }), /e_machine: a 64-bit core of machine 183/);
  });

  it('an NT_FILE count far past the note is a warning, the PT_LOADs still read', async () => {
    const desc = concat(words(8, [1n << 60n, 4096]), new Uint8Array(24));
    const dump = await read(buildCore({ is64: true, loads: [{ vaddr: 0x1000n, memsz: 0x1000n, flags: R }], notes: [{ type: NT_FILE, desc }] }));
    expect(dump.warnings.join()).toMatch(/NT_FILE count: 1152921504606846976 files need 0x[0-9a-f]+ bytes but the note has 0x28/);
    expect(dump.regions).toHaveLength(1);
  });

  it('overlapping and wrapping PT_LOADs are cut, with a warning', async () => {
    const loads: SyntheticLoad[] = [
      { vaddr: 0x1000n, memsz: 0x3000n, flags: R },
      { vaddr: 0x2000n, memsz: 0x3000n, flags: R | W },
      { vaddr: 0xfffffffffffff000n, memsz: 0x2000n, flags: R },
    ];
    const dump = await read(buildCore({ is64: true, loads, notes: [] }));
    expect(dump.regions.map((r) => `${r.start}-${r.end}`)).toEqual(['0x1000-0x4000', '0x4000-0x5000', '0xfffffffffffff000-0x10000000000000000']);
    expect(dump.warnings.join('\n')).toMatch(/1 PT_LOAD segments overlap earlier ones[\s\S]*1 ranges end past the top/);
  });

  it('a short NT_PRSTATUS is a warning naming the field', async () => {
    const dump = await read(buildCore({ is64: true, loads: [], notes: [{ type: NT_PRSTATUS, desc: new Uint8Array(100) }] }));
    expect(dump.threads).toEqual([]);
    expect(dump.warnings[0]).toMatch(/^NT_PRSTATUS at offset 0x[0-9a-f]+: offset 0x[0-9a-f]+: NT_PRSTATUS pr_(pid|cursig|reg\.r15): needs/);
  });
});
