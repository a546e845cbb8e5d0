import type { ElfFile } from '../elf/elf-file';
import type { RawRegion } from './core-regions';

/** Bytes read per call while looking for data, and at most in all per core and per region. */
const CHUNK = 1 << 16;
const BUDGET = 64 << 20;
const PER_REGION = 16 << 20;

/**
 * gcore sets PF_R on every segment, so a read-only anonymous region (PROT_READ over data) and a
 * PROT_NONE guard or reservation look alike in the program headers. A guard is never written, and
 * gdb reads it through ptrace as zeros; dumped bytes that are not all zero therefore mean `r--`.
 * Returns the regions whose permissions this changed. (A read-only region of zeros stays `---`.)
 */
export async function readOnlyByContent(elf: ElfFile, raw: RawRegion[]): Promise<RawRegion[]> {
  const changed: RawRegion[] = [];
  let budget = BUDGET;
  for (const r of raw) {
    const seg = r.segment;
    if (r.permsSource !== 'core-guess' || r.rwx !== '---' || r.path !== undefined || !seg || r.dumpedBytes === 0n || r.start < seg.vaddr) continue;
    if (budget <= 0) break;
    const length = Math.min(Number(r.dumpedBytes), PER_REGION, budget);
    budget -= length;
    if (await holdsData(elf, seg.offset + (r.start - seg.vaddr), length)) {
      r.rwx = 'r--';
      changed.push(r);
    }
  }
  return changed;
}

async function holdsData(elf: ElfFile, offset: bigint, length: number): Promise<boolean> {
  for (let done = 0; done < length; done += CHUNK) {
    const n = Math.min(CHUNK, length - done);
    let bytes: Uint8Array;
    try {
      bytes = await elf.readRange(offset + BigInt(done), BigInt(n), 'a dumped segment');
    } catch {
      return false;
    }
    const words = bytes.byteOffset % 4 === 0 && n % 4 === 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset, n / 4) : bytes;
    for (let i = 0; i < words.length; i++) if (words[i] !== 0) return true;
  }
  return false;
}
