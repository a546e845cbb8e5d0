// The pieces of the simulated ld.so, each against what glibc 2.36 does.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../../simulator/cli/main';
import { cacheLookup, parseLdSoCache } from '../../../../simulator/loader/rtld/dl-cache';
import { dstCount, dstRequired, dstSubstitute, originOf } from '../../../../simulator/loader/rtld/dl-dst';
import { constructorHeapSize } from '../../../../simulator/loader/rtld/dl-init';
import { AMD_LEGACY_HWCAPS, importantHwcaps, isaLevelFromCpuinfo, legacyHwcapsFromCpuinfo } from '../../../../simulator/loader/rtld/dl-hwcaps';
import { MinimalMalloc } from '../../../../simulator/loader/rtld/dl-minimal-malloc';
import { initOrder } from '../../../../simulator/loader/rtld/dl-sort-maps';
import { staticTls } from '../../../../simulator/loader/rtld/dl-tls';
import { dependencyTree, objectsOfVma, type LinkMap } from '../../../../simulator/loader/rtld';
import { FIXTURE_BIN, REPO_ROOT } from '../../../support/exec-layout';
import { simulateEntry } from '../../../support/entry-layout';

const RTLD_BIN = resolve(REPO_ROOT, 'test/fixtures/rtld/bin');
const le32 = (v: number) => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff];
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** A new-format cache with the given entries (flags 0x303, hwcap 0). */
function newCache(entries: [string, string][], nlibs = entries.length): Uint8Array {
  const header = 48;
  const strings: number[] = [];
  const offsets: [number, number][] = [];
  const stringBase = header + entries.length * 24;
  for (const [k, v] of entries) {
    const ko = stringBase + strings.length;
    strings.push(...ascii(k), 0);
    const vo = stringBase + strings.length;
    strings.push(...ascii(v), 0);
    offsets.push([ko, vo]);
  }
  const bytes = [...ascii('glibc-ld.so.cache1.1'), ...le32(nlibs), ...le32(strings.length), 2, 0, 0, 0, ...le32(0), ...le32(0), ...le32(0), ...le32(0)];
  for (const [ko, vo] of offsets) bytes.push(...le32(0x303), ...le32(ko), ...le32(vo), ...le32(0), 0, 0, 0, 0, 0, 0, 0, 0);
  return new Uint8Array([...bytes, ...strings]);
}

describe('ld.so.cache (dl-cache.c)', () => {
  it('finds a library in a new-format cache', () => {
    const cache = parseLdSoCache(newCache([['libfoo.so.1', '/opt/lib/libfoo.so.1']]));
    expect(cache?.format).toBe('new');
    expect(cacheLookup(cache, 'libfoo.so.1')).toBe('/opt/lib/libfoo.so.1');
    expect(cacheLookup(cache, 'libbar.so.1')).toBeUndefined();
  });
  it('rejects a cache whose entry count does not fit the file, as glibc does (then it searches the default directories)', () => {
    expect(parseLdSoCache(newCache([['libfoo.so.1', '/x']], 1000))).toBeUndefined();
    expect(parseLdSoCache(new Uint8Array(100).fill(0xff))).toBeUndefined();
    expect(parseLdSoCache(new Uint8Array(0))).toBeUndefined();
  });
  it('reads the old format, and the new table embedded after it', () => {
    const old = [...ascii('ld.so-1.7.0'), 0, ...le32(1), ...le32(0x303), ...le32(0), ...le32(4), ...ascii('abc'), 0, ...ascii('/lib/abc'), 0];
    expect(cacheLookup(parseLdSoCache(new Uint8Array(old)), 'abc')).toBe('/lib/abc');
    const head = [...ascii('ld.so-1.7.0'), 0, ...le32(0)];
    const withNew = new Uint8Array([...head, ...newCache([['libz.so.1', '/lib/libz.so.1']])]);
    const parsed = parseLdSoCache(withNew);
    expect(parsed?.format).toBe('old+new');
    expect(cacheLookup(parsed, 'libz.so.1')).toBe('/lib/libz.so.1');
  });
  it('skips entries whose strings lie outside the file', () => {
    const bytes = newCache([['libfoo.so.1', '/x']]);
    bytes.set(le32(0xffffff), 48 + 4);
    expect(cacheLookup(parseLdSoCache(bytes), 'libfoo.so.1')).toBeUndefined();
  });
  it.skipIf(!existsSync('/etc/ld.so.cache'))("parses this machine's cache", () => {
    const cache = parseLdSoCache(new Uint8Array(readFileSync('/etc/ld.so.cache')));
    expect(cache).toBeDefined();
    expect(cacheLookup(cache, 'libc.so.6')).toMatch(/\/libc\.so\.6$/);
  });
});

