import { ByteView } from './byte-view';

export interface SectionHeader {
  readonly index: number;
  /** Filled in from the section-name string table; "" if it has none. */
  name: string;
  readonly nameOffset: number;
  readonly type: number;
  readonly flags: bigint;
  readonly addr: bigint;
  readonly offset: bigint;
  readonly size: bigint;
  readonly link: number;
  readonly info: number;
  readonly addralign: bigint;
  readonly entsize: bigint;
}

export const SHDR_SIZE_64 = 64;
export const SHDR_SIZE_32 = 40;
export const SHF_WRITE = 0x1n;
export const SHF_ALLOC = 0x2n;
export const SHF_EXECINSTR = 0x4n;
export const SHF_TLS = 0x400n;

export function parseSectionHeaders(view: ByteView, count: number, entsize: number, is64: boolean): SectionHeader[] {
  const headers: SectionHeader[] = [];
  for (let i = 0; i < count; i++) {
    const at = i * entsize;
    const f = (name: string) => `shdr[${i}].${name}`;
    headers.push(
      is64
        ? {
            index: i,
            name: '',
            nameOffset: view.u32(at, f('sh_name')),
            type: view.u32(at + 4, f('sh_type')),
            flags: view.u64(at + 8, f('sh_flags')),
            addr: view.u64(at + 16, f('sh_addr')),
            offset: view.u64(at + 24, f('sh_offset')),
            size: view.u64(at + 32, f('sh_size')),
            link: view.u32(at + 40, f('sh_link')),
            info: view.u32(at + 44, f('sh_info')),
            addralign: view.u64(at + 48, f('sh_addralign')),
            entsize: view.u64(at + 56, f('sh_entsize')),
          }
        : {
            index: i,
            name: '',
            nameOffset: view.u32(at, f('sh_name')),
            type: view.u32(at + 4, f('sh_type')),
            flags: BigInt(view.u32(at + 8, f('sh_flags'))),
            addr: BigInt(view.u32(at + 12, f('sh_addr'))),
            offset: BigInt(view.u32(at + 16, f('sh_offset'))),
            size: BigInt(view.u32(at + 20, f('sh_size'))),
            link: view.u32(at + 24, f('sh_link')),
            info: view.u32(at + 28, f('sh_info')),
            addralign: BigInt(view.u32(at + 32, f('sh_addralign'))),
            entsize: BigInt(view.u32(at + 36, f('sh_entsize'))),
          },
    );
  }
  return headers;
}
