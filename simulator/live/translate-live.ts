// Translate Address for a real process: the region that holds the address (/proc/PID/smaps), the
// page's state (pagemap, kpagecount, kpageflags) and, when the region maps an ELF file, the symbol
// at that place of the file. The words are the simulated Translate Address's (inspect/translate.ts).
// Pure apart from the reader and the file opener it is given; no vscode.
import { ElfFile, type FileAccess } from '../elf';
import { parseAddress, shortState } from '../inspect/translate';
import { PageState } from '../inspect/view-models';
import { readPageDetail } from './pages';
import type { Hex, LivePageDetail, LiveProcess, LiveVma, ProcReader } from './types';

const STT_OBJECT = 1;
const STT_FUNC = 2;
const SHN_UNDEF = 0;

export interface LiveTranslation {
  readonly address: Hex;
  readonly pid: number;
  /** The region that holds the address (its index in the reading), or undefined when none does. */
  readonly region?: { readonly index: number; readonly start: Hex; readonly end: Hex; readonly perms: string; readonly path: string; readonly mapsLine: string };
  readonly page?: LivePageDetail;
  /** "main+0x1a", when the region maps an ELF file that names the place. */
  readonly symbol?: string;
  /** One line: "mmap-stops 0x7f…1000 → anonymous rw-p, anonymous private, frame 0x1a2 (phys 0x1a2000)". */
  readonly summary: string;
}

const hex = (n: bigint): Hex => `0x${n.toString(16)}`;

/** A hex value in a debugger's rendering of a value: "0x00007ffff7fbf000", "(char *) 0x55… \"abc\"", "7ffff7fbf000". */
export function hexInValue(value: string): bigint | undefined {
  const m = /(?<![0-9A-Za-z_])0[xX]([0-9A-Fa-f]{1,16})(?![0-9A-Za-z_])/.exec(value.slice(0, 512));
  if (m) return BigInt(`0x${m[1]}`);
  return /^\s*[0-9A-Fa-f]{8,16}\s*$/.test(value) ? parseAddress(value) : undefined;
}

/** The region of `process` that holds `address`. */
export function regionOf(process: LiveProcess, address: bigint): LiveVma | undefined {
  let lo = 0;
  let hi = process.vmas.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = process.vmas[mid] as LiveVma;
    if (address < BigInt(v.start)) hi = mid - 1;
    else if (address >= BigInt(v.end)) lo = mid + 1;
    else return v;
  }
  return undefined;
}

/** The pathname column, or what the region is when it has none. */
const regionLabel = (v: LiveVma) => v.path || (v.perms[3] === 's' ? 'shared anonymous' : 'anonymous');

/** Where `address` leads in the process of `process` (a reading of `pid`), the page read now. */
export function translateLive(reader: ProcReader, process: LiveProcess, address: bigint, symbol?: string): LiveTranslation {
  const where = `${process.command || `pid ${process.pid}`} ${hex(address)} →`;
  const v = regionOf(process, address);
  if (!v) return { address: hex(address), pid: process.pid, summary: `${where} not mapped (no VMA contains it)` };
  const region = { index: v.index, start: v.start, end: v.end, perms: v.perms, path: v.path, mapsLine: v.mapsLine };
  let page: LivePageDetail | undefined;
  let state: string;
  try {
    page = readPageDetail(reader, process.pid, address);
    state = page.state === PageState.NotPresent && !page.present && page.pagemap === '0x0' ? 'not present' : shortState({ state: page.state, mapcount: page.mapcount, swapSlot: page.swapOffset });
  } catch (error) {
    state = `page state unknown (${error instanceof Error ? error.message : String(error)})`;
  }
  const physical = page?.pfn !== undefined ? `, frame ${hex(BigInt(page.pfn))} (phys ${hex((BigInt(page.pfn) << 12n) | (address & 0xfffn))})` : '';
  const at = symbol ? `, ${symbol}` : '';
  return { address: hex(address), pid: process.pid, region, ...(page ? { page } : {}), ...(symbol ? { symbol } : {}), summary: `${where} ${regionLabel(v)} ${v.perms}${at}, ${state}${physical}` };
}

/**
 * The symbol at `address` of a region that maps an ELF file: the file offset (address − start +
 * the mapping's offset) is found in a PT_LOAD segment, turned into the file's own address, and looked
 * up in .symtab, else .dynsym (the function or object that contains it, else the nearest below).
 */
export async function symbolAt(file: FileAccess, vma: Pick<LiveVma, 'start' | 'offset'>, address: bigint): Promise<string | undefined> {
  const elf = await ElfFile.open(file);
  const offset = address - BigInt(vma.start) + BigInt(vma.offset);
  const segment = elf.loadSegments.find((p) => p.offset <= offset && offset < p.offset + p.filesz);
  if (!segment) return undefined;
  const vaddr = segment.vaddr + (offset - segment.offset);
  let best: { name: string; value: bigint; size: bigint } | undefined;
  for (const table of await elf.symbolTables().catch(() => [])) {
    for (const s of table) {
      if ((s.type !== STT_FUNC && s.type !== STT_OBJECT) || s.shndx === SHN_UNDEF || !s.name || s.value > vaddr) continue;
      const inside = vaddr < s.value + (s.size || 1n);
      if (inside) return s.value === vaddr ? s.name : `${s.name}+0x${(vaddr - s.value).toString(16)}`;
      if (!best || s.value > best.value) best = s;
    }
    if (best) break;
  }
  return best && vaddr - best.value < 0x10000n ? `${best.name}+0x${(vaddr - best.value).toString(16)}` : undefined;
}
