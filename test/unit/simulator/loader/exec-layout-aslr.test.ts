// ASLR: the kernel's random values are read back from real randomized
// processes and fed to the simulator, which must then print the same maps.
// This checks every address that depends on them (PIE base, mmap_base, the
// interpreter and vdso below it, the stack top) and the entropy ranges.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NodeFileSystem } from '../../../../simulator/cli/node-file-access';
import { execve } from '../../../../simulator/loader/binfmt-elf';
import type { RandomSource } from '../../../../simulator/loader/randomization';
import { ELF_ET_DYN_BASE, STACK_TOP } from '../../../../simulator/loader/x86-64';
import { renderMaps } from '../../../../simulator/proc/maps';
import { FIXTURE_BIN } from '../../../support/exec-layout';
import { captureMaps, liveKernelAvailable } from '../../../support/live-kernel';

const live = liveKernelAvailable();
/** mmap_base gap with PF_RANDOMIZE and an 8 MiB stack: rlimit + stack random range + guard gap. */
const RANDOM_GAP = 0x800000n + 0x3fffff000n + 0x100000n;

interface Line { start: bigint; end: bigint; name: string }
const parse = (maps: string): Line[] =>
  maps.trim().split('\n').map((l) => {
    const [range = '', , , , , name = ''] = l.split(/\s+/);
    const [s = '0', e = '0'] = range.split('-');
    return { start: BigInt('0x' + s), end: BigInt('0x' + e), name };
  });

/** The get_random_long() values, in the simulator's draw order, that explain a randomized maps text. */
function valuesBehind(maps: string, pie: boolean): bigint[] {
  const lines = parse(maps);
  const stackIndex = lines.findIndex((l) => l.name === '[stack]');
  const stack = lines[stackIndex] as Line;
  const mmapBase = (lines[stackIndex - 1] as Line).end;
  const mmapRnd = (STACK_TOP - RANDOM_GAP - mmapBase) >> 12n;
  const stackRnd = (STACK_TOP - stack.end) >> 12n;
  const values = [mmapRnd, stackRnd, 0n];
  if (pie) values.push(((lines[0] as Line).start - (ELF_ET_DYN_BASE & ~0xfffn)) >> 12n);
  values.push(0n, 0n);
  return values;
}

const scripted = (values: bigint[]): RandomSource => {
  let i = 0;
  return { nextLong: () => values[i++] ?? 0n };
};

describe.skipIf(!live)('randomized layouts are the kernel formulas with the kernel random values', () => {
  const programs: [string, string, boolean][] = [
    ['PIE', join(FIXTURE_BIN, 'pie'), true],
    ['no-PIE', join(FIXTURE_BIN, 'nopie'), false],
    ['static-pie', join(FIXTURE_BIN, 'static-pie'), false],
    ['static', join(FIXTURE_BIN, 'static'), false],
    ['2 MiB-aligned PIE', join(FIXTURE_BIN, 'align2m'), true],
  ];
  for (const [what, prog, pie] of programs) {
    it(what, async () => {
      for (let run = 0; run < 4; run++) {
        const kernel = captureMaps({ prog, aslr: true });
        const values = valuesBehind(kernel, pie);
        expect(values[0]).toBeLessThan(1n << 28n);
        expect(values[1]).toBeLessThanOrEqual(0x3fffffn);
        const result = await execve(new NodeFileSystem('/'), prog, { argv: [prog], envp: [], aslr: 'full', seed: 0n, randomSource: scripted(values) });
        expect(renderMaps(result.mm)).toBe(kernel);
      }
    });
  }
});

describe('seeded randomization', () => {
  const prog = join(FIXTURE_BIN, 'pie');
  const layout = async (aslr: 'off' | 'on' | 'full', seed: bigint) => {
    const r = await execve(new NodeFileSystem('/'), prog, { argv: [prog], envp: [], aslr, seed });
    return { maps: renderMaps(r.mm), bias: r.loadBias, brk: r.mm.layout.startBrk, base: r.mm.layout.mmapBase };
  };

  it('the same seed gives the same layout, another seed another one', async () => {
    expect((await layout('full', 7n)).maps).toBe((await layout('full', 7n)).maps);
    expect((await layout('full', 7n)).maps).not.toBe((await layout('full', 8n)).maps);
  });

  it('stays inside the kernel entropy ranges', async () => {
    for (let seed = 0n; seed < 200n; seed++) {
      const full = await layout('full', seed);
      expect(full.bias).toBeGreaterThanOrEqual(0x555555554000n);
      expect(full.bias).toBeLessThanOrEqual(0x565555553000n);
      expect(full.base).toBeGreaterThanOrEqual(0x7efbff701000n);
      expect(full.base).toBeLessThanOrEqual(0x7ffbff700000n);
      const end = 0x555555559000n + full.bias - 0x555555554000n;
      expect(full.brk).toBeGreaterThan(end);
      expect(full.brk).toBeLessThan(end + 0x1000n + (1n << 30n));
    }
  });

  it('randomize_va_space=1 leaves brk right after the bss; off changes nothing', async () => {
    const on = await layout('on', 3n);
    expect(on.brk).toBe(on.bias + 0x5000n);
    const off = await layout('off', 3n);
    expect(off.bias).toBe(0x555555554000n);
    expect(off.brk).toBe(0x555555559000n);
    expect(off.base).toBe(0x7ffff7fff000n);
  });
});
