// Static TLS for the initial thread (elf/dl-tls.c, glibc 2.36, x86-64: TLS_TCB_AT_TP).
import type { LinkMap, TlsBlock } from './dl-object';

/** TCB_ALIGNMENT */
const TCB_ALIGNMENT = 64n;
/** TLS_STATIC_TCB_SIZE = sizeof (struct pthread) in 2.36 (measured: allocations of ld.so's init_tls). */
export const TLS_STATIC_TCB_SIZE = 2368n;
/** GLRO(dl_tls_static_surplus) with the default tunables: tls_static_surplus (4, 512) + LEGACY_TLS = 1664. */
export const TLS_STATIC_SURPLUS = 1664n;
/** TLS_SLOTINFO_SURPLUS and DTV_SURPLUS */
const TLS_SLOTINFO_SURPLUS = 62n;
const DTV_SURPLUS = 14n;
/** sizeof (struct dtv_slotinfo_list) header and sizeof (struct dtv_slotinfo), sizeof (dtv_t). */
const SLOTINFO_LIST_HEADER = 16n;
const SLOTINFO_SIZE = 16n;
const DTV_ENTRY_SIZE = 16n;

const roundup = (v: bigint, a: bigint): bigint => ((v + a - 1n) / a) * a;

export interface StaticTls {
  readonly size: bigint;
  readonly align: bigint;
  /** The three stub-malloc requests of init_tls, in order: slotinfo list, TLS block + TCB, dtv. */
  readonly allocations: readonly bigint[];
}

/** _dl_determine_tlsoffset, then the sizes init_tls, _dl_allocate_tls_storage and allocate_dtv ask for. */
export function staticTls(chain: readonly LinkMap[]): StaticTls {
  const blocks = chain.map((l) => l.tls).filter((t): t is TlsBlock => t !== undefined);
  let maxAlign = TCB_ALIGNMENT;
  let freetop = 0n;
  let freebottom = 0n;
  let offset = 0n;
  for (const b of blocks) {
    const firstbyte = (-b.firstbyteOffset) & (b.align - 1n);
    if (b.align > maxAlign) maxAlign = b.align;
    if (freebottom - freetop >= b.blocksize) {
      const off = roundup(freetop + b.blocksize - firstbyte, b.align) + firstbyte;
      if (off <= freebottom) {
        freetop = off;
        b.offset = off;
        continue;
      }
    }
    const off = roundup(offset + b.blocksize - firstbyte, b.align) + firstbyte;
    if (off > offset + b.blocksize + (freebottom - freetop)) {
      freetop = offset;
      freebottom = off - b.blocksize;
    }
    offset = off;
    b.offset = off;
  }
  const size = roundup(offset + TLS_STATIC_SURPLUS, maxAlign) + TLS_STATIC_TCB_SIZE;
  const maxIndex = BigInt(blocks.length);
  return {
    size,
    align: maxAlign,
    allocations: [
      SLOTINFO_LIST_HEADER + (maxIndex + 1n + TLS_SLOTINFO_SURPLUS) * SLOTINFO_SIZE,
      size + maxAlign + 8n,
      (maxIndex + DTV_SURPLUS + 2n) * DTV_ENTRY_SIZE,
    ],
  };
}
