import type { MmStruct } from '../../mm/mm-struct';
import { VM_ACCOUNT, VM_DATA_DEFAULT_FLAGS } from '../../mm/vm-flags';
import { PAGE_SHIFT, type Vma } from '../../mm/vma';
import type { LinkMap } from './dl-object';

/**
 * What each library's constructors (run by _dl_init before the entry point) allocate, by
 * SONAME: the bytes of small allocations that stay allocated, then one large request (0: none).
 * Measured on Debian 12 with the library preloaded into a program that allocates nothing
 * (malloc calls traced; mallinfo2().uordblks less its dependencies' share and the tcache).
 * libstdc++ sets up its 71 KiB emergency exception pool, GnuTLS its algorithm tables, GLib its
 * type system and a 16 KiB block, LLVM its command-line option registry. The simulator runs
 * no code, so this table stands in for "some constructor allocates".
 */
const CONSTRUCTOR_MALLOCS: Readonly<Record<string, readonly [small: number, large: number]>> = {
  'libstdc++.so.6': [0, 72704],
  'libgnutls.so.30': [118592, 0],
  'libLLVM-14.so.1': [412256, 0],
  'libLLVM-15.so.1': [284544, 0],
  'libclang-cpp.so.14': [9648, 0],
  'libz3.so.4': [25392, 0],
  'libsource-highlight.so.4': [63056, 0],
  'libglib-2.0.so.0': [6640, 16384],
  'libgobject-2.0.so.0': [27456, 0],
  'libgdk-3.so.0': [32, 0],
  'libheif.so.1': [13616, 0],
  'libpixman-1.so.0': [12480, 0],
  'libquadmath.so.0': [8192, 0],
  'libapt-private.so.0.0': [8688, 0],
  'libapt-pkg.so.6.0': [3520, 0],
  'libbabeltrace.so.1': [96, 0],
  'libbabeltrace-ctf.so.1': [6560, 0],
  'libbabeltrace-ctf-text.so.1': [1104, 0],
  'libbabeltrace-ctf-metadata.so.1': [208, 0],
  'libbabeltrace-dummy.so.1': [208, 0],
  'libnuma.so.1': [4112, 0],
  'libEGL.so.1': [3008, 0],
  'libGLX.so.0': [2576, 0],
  'libGL.so.1': [96, 0],
  'libGLESv1_CM.so.1': [192, 0],
  'libGLESv2.so.2': [192, 0],
  'libOpenGL.so.0': [192, 0],
  'libselinux.so.1': [1648, 0],
  'libp11-kit.so.0': [240, 0],
  'libX11.so.6': [144, 0],
  'libgpg-error.so.0': [48, 0],
  'libgomp.so.1': [32, 0],
  'libjq.so.1': [32, 0],
  'libabsl_flags_parse.so.20220623': [640, 0],
  'libopencsd.so.1': [272, 0],
  'libboost_filesystem.so.1.74.0': [128, 0],
};

/** The first malloc of a process sets up the thread's tcache: sizeof (tcache_perthread_struct) = 0x280. */
const TCACHE_REQUEST = 0x280n;
/** M_TOP_PAD, MINSIZE, and the request size the simulation splits the small allocations into. */
const TOP_PAD = 0x20000n;
const MINSIZE = 32n;
const SMALL_CHUNK = 1024n;

/** request2size: the chunk a request takes (its size field, 16-byte aligned). */
const chunkSize = (n: bigint) => {
  const size = (n + 8n + 15n) & ~15n;
  return size < MINSIZE ? MINSIZE : size;
};
const pageUp = (n: bigint) => (n + 0xfffn) & ~0xfffn;

/**
 * The size of the heap after _dl_init, constructors in `order`; undefined when none of them
 * allocates. Each chunk is carved from the top; a request that would leave less than MINSIZE
 * there makes sysmalloc extend the break by the chunk plus M_TOP_PAD and MINSIZE, less what
 * the top still holds, page-rounded (malloc/malloc.c).
 */
export function constructorHeapSize(order: readonly LinkMap[]): bigint | undefined {
  const mallocs = order
    .filter((l) => l.kind === 'library')
    .map((l) => CONSTRUCTOR_MALLOCS[l.info.soname ?? l.libnames[0] ?? ''])
    .filter((m) => m !== undefined);
  if (mallocs.length === 0) return undefined;
  let end = 0n;
  let used = 0n;
  const carve = (chunk: bigint) => {
    if (end - used < chunk + MINSIZE) end += pageUp(chunk + TOP_PAD + MINSIZE - (end - used));
    used += chunk;
  };
  carve(chunkSize(TCACHE_REQUEST));
  for (const [small, large] of mallocs) {
    for (let left = BigInt(small); left > 0n; left -= SMALL_CHUNK) carve(left < SMALL_CHUNK ? left : SMALL_CHUNK);
    if (large) carve(chunkSize(BigInt(large)));
  }
  return end;
}

/** brk(start_brk + size): the [heap] VMA right at start_brk (do_brk_flags); nothing if it would overlap. */
export function growHeap(mm: MmStruct, size: bigint): boolean {
  const start = mm.layout.startBrk;
  if (mm.overlaps(start, start + size)) return false;
  const vma: Vma = { start, end: start + size, flags: VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT, pgoff: start >> PAGE_SHIFT, origin: { kind: 'heap', description: 'the heap, grown by the mallocs of library constructors (_dl_init)' } };
  mm.mapRegion(vma, { prev: false, next: false });
  mm.layout.brk = start + size;
  return true;
}