describe('the stub malloc (dl-minimal-malloc.c)', () => {
  it("uses the rest of ld.so's last page, then mmaps the request plus a page", () => {
    const maps: bigint[] = [];
    const malloc = new MinimalMalloc(0x342d8n, (len) => {
      maps.push(len);
      return 0x100000n * BigInt(maps.length);
    });
    expect(malloc.malloc(1481n)).toBe(0x342e0n);
    expect(malloc.malloc(1481n)).toBe(0x348b0n);
    expect(maps).toEqual([]);
    malloc.malloc(1000n);
    expect(maps).toEqual([0x2000n]);
    malloc.malloc(4296n);
    expect(maps).toEqual([0x2000n]);
    malloc.malloc(4296n);
    expect(maps).toEqual([0x2000n, 0x3000n]);
  });
  it('frees only the most recent block', () => {
    const malloc = new MinimalMalloc(0x1000n, () => 0x10000n);
    const a = malloc.malloc(32n);
    const b = malloc.malloc(32n);
    malloc.free(a);
    expect(malloc.malloc(16n)).toBe(b + 32n);
    malloc.free(b + 32n);
    expect(malloc.malloc(16n)).toBe(b + 32n);
  });
});

describe('static TLS (dl-tls.c)', () => {
  const withTls = (blocksize: bigint, align: bigint): LinkMap => ({ tls: { blocksize, align, firstbyteOffset: 0n, modid: 1 } }) as unknown as LinkMap;
  it("libc's 144-byte block gives the allocations ld.so makes for a C program", () => {
    expect(staticTls([withTls(0x90n, 8n)]).allocations).toEqual([1040n, 4296n, 272n]);
  });
  it('a 20000-byte program block comes first', () => {
    expect(staticTls([withTls(20000n, 16n), withTls(0x90n, 8n)]).allocations).toEqual([1056n, 24264n, 288n]);
  });
});

describe('capability subdirectories (dl-hwcaps.c)', () => {
  it('an x86-64-v3 CPU searches two glibc-hwcaps levels and allocates 32 and 235 bytes for them', () => {
    const hwcaps = importantHwcaps(3);
    expect(hwcaps.subdirs.slice(0, 3)).toEqual(['glibc-hwcaps/x86-64-v3/', 'glibc-hwcaps/x86-64-v2/', 'tls/x86_64/x86_64/']);
    expect(hwcaps.allocations).toEqual([32n, 235n]);
  });
  it('an x86-64-v4 CPU searches three, in 48 and 274 bytes (as read from ld.so at the entry point)', () => {
    const hwcaps = importantHwcaps(4);
    expect(hwcaps.subdirs).toHaveLength(11);
    expect(hwcaps.subdirs[0]).toBe('glibc-hwcaps/x86-64-v4/');
    expect(hwcaps.allocations).toEqual([48n, 274n]);
  });
  it('an Intel CPU with AVX-512 adds avx512_1 and the haswell platform: 16 legacy subdirectories, 48 and 451 bytes', () => {
    const hwcaps = importantHwcaps(4, { platform: 'haswell', avx512_1: true });
    expect(hwcaps.platform).toBe('haswell');
    expect(hwcaps.subdirs).toHaveLength(3 + 16);
    expect(hwcaps.subdirs.slice(3, 8)).toEqual(['tls/haswell/avx512_1/x86_64/', 'tls/haswell/avx512_1/', 'tls/haswell/x86_64/', 'tls/haswell/', 'tls/avx512_1/x86_64/']);
    expect(hwcaps.subdirs.slice(-4)).toEqual(['avx512_1/x86_64/', 'avx512_1/', 'x86_64/', '']);
    // (3 + 16) r_strlenpair, the glibc-hwcaps strings (3 x 23) and the legacy ones compressed (78).
    expect(hwcaps.allocations).toEqual([48n, 451n]);
  });
  it('reads the legacy hwcaps from /proc/cpuinfo as init_cpu_features decides them (Intel only)', () => {
    const v3 = 'fpu cx8 cmov mmx fxsr sse sse2 pni ssse3 cx16 sse4_1 sse4_2 popcnt lahf_lm fma movbe avx f16c avx2 bmi1 bmi2';
    const v4 = `${v3} avx512f avx512dq avx512cd avx512bw avx512vl`;
    const cpu = (vendor: string, flags: string) => `processor\t: 0\nvendor_id\t: ${vendor}\nflags\t\t: ${flags}\n`;
    expect(legacyHwcapsFromCpuinfo(cpu('GenuineIntel', v4))).toEqual({ platform: 'haswell', avx512_1: true });
    expect(legacyHwcapsFromCpuinfo(cpu('GenuineIntel', v3))).toEqual({ platform: 'haswell', avx512_1: false });
    expect(legacyHwcapsFromCpuinfo(cpu('GenuineIntel', `${v4} avx512er avx512pf`))).toEqual({ platform: 'xeon_phi', avx512_1: false });
    expect(legacyHwcapsFromCpuinfo(cpu('GenuineIntel', 'fpu sse sse2'))).toEqual({ platform: 'x86_64', avx512_1: false });
    expect(legacyHwcapsFromCpuinfo(cpu('AuthenticAMD', v4))).toBe(AMD_LEGACY_HWCAPS);
  });
  it('reads the ISA level from /proc/cpuinfo flags', () => {
    const v2 = 'fpu cx8 cmov mmx fxsr sse sse2 pni ssse3 cx16 sse4_1 sse4_2 popcnt lahf_lm';
    const v3 = `${v2} fma movbe avx f16c avx2 bmi1 bmi2`;
    expect(isaLevelFromCpuinfo(`flags\t\t: ${v2}\n`)).toBe(2);
    expect(isaLevelFromCpuinfo(`flags\t\t: ${v3}\n`)).toBe(3);
    expect(isaLevelFromCpuinfo(`flags\t\t: ${v3} avx512f avx512dq avx512cd avx512bw avx512vl\n`)).toBe(4);
    expect(isaLevelFromCpuinfo('flags\t\t: fpu sse sse2\n')).toBe(1);
  });
});

