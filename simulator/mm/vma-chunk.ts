// The chunks of the VMA tree (vma-tree.ts): runs of VMAs with their gap ends as page numbers.
import { VM_GROWSDOWN } from './vm-flags';
import { vpnOf, type Vma } from './vma';

/** stack_guard_gap: 256 pages (mm/mmap.c). */
export const STACK_GUARD_GAP = 256n << 12n;

/** vm_start_gap: a VM_GROWSDOWN VMA keeps stack_guard_gap free below it. */
export function startGap(vma: Vma): bigint {
  if (!(vma.flags & VM_GROWSDOWN)) return vma.start;
  const gap = vma.start - STACK_GUARD_GAP;
  return gap > vma.start ? 0n : gap;
}

/** A run of VMAs with their vm_start_gap and end as page numbers, for gap arithmetic without bigints. */
export interface Chunk {
  readonly vmas: Vma[];
  /** vm_start_gap >> PAGE_SHIFT of each VMA. */
  readonly gapStarts: number[];
  /** vm_end >> PAGE_SHIFT of each VMA. */
  readonly ends: number[];
}

export const newChunk = (vmas: Vma[]): Chunk => ({ vmas, gapStarts: vmas.map((v) => vpnOf(startGap(v))), ends: vmas.map((v) => vpnOf(v.end)) });
export const copyChunk = (c: Chunk): Chunk => ({ vmas: c.vmas.slice(), gapStarts: c.gapStarts.slice(), ends: c.ends.slice() });

/** Moves a chunk's entries from `at` on up by n places (an insert without splice's array of removed items). */
export function openGap(chunk: Chunk, at: number, n: number): void {
  const { vmas, gapStarts, ends } = chunk;
  const length = vmas.length;
  for (let i = length - 1 + n; i >= length; i--) {
    // Grown one slot at a time with push, so that the arrays keep their element kinds.
    vmas.push(vmas[0]!);
    gapStarts.push(0);
    ends.push(0);
  }
  for (let i = length - 1; i >= at; i--) {
    vmas[i + n] = vmas[i]!;
    gapStarts[i + n] = gapStarts[i]!;
    ends[i + n] = ends[i]!;
  }
}

/** A chunk cut into chunks of `size` VMAs (the last may be shorter), their page numbers copied, not recomputed. */
export function splitEvenly(chunk: Chunk, size: number): Chunk[] {
  const out: Chunk[] = [];
  for (let i = 0; i < chunk.vmas.length; i += size) {
    out.push({ vmas: chunk.vmas.slice(i, i + size), gapStarts: chunk.gapStarts.slice(i, i + size), ends: chunk.ends.slice(i, i + size) });
  }
  return out;
}

export function largest(gaps: readonly number[]): number {
  let max = 0;
  for (const gap of gaps) if (gap > max) max = gap;
  return max;
}
