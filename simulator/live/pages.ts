// The pages grid of one range and the one-page detail, from pagemap and kpagecount/kpageflags.
import { PageState } from '../inspect/view-models';
import { scanPages } from './page-scan';
import {
  KPF_ANON, KPF_DIRTY, KPF_SWAPBACKED, KPF_ZERO_PAGE, kpageFlagNames, PagemapReader, PM_FILE_HI, PM_MMAP_EXCLUSIVE_HI, PM_PRESENT_HI,
  PM_SOFT_DIRTY_HI, PM_SWAP_HI, pfnOf,
} from './pagemap';
import { asProcFileError } from './proc-reader';
import type { LivePageDetail, LivePages, ProcReader } from './types';

const toBig = (v: bigint | string): bigint => (typeof v === 'bigint' ? v : BigInt(v));
const USER_TOP = 1n << 47n;
const min = (a: bigint, b: bigint) => (a < b ? a : b);

/** The pages of [start, end) (hex or bigint, rounded out to pages) of process `pid`. Throws ProcFileError. */
export function readVmaPages(reader: ProcReader, pid: number, start: bigint | string, end: bigint | string, shmem = false): LivePages {
  // pagemap covers the user address space (47 bits) only.
  const startVpn = Number(min(toBig(start), USER_TOP) >> 12n);
  const endVpn = Math.max(startVpn, Number(min(toBig(end) + 4095n, USER_TOP) >> 12n));
  const result = scanPages(reader, pid, [{ startVpn, endVpn, shmemGuess: shmem, wantPages: true }]);
  return result.pages[0]!;
}

function readU64(reader: ProcReader, path: string, index: number): bigint {
  const bytes = new Uint8Array(8);
  try {
    if (reader.readAt(path, index * 8, bytes) < 8) return 0n;
  } catch (error) {
    throw asProcFileError(error, path);
  }
  return new DataView(bytes.buffer).getBigUint64(0, true);
}

/** One page of process `pid` in detail: the pagemap entry, PFN, mapcount and kpageflags where readable. */
export function readPageDetail(reader: ProcReader, pid: number, address: bigint | string): LivePageDetail {
  const addr = toBig(address) & ~0xfffn;
  const vpn = Number(addr >> 12n);
  let entry = 0n;
  if (addr < USER_TOP) new PagemapReader(reader, pid).scan(vpn, vpn + 1, (words) => {
    entry = (BigInt(words[1]!) << 32n) | BigInt(words[0]!);
  });
  const lo = Number(entry & 0xffffffffn);
  const hi = Number(entry >> 32n);
  const present = (hi & PM_PRESENT_HI) !== 0;
  const swapped = !present && (hi & PM_SWAP_HI) !== 0;
  const pfn = present ? pfnOf(lo, hi) || undefined : undefined;
  const softDirty = (hi & PM_SOFT_DIRTY_HI) !== 0;
  const exclusive = (hi & PM_MMAP_EXCLUSIVE_HI) !== 0;
  const fileOrShared = (hi & PM_FILE_HI) !== 0;
  let mapcount: number | undefined;
  let kflags: bigint | undefined;
  const parts: string[] = [];
  if (pfn !== undefined) {
    try {
      mapcount = Number(readU64(reader, 'kpagecount', pfn));
      kflags = readU64(reader, 'kpageflags', pfn);
    } catch (error) {
      parts.push(asProcFileError(error, 'kpagecount').message);
    }
  }
  const kf = kflags === undefined ? undefined : Number(kflags & 0xffffffffn);
  let state: PageState = PageState.NotPresent;
  if (swapped) state = PageState.Swapped;
  else if (present) {
    const anon = kf !== undefined ? (kf & KPF_ANON) !== 0 : !fileOrShared;
    const shmem = kf !== undefined && !anon && (kf & KPF_SWAPBACKED) !== 0;
    const shared = mapcount !== undefined ? mapcount >= 2 : !exclusive;
    if (kf !== undefined && kf & KPF_ZERO_PAGE) state = PageState.ZeroPage;
    else if (anon) state = shared ? PageState.AnonShared : PageState.AnonPrivate;
    else if (shmem) state = PageState.Shmem;
    else state = kf !== undefined && kf & KPF_DIRTY ? PageState.FileDirty : PageState.FileClean;
  }
  const words = [
    !present && !swapped ? 'not present' : swapped ? `swapped out (type ${lo & 31}, offset ${Math.floor(pfnOf(lo, hi) / 32)})` : `present${pfn === undefined ? ' (PFN hidden: needs CAP_SYS_ADMIN)' : `, PFN 0x${pfn.toString(16)}`}`,
    ...(present ? [fileOrShared ? 'file or shared anonymous' : 'anonymous'] : []),
    ...(mapcount !== undefined ? [`mapcount ${mapcount}`] : []),
    ...(exclusive ? ['exclusively mapped'] : []),
    ...(softDirty ? ['soft-dirty'] : []),
    ...parts,
  ];
  return {
    address: `0x${addr.toString(16)}`,
    pagemap: `0x${entry.toString(16)}`,
    present,
    swapped,
    ...(swapped ? { swapType: lo & 31, swapOffset: Math.floor(pfnOf(lo, hi) / 32) } : {}),
    ...(pfn !== undefined ? { pfn } : {}),
    softDirty,
    exclusive,
    fileOrShared,
    ...(mapcount !== undefined ? { mapcount } : {}),
    ...(kflags !== undefined ? { kpageflags: `0x${kflags.toString(16)}`, kpageflagNames: kpageFlagNames(kflags) } : {}),
    state,
    description: words.join(', '),
  };
}
