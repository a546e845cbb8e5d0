// What the user selected, and what that selection lights up elsewhere (pure: no DOM).
import type { ElfSummary, Hex, LayoutResult, RegionView } from './view-models';

export type Selection =
  | { readonly kind: 'region'; readonly start: Hex }
  | { readonly kind: 'segment'; readonly index: number }
  | { readonly kind: 'section'; readonly index: number }
  | { readonly kind: 'symbol'; readonly table: number; readonly index: number; readonly value: Hex; readonly size: Hex };

export interface AddressRange {
  readonly start: Hex;
  readonly end: Hex;
}

/** Everything to highlight for a selection; `range` is its link-time address range (symbols are filtered by it). */
export interface Links {
  readonly regions: ReadonlySet<number>;
  readonly segments: ReadonlySet<number>;
  readonly sections: ReadonlySet<number>;
  readonly range: AddressRange | null;
}

export const NO_LINKS: Links = { regions: new Set(), segments: new Set(), sections: new Set(), range: null };

const SHF_ALLOC = 2n;
const SHF_TLS = 0x400n;
const SHT_NOBITS = 8;
const PT_GNU_STACK = 0x6474e551;

const hexOf = (v: bigint): Hex => '0x' + v.toString(16);
const overlaps = (a0: bigint, a1: bigint, b0: bigint, b1: bigint) => a0 < b1 && b0 < a1;

function regionRange(r: RegionView): [bigint, bigint] | undefined {
  return r.linkStart && r.linkEnd ? [BigInt(r.linkStart), BigInt(r.linkEnd)] : undefined;
}

function segmentRange(summary: ElfSummary, index: number): [bigint, bigint] | undefined {
  const p = summary.programHeaders[index];
  if (!p || p.type === PT_GNU_STACK) return undefined;
  const start = BigInt(p.vaddr);
  return [start, start + BigInt(p.memsz)];
}

/** Sections that occupy memory (allocated, and not the per-thread .tbss template). */
function sectionRange(summary: ElfSummary, index: number): [bigint, bigint] | undefined {
  const s = summary.sections[index];
  if (!s) return undefined;
  const flags = BigInt(s.flags);
  if (!(flags & SHF_ALLOC) || (flags & SHF_TLS && s.type === SHT_NOBITS)) return undefined;
  const start = BigInt(s.addr);
  return [start, start + BigInt(s.size)];
}

function indicesWhere(count: number, test: (i: number) => boolean): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < count; i++) if (test(i)) out.add(i);
  return out;
}

/** The selection's link-time range: what it covers in the file's own addresses. */
function rangeOf(selection: Selection, summary: ElfSummary, regions: readonly RegionView[]): [bigint, bigint] | undefined {
  switch (selection.kind) {
    case 'region': {
      const r = regions.find((x) => x.start === selection.start);
      return r && regionRange(r);
    }
    case 'segment':
      return segmentRange(summary, selection.index);
    case 'section':
      return sectionRange(summary, selection.index);
    case 'symbol': {
      const start = BigInt(selection.value);
      const size = BigInt(selection.size);
      return [start, start + (size > 0n ? size : 1n)];
    }
  }
}

export function linksOf(selection: Selection | null, summary: ElfSummary | undefined, layout: LayoutResult | undefined): Links {
  if (!selection || !summary) return NO_LINKS;
  const regions = layout?.kind === 'layout' ? layout.regions : [];
  const range = rangeOf(selection, summary, regions);
  const touches = (r: [bigint, bigint] | undefined) => !!range && !!r && overlaps(range[0], range[1], r[0], r[1]);
  const selectedRegion = selection.kind === 'region' ? regions.findIndex((r) => r.start === selection.start) : -1;
  return {
    regions: selectedRegion >= 0 ? new Set([selectedRegion]) : indicesWhere(regions.length, (i) => touches(regionRange(regions[i] as RegionView))),
    segments: selection.kind === 'segment' ? new Set([selection.index]) : indicesWhere(summary.programHeaders.length, (i) => touches(segmentRange(summary, i))),
    sections: selection.kind === 'section' ? new Set([selection.index]) : indicesWhere(summary.sections.length, (i) => touches(sectionRange(summary, i))),
    range: range && range[1] > range[0] ? { start: hexOf(range[0]), end: hexOf(range[1]) } : null,
  };
}
