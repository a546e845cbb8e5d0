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

/** Sections sorted by a key, for a binary search of the ones a segment's range can hold. */
class SortedSections {
  private readonly keys: bigint[];
  constructor(private readonly sections: SectionHeader[], key: (s: SectionHeader) => bigint) {
    sections.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.index - b.index));
    this.keys = sections.map(key);
  }

  private lowerBound(v: bigint): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.keys[mid] as bigint) < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The sections whose key lies in [from, to] (indices into the sorted list). */
  range(from: bigint, to: bigint): [number, number] {
    return [this.lowerBound(from), this.lowerBound(to + 1n)];
  }

  at(i: number): SectionHeader {
    return this.sections[i] as SectionHeader;
  }
}

/**
 * The segment-section pairs worth testing: a section with contents can only be inside a segment
 * whose file range holds its offset, an allocated SHT_NOBITS one one whose memory range holds its
 * address. Core files have thousands of both, where testing every pair would take minutes.
 */
function candidates(segments: readonly ProgramHeader[], sections: readonly SectionHeader[], limit: number): SectionHeader[][] | undefined {
  const inFile = new SortedSections(sections.filter((s) => s.index > 0 && s.type !== SHT_NOBITS), (s) => s.offset);
  const inMemory = new SortedSections(sections.filter((s) => s.index > 0 && s.type === SHT_NOBITS && (s.flags & SHF_ALLOC) !== 0n), (s) => s.addr);
  const always = sections.filter((s) => s.index > 0 && s.type === SHT_NOBITS && (s.flags & SHF_ALLOC) === 0n);
  let total = 0;
  const result: SectionHeader[][] = [];
  for (const p of segments) {
    const [a, b] = inFile.range(p.offset, p.offset + p.filesz);
    const [c, d] = inMemory.range(p.vaddr, p.vaddr + p.memsz);
    total += Math.max(0, b - a) + Math.max(0, d - c) + always.length;
    if (total > limit) return undefined;
    const list: SectionHeader[] = [...always];
    for (let i = a; i < b; i++) list.push(inFile.at(i));
    for (let i = c; i < d; i++) list.push(inMemory.at(i));
    result.push(list);
  }
  return result;
}

/**
 * For each segment, the indices of the sections inside it (section 0 excluded), in section order.
 * Returns undefined when over `limit` pairs would have to be tested (overlapping hostile tables).
 */
export function mapSectionsToSegments(segments: readonly ProgramHeader[], sections: readonly SectionHeader[], limit = Infinity): number[][] | undefined {
  const lists = candidates(segments, sections, limit);
  return lists?.map((list, i) => list.filter((s) => sectionInSegment(s, segments[i] as ProgramHeader)).map((s) => s.index).sort((x, y) => x - y));
}
