import { ByteView } from './byte-view';

export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

export interface ProgramHeader {
  readonly index: number;
  readonly type: number;
  readonly flags: number;
  readonly offset: bigint;
  readonly vaddr: bigint;
  readonly paddr: bigint;
  readonly filesz: bigint;
  readonly memsz: bigint;
  readonly align: bigint;
}

export const PHDR_SIZE_64 = 56;
export const PHDR_SIZE_32 = 32;

/** Parses `count` program headers from a table already read into `view`. */
export function parseProgramHeaders(view: ByteView, count: number, entsize: number, is64: boolean): ProgramHeader[] {
  const headers: ProgramHeader[] = [];
  for (let i = 0; i < count; i++) {
    const at = i * entsize;
    const f = (name: string) => `phdr[${i}].${name}`;
    headers.push(
      is64
        ? {
            index: i,
            type: view.u32(at, f('p_type')),
            flags: view.u32(at + 4, f('p_flags')),
            offset: view.u64(at + 8, f('p_offset')),
            vaddr: view.u64(at + 16, f('p_vaddr')),
            paddr: view.u64(at + 24, f('p_paddr')),
            filesz: view.u64(at + 32, f('p_filesz')),
            memsz: view.u64(at + 40, f('p_memsz')),
            align: view.u64(at + 48, f('p_align')),
          }
        : {
            index: i,
            type: view.u32(at, f('p_type')),
            offset: BigInt(view.u32(at + 4, f('p_offset'))),
            vaddr: BigInt(view.u32(at + 8, f('p_vaddr'))),
            paddr: BigInt(view.u32(at + 12, f('p_paddr'))),
            filesz: BigInt(view.u32(at + 16, f('p_filesz'))),
            memsz: BigInt(view.u32(at + 20, f('p_memsz'))),
            flags: view.u32(at + 24, f('p_flags')),
            align: BigInt(view.u32(at + 28, f('p_align'))),
          },
    );
  }
  return headers;
}

/** `rwx` flags of a segment as readelf's "Flg" column shows them (e.g. "R E"). */
export function segmentFlagString(flags: number): string {
  return `${flags & PF_R ? 'R' : ' '}${flags & PF_W ? 'W' : ' '}${flags & PF_X ? 'E' : ' '}`;
}