describe('the heap that constructors leave (dl-init.c, malloc.c sysmalloc)', () => {
  const lib = (soname: string, deps: LinkMap[] = []) => ({ kind: 'library', libnames: [soname], info: { soname }, deps }) as unknown as LinkMap;
  it('is none when no constructor allocates', () => {
    expect(constructorHeapSize([lib('libc.so.6')])).toBeUndefined();
  });
  it('the first request (the tcache) extends the break by 0x21000, and so does each small one that finds the top used up', () => {
    expect(constructorHeapSize([lib('libselinux.so.1')])).toBe(0x21000n);
    expect(constructorHeapSize([lib('libstdc++.so.6'), lib('libgnutls.so.30')])).toBe(0x42000n);
  });
  it("libstdc++'s 71 KiB pool after GnuTLS no longer fits the top: the extension covers the request plus M_TOP_PAD", () => {
    expect(constructorHeapSize([lib('libgnutls.so.30'), lib('libstdc++.so.6')])).toBe(0x4f000n);
  });
  it('constructors run dependencies first, in the reverse of the depth-first sort (_dl_sort_maps_dfs)', () => {
    const c = lib('libc.so.6');
    const a = lib('liba.so', [c]);
    const b = lib('libb.so', [c]);
    const main = { kind: 'executable', libnames: [''], info: {}, deps: [a, b] } as unknown as LinkMap;
    expect(initOrder([main, a, b, c])).toEqual([c, b, a, main]);
  });
});

describe('dynamic string tokens', () => {
  it('expands $ORIGIN and ${ORIGIN} but not $ORIGINAL', () => {
    expect(dstCount('$ORIGIN/lib:${ORIGIN}/x:$ORIGINAL')).toBe(2);
    expect(dstSubstitute('$ORIGIN/../lib', '/opt/app/bin', 'x86_64')).toBe('/opt/app/bin/../lib');
    expect(dstSubstitute('${PLATFORM}/$LIB', '/', 'x86_64')).toBe('x86_64/lib/x86_64-linux-gnu');
    expect(dstSubstitute('$PLATFORM/x', '/', 'haswell')).toBe('haswell/x');
    expect(dstSubstitute('$ORIGIN/lib', undefined, 'x86_64')).toBeUndefined();
  });
  it('reserves what DL_DST_REQUIRED reserves', () => {
    expect(dstRequired('$ORIGIN/lib', 1, '/work/main/test/fixtures/rtld/bin', 'x86_64')).toBe(40);
    expect(dstRequired('$ORIGIN', 1, '/', 'x86_64')).toBe(7 + 16);
  });
  it('origins are directories', () => {
    expect(originOf('/lib/x86_64-linux-gnu/libc.so.6')).toBe('/lib/x86_64-linux-gnu');
    expect(originOf('/libc.so.6')).toBe('/');
  });
});

