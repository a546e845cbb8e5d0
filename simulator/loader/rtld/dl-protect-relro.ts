import { PT_LOAD } from '../../elf/names';
import { PF_W } from '../../elf/program-headers';
import { PROT_READ } from '../../mm/vm-flags';
import { pageAlign, pageStart } from '../../mm/vma';
import { mprotect, type MmanContext } from './dl-mman';
import type { LinkMap } from './dl-object';

/**
 * _dl_protect_relro (elf/dl-reloc.c): after relocation, the whole pages of
 * PT_GNU_RELRO become read-only. The end is rounded down: a partial last
 * page stays writable.
 */
export function protectRelro(ctx: MmanContext, l: LinkMap): void {
  if (!l.relro) return;
  const start = pageStart(l.lAddr + l.relro.vaddr);
  const end = pageStart(l.lAddr + l.relro.vaddr + l.relro.memsz);
  if (start !== end) mprotect(ctx, start, end - start, PROT_READ);
}

/**
 * The pages ld.so writes while relocating an object: every file page of its
 * writable PT_LOAD segments (GOT, .data.rel.ro, .got.plt, initialised data
 * with pointers). An approximation: a page without relocations is written
 * too, which on a real machine happens anyway once the program starts.
 */
export function relocationPages(l: LinkMap): bigint[] {
  const pages: bigint[] = [];
  for (const p of l.elf.programHeaders) {
    if (p.type !== PT_LOAD || !(p.flags & PF_W) || p.filesz === 0n) continue;
    for (let page = pageStart(l.lAddr + p.vaddr); page < pageAlign(l.lAddr + p.vaddr + p.filesz); page += 0x1000n) pages.push(page);
  }
  return pages;
}
