import type { MmStruct } from '../../mm/mm-struct';
import { VM_ACCOUNT, VM_DATA_DEFAULT_FLAGS } from '../../mm/vm-flags';
import { PAGE_SHIFT, type Vma } from '../../mm/vma';
import type { LinkMap } from './dl-object';

/**
 * Libraries whose constructors (run by _dl_init before the entry point)
 * call malloc, measured on Debian 12 with a program linking only that
 * library: libstdc++ (its emergency exception pool and locale setup),
 * libselinux (init_lib), GnuTLS, p11-kit, GLib, libgpg-error (so libgcrypt,
 * libassuan and libsystemd through it), libX11 and libjq. The simulator runs
 * no code, so this table stands in for "some constructor allocates".
 */
const CONSTRUCTORS_THAT_MALLOC = [
  /^libstdc\+\+\.so\./,
  /^libselinux\.so\./,
  /^libgnutls\.so\./,
  /^libp11-kit\.so\./,
  /^libglib-2\.0\.so\./,
  /^libgpg-error\.so\./,
  /^libX11\.so\./,
  /^libjq\.so\./,
];

/**
 * The first malloc of a process: sysmalloc extends the break by the request
 * plus M_TOP_PAD (128 KiB), page-rounded — 0x21000 for a small request.
 */
export const FIRST_SBRK = 0x21000n;

/** Whether _dl_init's constructors will have grown the heap by the time the program's entry runs. */
export function constructorsMalloc(chain: readonly LinkMap[]): boolean {
  return chain.some((l) => l.kind === 'library' && CONSTRUCTORS_THAT_MALLOC.some((re) => re.test(l.info.soname ?? l.libnames[0] ?? '')));
}

/** brk(start_brk + size): the [heap] VMA right at start_brk (do_brk_flags); nothing if it would overlap. */
export function growHeap(mm: MmStruct, size: bigint): boolean {
  const start = mm.layout.startBrk;
  if (mm.overlaps(start, start + size)) return false;
  const vma: Vma = { start, end: start + size, flags: VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT, pgoff: start >> PAGE_SHIFT, origin: { kind: 'heap', description: 'the heap, grown by the first malloc of a library constructor (_dl_init)' } };
  mm.mapRegion(vma, { prev: false, next: false });
  mm.layout.brk = start + size;
  return true;
}
