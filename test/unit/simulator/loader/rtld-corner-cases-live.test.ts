// Three ld.so corner cases (issue 14), built here with gcc and compared with the kernel's maps of
// the program stopped by gdb at its entry point (ASLR off):
// - a library linked at a preferred address (-Ttext-segment) is mapped there: _dl_map_segments
//   passes the first segment's address as an mmap hint, which the kernel honours when it is free;
// - a RUNPATH `$ORIGIN/dslink/../dep` where dslink is a symlink: the kernel's path walk follows
//   the symlink before the `..`, so the library comes from the parent of dslink's target;
// - a program that defines malloc: libstdc++'s constructor allocates with it, not with glibc's
//   malloc, so there is no [heap] at the entry point;
// - a RUNPATH directory with a copy of the library in every capability subdirectory: ld.so takes
//   the first its CPU searches (glibc-hwcaps levels, then the legacy ones, which on Intel include
//   haswell and avx512_1), and the next one once that copy is gone.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readHostFile, scenarioFilesOnDisk } from '../../../../simulator/cli/node-file-access';
import { runScenario } from '../../../../simulator/scenario/run';
import { machineFromCpuinfo } from '../../../../simulator/scenario/host-cpu';
import { captureEntryMaps, gdbAvailable, simulateEntry } from '../../../support/entry-layout';

const gccAvailable = () => process.platform === 'linux' && process.arch === 'x64' && spawnSync('gcc', ['--version']).status === 0;
const available = gccAvailable() && gdbAvailable();

function gcc(dir: string, out: string, source: string, flags: readonly string[]): string {
  const src = join(dir, `${out.replace(/\W/g, '_')}.c`);
  writeFileSync(src, source);
  const path = join(dir, out);
  const result = spawnSync('gcc', ['-O2', '-o', path, src, ...flags], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`gcc ${out}: ${result.stderr}`);
  return path;
}

async function simulated(prog: string): Promise<string> {
  const { isaLevel, legacyHwcaps } = machineFromCpuinfo(readHostFile('/proc/cpuinfo'));
  return (await simulateEntry(prog, [], { isaLevel, legacyHwcaps })).maps;
}

const MAIN = 'int libfn(void);\nint main(void) { return libfn(); }\n';
const LIB = 'int libdata = 5;\nint libfn(void) { return libdata - 5; }\n';

