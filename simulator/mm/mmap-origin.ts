// The origin of an mmap statement's VMA, for explanations ("mmap of 64 KiB, rw- private anonymous").
import { PROT_EXEC, PROT_READ, PROT_WRITE } from './vm-flags';
import type { VmaOrigin } from './vma';

/** MAP_SHARED, above the PROT_* bits in `how`. */
const SHARED = 8;

/** An mmap statement's VMA origin: its description is written when someone reads it, not for every mmap. */
export class MmapOrigin implements VmaOrigin {
  constructor(
    readonly region: string,
    private readonly kib: number,
    /** PROT_* in the low bits, MAP_SHARED above them. */
    private readonly how: number,
    private readonly path: string | undefined,
  ) {}

  static of(region: string, len: bigint, prot: number, shared: boolean, path: string | undefined): MmapOrigin {
    return new MmapOrigin(region, Number(len >> 10n), prot | (shared ? SHARED : 0), path);
  }

  /** The origin of an anonymous mmap as one number (its size and how), for the VMA tree's columns; undefined for a file's. */
  get packed(): number | undefined {
    return this.path === undefined && this.kib < 2 ** 48 ? this.kib * 16 + this.how : undefined;
  }

  /** The origin `packed` gave for the region. */
  static unpacked(region: string, packed: number): MmapOrigin {
    return new MmapOrigin(region, Math.floor(packed / 16), packed % 16, undefined);
  }

  get kind(): 'mmap' {
    return 'mmap';
  }

  get description(): string {
    return `mmap of ${this.kib} KiB, ${describeProt(this.how)} ${this.how & SHARED ? 'shared' : 'private'} ${this.path !== undefined ? `file ${this.path}` : 'anonymous'}`;
  }
}

function describeProt(prot: number): string {
  return `${prot & PROT_READ ? 'r' : '-'}${prot & PROT_WRITE ? 'w' : '-'}${prot & PROT_EXEC ? 'x' : '-'}`;
}
