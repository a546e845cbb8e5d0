import { isDataMapping } from './rlimit';
import { VM_ACCOUNT } from './vm-flags';
import type { Chunk } from './vma-chunk';

/**
 * What an mm's VMAs add up to, kept as VMAs come and go: total_vm, the VM_ACCOUNT VMAs' share of
 * vm_committed_as, data_vm, and how many VMAs map each inode (a file's or shmem object's i_mmap count).
 */
export class VmaSums {
  /** The VMAs' sizes summed in pages. */
  private pages = 0;
  private accounted = 0;
  private data = 0;
  private inodeVmas = new Map<number, number>();

  clone(): VmaSums {
    const copy = new VmaSums();
    copy.pages = this.pages;
    copy.accounted = this.accounted;
    copy.data = this.data;
    copy.inodeVmas = new Map(this.inodeVmas);
    return copy;
  }

  /** The VMAs' sizes summed, in bytes. */
  get totalBytes(): bigint {
    return BigInt(this.pages) << 12n;
  }

  /** The VM_ACCOUNT VMAs' sizes summed, in bytes. */
  get accountedBytes(): bigint {
    return BigInt(this.accounted) << 12n;
  }

  /** The data VMAs' sizes summed (is_data_mapping: private, writable, not a stack), in bytes. */
  get dataBytes(): bigint {
    return BigInt(this.data) << 12n;
  }

  /** Whether a VMA maps the inode (file or shmem object) `id`. */
  mapsInode(id: number): boolean {
    return this.inodeVmas.has(id);
  }

  /** Adds (sign 1) or removes (-1) the VMA in slot i of a chunk. */
  count(chunk: Chunk, i: number, sign: number): void {
    const size = chunk.pages(i) * sign;
    const flags = chunk.flags(i);
    this.pages += size;
    if (flags & VM_ACCOUNT) this.accounted += size;
    if (isDataMapping(flags)) this.data += size;
    const inodeId = chunk.inodeId(i);
    if (inodeId !== undefined) {
      const count = (this.inodeVmas.get(inodeId) ?? 0) + sign;
      if (count > 0) this.inodeVmas.set(inodeId, count);
      else this.inodeVmas.delete(inodeId);
    }
  }
}