describe('dependency order (dl-deps.c)', () => {
  it('is breadth-first, each object once (libouter\'s libinner after the program\'s libc)', async () => {
    const { rtld } = await simulateEntry(resolve(RTLD_BIN, 'rpath'));
    expect(rtld.searchList.map((l) => l.libnames[0])).toEqual(['', 'libouter.so.1', 'libc.so.6', 'libinner.so.1', '/lib64/ld-linux-x86-64.so.2']);
    expect(rtld.searchList.map((l) => l.foundVia)).toEqual(['executable', 'RPATH', 'cache', 'RPATH', 'interpreter']);
    // The chain puts ld.so after the object before it in the search list.
    expect(rtld.chain.map((l) => l.kind)).toEqual(['executable', 'library', 'library', 'library', 'interpreter']);
  });
  it('a cycle loads each library once', async () => {
    const { rtld } = await simulateEntry(resolve(RTLD_BIN, 'cycle'));
    const names = rtld.searchList.map((l) => l.info.soname ?? l.name);
    expect(new Set(names).size).toBe(names.length);
    const a = rtld.searchList.find((l) => l.info.soname === 'libcycle-a.so.1');
    const b = rtld.searchList.find((l) => l.info.soname === 'libcycle-b.so.1');
    expect(a?.deps).toContain(b);
    expect(b?.deps).toContain(a);
    const tree = dependencyTree(rtld);
    const [libA] = tree.children;
    expect(libA?.needed).toBe('libcycle-a.so.1');
    const libB = libA?.children.find((c) => c.needed === 'libcycle-b.so.1');
    expect(libB?.duplicate).toBe(false);
    expect(libB?.children.find((c) => c.needed === 'libcycle-a.so.1')?.duplicate).toBe(true);
  });
  it("maps each VMA to the object whose span holds it (libc's bss included)", async () => {
    const { rtld } = await simulateEntry(resolve(RTLD_BIN, 'hello'));
    const libc = rtld.chain.find((l) => l.libnames.includes('libc.so.6')) as LinkMap;
    expect(libc.foundVia).toBe('cache');
    const vmas = rtld.mm.vmaList.filter((v) => objectsOfVma(rtld, v)[0] === libc);
    expect(vmas.map((v) => (v.file ? 'file' : 'anon'))).toEqual(['file', 'file', 'file', 'file', 'file', 'anon']);
  });
});

describe('asx maps --at', () => {
  const run = async (...argv: string[]) => {
    let out = '';
    let err = '';
    const status = await main(argv, { write: (t) => void (out += t) }, { write: (t) => void (err += t) });
    return { status, out, err };
  };
  it('rejects an unknown --at', async () => {
    const r = await run('maps', resolve(FIXTURE_BIN, 'pie'), '--at', 'main');
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/--at must be exec or entry/);
  });
  it('--ld-library-path needs --at entry', async () => {
    const r = await run('maps', resolve(FIXTURE_BIN, 'pie'), '--ld-library-path', '/tmp');
    expect(r.status).toBe(2);
  });
  it('a static program is at its entry point after execve', async () => {
    const exec = await run('maps', resolve(FIXTURE_BIN, 'static'));
    const entry = await run('maps', resolve(FIXTURE_BIN, 'static'), '--at', 'entry');
    expect(entry.status).toBe(0);
    expect(entry.out).toBe(exec.out);
  });
  it('the default stays the first instruction', async () => {
    const r = await run('maps', resolve(RTLD_BIN, 'hello'));
    expect(r.out).not.toMatch(/libc\.so\.6/);
  });
  it('a missing library is one line naming it and the directories searched', async () => {
    const r = await run('maps', resolve(RTLD_BIN, 'missing'), '--at', 'entry');
    expect(r.status).toBe(1);
    expect(r.err).toMatch(/^asx: \S+\/missing: error while loading shared libraries: libmissing\.so\.1: cannot open shared object file: No such file or directory \(searched: \S+\/rtld\/bin\/lib, /);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });
  it('a 32-bit library of the right name is skipped; alone it is "wrong ELF class"', async () => {
    expect((await run('maps', resolve(RTLD_BIN, 'wrongclass'), '--at', 'entry')).status).toBe(0);
    const r = await run('maps', resolve(RTLD_BIN, 'wrongclass-only'), '--at', 'entry');
    expect(r.err).toMatch(/libgreet\.so\.1: wrong ELF class: ELFCLASS32/);
  });
});
