import { PT_DYNAMIC, PT_GNU_EH_FRAME, PT_GNU_RELRO, PT_GNU_STACK, PT_LOAD, PT_NOTE, PT_PHDR, PT_TLS, SHT_NOBITS } from './names';
import type { ProgramHeader } from './program-headers';
import { SHF_ALLOC, SHF_TLS, type SectionHeader } from './section-headers';

const MASK64 = (1n << 64n) - 1n;
const PT_GNU_SFRAME = 0x6474e554;
const PT_GNU_MBIND_LO = 0x6474e555;
const PT_GNU_MBIND_HI = PT_GNU_MBIND_LO + 0xfff;

const minusOne = (v: bigint) => (v - 1n) & MASK64;

function sectionSizeIn(s: SectionHeader, p: ProgramHeader): bigint {
  return (s.flags & SHF_TLS) === 0n || s.type !== SHT_NOBITS || p.type === PT_TLS ? s.size : 0n;
}

/** binutils' ELF_SECTION_IN_SEGMENT_STRICT with ELF_TBSS_SPECIAL, as readelf uses for "Section to Segment mapping". */
export function sectionInSegment(s: SectionHeader, p: ProgramHeader): boolean {
  const tls = (s.flags & SHF_TLS) !== 0n;
  const alloc = (s.flags & SHF_ALLOC) !== 0n;
  if (tls && s.type === SHT_NOBITS && p.type !== PT_TLS) return false;
  const typeOk = tls ? p.type === PT_TLS || p.type === PT_GNU_RELRO || p.type === PT_LOAD : p.type !== PT_TLS && p.type !== PT_PHDR;
  if (!typeOk) return false;
  const allocOnly = [PT_LOAD, PT_DYNAMIC, PT_GNU_EH_FRAME, PT_GNU_STACK, PT_GNU_RELRO, PT_GNU_SFRAME].includes(p.type) || (p.type >= PT_GNU_MBIND_LO && p.type <= PT_GNU_MBIND_HI);
  if (!alloc && allocOnly) return false;
  const size = sectionSizeIn(s, p);
  if (s.type !== SHT_NOBITS) {
    if (s.offset < p.offset) return false;
    if (s.offset - p.offset > minusOne(p.filesz)) return false;
    if (s.offset - p.offset + size > p.filesz) return false;
  }
  if (alloc) {
    if (s.addr < p.vaddr) return false;
    if (s.addr - p.vaddr > minusOne(p.memsz)) return false;
    if (s.addr - p.vaddr + size > p.memsz) return false;
  }
  if ((p.type === PT_DYNAMIC || p.type === PT_NOTE) && s.size === 0n && p.memsz !== 0n) {
    const inFile = s.type === SHT_NOBITS || (s.offset > p.offset && s.offset - p.offset < p.filesz);
    const inMemory = !alloc || (s.addr > p.vaddr && s.addr - p.vaddr < p.memsz);
    if (!(inFile && inMemory)) return false;
  }
  return true;
}

/** For each segment, the indices of the sections inside it (section 0 excluded). */
export function mapSectionsToSegments(segments: readonly ProgramHeader[], sections: readonly SectionHeader[]): number[][] {
  return segments.map((p) => sections.filter((s) => s.index > 0 && sectionInSegment(s, p)).map((s) => s.index));
}