describe.skipIf(!available)('ld.so corner cases against this kernel (gcc, gdb at the entry point)', () => {
  const dir = available ? mkdtempSync(join(tmpdir(), 'asx-rtld-corner-')) : '';

  it.each([
    ['a PIE program', ['-pie', '-fPIE']],
    ['a non-PIE program', ['-no-pie']],
  ])('a library linked at 0x30000000 loads there, in %s, and the next ones are not shifted', async (what, flags) => {
    const lib = gcc(dir, 'libpref.so', LIB, ['-shared', '-fPIC', '-Wl,-Ttext-segment=0x30000000']);
    const prog = gcc(dir, `pref-${flags[0]}`, MAIN, [...flags, lib, `-Wl,-rpath,${dir}`, '-lm', '-Wl,--no-as-needed']);
    const expected = captureEntryMaps(prog);
    expect(expected, what).toMatch(/^30000000-30001000 r--p 00000000 .*libpref\.so$/m);
    expect(await simulated(prog)).toBe(expected);
  });

  it('two libraries that prefer the same address: the first gets it, the second goes top-down; p_align 2 MiB keeps the hint', async () => {
    const one = gcc(dir, 'libone.so', LIB.replace(/lib/g, 'one'), ['-shared', '-fPIC', '-Wl,-Ttext-segment=0x30000000']);
    const two = gcc(dir, 'libtwo.so', LIB.replace(/lib/g, 'two'), ['-shared', '-fPIC', '-Wl,-Ttext-segment=0x30000000']);
    const big = gcc(dir, 'libbig.so', LIB.replace(/lib/g, 'big'), ['-shared', '-fPIC', '-Wl,-Ttext-segment=0x40000000', '-Wl,-z,max-page-size=0x200000']);
    const main = 'int onefn(void), twofn(void), bigfn(void);\nint main(void) { return onefn() + twofn() + bigfn(); }\n';
    const prog = gcc(dir, 'pref-two', main, [one, two, big, `-Wl,-rpath,${dir}`]);
    const expected = captureEntryMaps(prog);
    expect(expected).toMatch(/^30000000-30001000 r--p .*libone\.so$/m);
    expect(expected).toMatch(/^40000000-40001000 r--p .*libbig\.so$/m);
    expect(await simulated(prog)).toBe(expected);
  });

  it('RUNPATH $ORIGIN/dslink/../dep follows the symlink before the ..', async () => {
    const top = join(dir, 'dotdot');
    for (const d of ['app/dep', 'elsewhere/inner', 'elsewhere/dep']) mkdirSync(join(top, d), { recursive: true });
    symlinkSync(join(top, 'elsewhere/inner'), join(top, 'app/dslink'));
    gcc(join(top, 'elsewhere/dep'), 'libds.so', LIB, ['-shared', '-fPIC']);
    // A decoy where textual simplification of `..` would look (bigger, so its maps differ).
    gcc(join(top, 'app/dep'), 'libds.so', `${LIB}char pad[300000] = {1};\n`, ['-shared', '-fPIC']);
    const prog = gcc(join(top, 'app'), 'prog', MAIN, [join(top, 'elsewhere/dep/libds.so'), '-Wl,--enable-new-dtags,-rpath,$ORIGIN/dslink/../dep']);
    const expected = captureEntryMaps(prog);
    expect(expected).toContain(join(top, 'elsewhere/dep/libds.so'));
    expect(await simulated(prog)).toBe(expected);
  });

  it('DT_RPATH, and a scenario\'s exec and mmap paths, walk dslink/../ the same way', async () => {
    const top = join(dir, 'dotdot-rpath');
    for (const d of ['app/dep', 'elsewhere/inner', 'elsewhere/dep']) mkdirSync(join(top, d), { recursive: true });
    symlinkSync(join(top, 'elsewhere/inner'), join(top, 'app/dslink'));
    gcc(join(top, 'elsewhere/dep'), 'libds.so', LIB, ['-shared', '-fPIC']);
    gcc(join(top, 'app/dep'), 'libds.so', `${LIB}char pad[300000] = {1};\n`, ['-shared', '-fPIC']);
    const prog = gcc(join(top, 'app'), 'rprog', MAIN, [join(top, 'elsewhere/dep/libds.so'), '-Wl,--disable-new-dtags,-rpath,$ORIGIN/dslink/../dep']);
    gcc(join(top, 'elsewhere'), 'prog', 'int main(void) { return 0; }\n', []);
    gcc(join(top, 'app'), 'prog', 'int main(void) { return 1; }\nchar pad[300000] = {1};\n', []);
    const expected = captureEntryMaps(prog);
    expect(expected).toContain(join(top, 'elsewhere/dep/libds.so'));
    expect(await simulated(prog)).toBe(expected);
    const path = join(top, 'app/s.aspace');
    const text = 'P = exec dslink/../prog\nD = mmap P 4K r-- private file dslink/../dep/libds.so\nshow maps P\n';
    writeFileSync(path, text);
    const outcome = await runScenario(text, path, scenarioFilesOnDisk(path));
    if (!outcome.ok) throw new Error(outcome.diagnostics.map((d) => d.message).join('; '));
    const maps = outcome.run.steps[2]?.output ?? '';
    expect(maps.split('\n').filter((l) => l.includes(top)).every((l) => l.includes(join(top, 'elsewhere')))).toBe(true);
    expect(maps).toContain(join(top, 'elsewhere/prog'));
  });

  // An allocator of its own, from a static arena (so the real maps hold nothing the simulator cannot know).
  const ARENA_MALLOC = `#include <stddef.h>
#include <string.h>
static char arena[1 << 20] __attribute__((aligned(16)));
static size_t used;
void *malloc(size_t n) { void *p = arena + used; used += (n + 31) & ~(size_t)15; return used <= sizeof arena ? p : 0; }
void free(void *p) { (void)p; }
void *calloc(size_t n, size_t m) { void *p = malloc(n * m); if (p) memset(p, 0, n * m); return p; }
void *realloc(void *p, size_t n) { void *q = malloc(n); if (q && p) memcpy(q, p, n); return q; }
int main(void) { return 0; }
`;
  it.each([['plain', []], ['-rdynamic', ['-rdynamic']]])('a program that defines malloc (%s) has no [heap] though libstdc++ allocates', async (_what, flags) => {
    const prog = gcc(dir, `own-malloc${flags.join('')}`, ARENA_MALLOC, [...flags, '-Wl,--no-as-needed', '-lstdc++']);
    const expected = captureEntryMaps(prog);
    expect(expected).toMatch(/libstdc\+\+/);
    expect(expected).not.toMatch(/\[heap\]/);
    expect(await simulated(prog)).toBe(expected);
  });

  it('in a scenario, a thread (its DTV is calloc\'d) and dlopen (ld.so\'s allocations) make no [heap] either', async () => {
    const prog = gcc(dir, 'own-malloc-scenario', ARENA_MALLOC, ['-Wl,--no-as-needed', '-lstdc++']);
    const path = join(dir, 'own-malloc.aspace');
    const text = `P = exec ${prog}\nT = thread P\ndlopen P libm.so.6\nQ = fork P\nU = thread Q\nshow maps P\nshow maps Q\n`;
    writeFileSync(path, text);
    const outcome = await runScenario(text, path, scenarioFilesOnDisk(path));
    if (!outcome.ok) throw new Error(outcome.diagnostics.map((d) => d.message).join('; '));
    const shown = outcome.run.steps.map((st) => st.output ?? '').join('');
    expect(shown).toMatch(/libm\.so\.6/);
    expect(shown).not.toMatch(/\[heap\]/);
  });

  it('with an allocator that mmaps, the simulator shows no heap either (only the allocator\'s own mapping is missing)', async () => {
    const source = ARENA_MALLOC.replace('static char arena[1 << 20] __attribute__((aligned(16)));', '#include <sys/mman.h>\nstatic char *arena;').replace(
      'void *p = arena + used;',
      'if (!arena) arena = mmap(0, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0); void *p = arena + used;',
    ).replace('used <= sizeof arena', 'used <= (1 << 20)');
    const prog = gcc(dir, 'own-malloc-mmap', source, ['-Wl,--no-as-needed', '-lstdc++']);
    const expected = captureEntryMaps(prog);
    const maps = await simulated(prog);
    expect(maps).not.toMatch(/\[heap\]/);
    const real = new Set(expected.split('\n'));
    expect(maps.split('\n').filter((l) => !real.has(l))).toEqual([]);
  });

  it('copies of a library in the capability subdirectories of its RUNPATH directory: found in the order this CPU searches them', async () => {
    const top = join(dir, 'hwcaps');
    const subdirs = ['glibc-hwcaps/x86-64-v3', 'glibc-hwcaps/x86-64-v2', 'tls/haswell/avx512_1/x86_64', 'tls/haswell', 'tls/x86_64/x86_64', 'tls', 'haswell/avx512_1', 'haswell/x86_64', 'haswell', 'avx512_1/x86_64', 'x86_64/x86_64', 'x86_64', ''];
    for (const sub of subdirs) {
      mkdirSync(join(top, 'lib', sub), { recursive: true });
      gcc(join(top, 'lib', sub), 'libhw.so.1', LIB, ['-shared', '-fPIC', '-Wl,-soname,libhw.so.1']);
    }
    const prog = gcc(top, 'prog', MAIN, [join(top, 'lib/libhw.so.1'), `-Wl,--enable-new-dtags,-rpath,${join(top, 'lib')}`]);
    const found: string[] = [];
    // Until the copy in the directory itself: the subdirectories of another CPU are never searched.
    while (found.at(-1) !== 'libhw.so.1') {
      const expected = captureEntryMaps(prog);
      expect(await simulated(prog)).toBe(expected);
      const path = / (\/\S*\/libhw\.so\.1)$/m.exec(expected)?.[1];
      if (!path) throw new Error(`the kernel maps no libhw.so.1 after ${found.join(', ')}`);
      found.push(path.slice(join(top, 'lib').length + 1));
      rmSync(path);
    }
    expect(found.length).toBeGreaterThan(2);
  });
});
