// gcore's PT_LOADs all carry PF_R and it skips the file mappings it does not dump, so the
// permissions of file regions come from the mapped ELF file's own program headers: the kernel
// (load_elf_binary, elf_map) and ld.so (_dl_map_segments) map each PT_LOAD with its p_flags,
// make PT_GNU_RELRO read-only (_dl_protect_relro) and the holes between segments PROT_NONE.
import { ElfFile } from '../elf/elf-file';
import type { FileAccess } from '../elf/file-access';
import { PF_W, PF_X, type ProgramHeader } from '../elf/program-headers';
import { flagLetters, type RawRegion } from './core-regions';

/** At most this many distinct files are opened: a core of a huge process stays quick. */
const MAX_FILES = 512;

const down = (v: bigint, page: bigint) => v - (v % page);
const up = (v: bigint, page: bigint) => down(v + page - 1n, page);

interface Image {
  readonly loads: readonly ProgramHeader[];
  readonly relro?: ProgramHeader;
}

async function openImage(open: (path: string) => Promise<FileAccess | undefined>, path: string): Promise<Image | undefined> {
  try {
    const file = await open(path);
    if (!file) return undefined;
    const elf = await ElfFile.open(file);
    const loads = elf.loadSegments.filter((p) => p.memsz > 0n).sort((a, b) => (a.vaddr < b.vaddr ? -1 : 1));
    return loads.length ? { loads, relro: elf.relroSegment } : undefined;
  } catch {
    return undefined;
  }
}

/** The rwx an ELF image gives the page range [v, v + size) of its link-time addresses, or undefined when it is not the image's. */
function imagePerms(image: Image, v: bigint, size: bigint, offset: bigint, page: bigint): string | undefined {
  for (const p of image.loads) {
    const segStart = down(p.vaddr, page);
    const segEnd = up(p.vaddr + p.memsz, page);
    if (v < segStart || v >= segEnd) continue;
    if (v + size > segEnd) return undefined;
    // A file region must map the segment's own bytes (elf_map: p_offset - PAGE_OFFSET(p_vaddr)).
    if (offset !== down(p.offset, page) + (v - segStart)) return undefined;
    let flags = p.flags;
    const relro = image.relro;
    if (relro && v >= down(relro.vaddr, page) && v + size <= down(relro.vaddr + relro.memsz, page)) flags &= ~PF_W;
    return flagLetters(flags);
  }
  // A hole inside the image that ld.so made PROT_NONE keeps the offset of its first mapping.
  const first = image.loads[0] as ProgramHeader;
  return offset === down(first.offset, page) + (v - down(first.vaddr, page)) ? '---' : undefined;
}

/**
 * Fills in the permissions of gcore's file regions from the mapped files. Regions of a file are
 * walked in address order; the one mapping the first PT_LOAD's offset starts an image and gives
 * the load bias. Returns how many regions got permissions from a file.
 */
export async function permsFromMappedFiles(regions: RawRegion[], open: (path: string) => Promise<FileAccess | undefined>, page: bigint): Promise<{ fromFile: number; files: number }> {
  const byPath = new Map<string, RawRegion[]>();
  for (const r of regions) {
    if (!r.path || r.permsSource === 'core') continue;
    let list = byPath.get(r.path);
    if (!list) {
      if (byPath.size >= MAX_FILES) continue;
      list = [];
      byPath.set(r.path, list);
    }
    list.push(r);
  }
  let fromFile = 0;
  let files = 0;
  for (const [path, list] of byPath) {
    // " (deleted)": the file the process mapped is gone; a new one at the path is another file.
    if (path.endsWith(' (deleted)')) continue;
    const image = await openImage(open, path);
    if (!image) continue;
    files++;
    const first = image.loads[0] as ProgramHeader;
    const firstOffset = down(first.offset, page);
    const imageSize = image.loads.reduce((m, p) => (up(p.vaddr + p.memsz, page) > m ? up(p.vaddr + p.memsz, page) : m), 0n) - down(first.vaddr, page);
    let bias: bigint | undefined;
    let imageStart = 0n;
    for (const r of list) {
      if (r.offset === firstOffset) {
        imageStart = r.start;
        bias = r.start - down(first.vaddr, page);
      }
      if (bias === undefined || r.start < imageStart || r.end > imageStart + imageSize) continue;
      const rwx = imagePerms(image, r.start - bias, r.end - r.start, r.offset, page);
      if (rwx === undefined) continue;
      fromFile++;
      if (r.coreFlags === undefined) {
        r.rwx = rwx;
        r.permsSource = 'file';
      } else {
        // Dumped: w and x are the core's, r the file's.
        r.rwx = `${rwx[0]}${r.coreFlags & PF_W ? 'w' : '-'}${r.coreFlags & PF_X ? 'x' : '-'}`;
        r.permsSource = 'core+file';
      }
    }
  }
  return { fromFile, files };
}
