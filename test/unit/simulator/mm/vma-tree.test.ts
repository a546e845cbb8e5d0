// The chunked VMA tree against a plain sorted array: same order, same gaps found.
import { describe, expect, it } from 'vitest';
import { VM_GROWSDOWN, VM_READ } from '../../../../simulator/mm/vm-flags';
import { MmapOrigin } from '../../../../simulator/mm/mmap-origin';
import { vpnOf, type Vma } from '../../../../simulator/mm/vma';
import { startGap, VmaTree } from '../../../../simulator/mm/vma-tree';

const vma = (startPage: number, pages: number, flags = VM_READ): Vma => ({ start: BigInt(startPage) << 12n, end: BigInt(startPage + pages) << 12n, flags, pgoff: 0n, origin: { kind: 'mmap', description: '' } });

function naiveGap(vmas: readonly Vma[], length: bigint, low: bigint, high: bigint): bigint | undefined {
  for (let i = vmas.length; i >= 0; i--) {
    const next = vmas[i];
    const prev = vmas[i - 1];
    let end = next ? startGap(next) : high;
    if (end > high) end = high;
    const start = prev ? prev.end : 0n;
    if (end < length) continue;
    const addr = end - length;
    if (addr >= start && addr >= low) return addr;
  }
  return undefined;
}

/** The tree's gap search in bytes, as naiveGap takes it (the tree searches in pages). */
function gapOf(tree: VmaTree, length: bigint, low: bigint, high: bigint): bigint | undefined {
  const page = tree.highestGap(Number(length >> 12n), Number(low >> 12n), Number(high >> 12n));
  return page === undefined ? undefined : BigInt(page) << 12n;
}

/** A seeded xorshift: random(n) is in [0, n). */
function xorshift(seed: number): (n: number) => number {
  return (n) => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
}

describe('vpnOf', () => {
  it('is addr >> 12 for every address, around 2^53 and up to 2^64 (vsyscall) included, aligned or not', () => {
    const around = (x: bigint) => [x - 4097n, x - 4096n, x - 1n, x, x + 1n, x + 4095n, x + 4096n];
    const addresses = [0n, 1n, 4095n, 4096n, -1n, -4096n, -4097n, 0x7ffff7fff000n, 0xffffffffff600000n, 0xffffffffff600fffn, (1n << 64n) - 1n, ...around(1n << 53n), ...around(1n << 48n)];
    // Seeded: pseudo-random 53-bit numbers times small factors, so that some pass 2^53 and 2^64.
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 2000; i++) addresses.push(((BigInt(next()) << 22n) | BigInt(next() % 2 ** 22)) * BigInt(1 + (i % 2048)));
    for (const a of addresses) expect(vpnOf(a), `0x${a.toString(16)}`).toBe(Number(a >> 12n));
  });
});

describe('VmaTree', () => {
  it('keeps order and finds the same gaps as a linear scan through thousands of changes', () => {
    const random = xorshift(7);
    const tree = new VmaTree();
    const plain: Vma[] = [];
    const insert = (v: Vma) => {
      const i = plain.findIndex((x) => x.start >= v.end);
      const at = i < 0 ? plain.length : i;
      if ((plain[at - 1]?.end ?? 0n) > v.start) return;
      plain.splice(at, 0, v);
      tree.splice(at, 0, v);
    };
    insert(vma(0x7fff0, 16, VM_READ | VM_GROWSDOWN));
    for (let step = 0; step < 3000; step++) {
      if (random(4) === 0 && plain.length > 1) {
        const i = random(plain.length);
        plain.splice(i, 1);
        tree.splice(i, 1);
      } else {
        insert(vma(random(0x70000), 1 + random(8)));
      }
      if (step % 50 === 0) {
        expect(tree.toArray()).toEqual(plain);
        expect(tree.sums.totalBytes).toBe(plain.reduce((sum, v) => sum + (v.end - v.start), 0n));
        for (const pages of [1n, 4n, 64n, 1024n]) {
          const high = BigInt(0x60000 + random(0x10000)) << 12n;
          expect(gapOf(tree, pages << 12n, 0x1000n, high)).toBe(naiveGap(plain, pages << 12n, 0x1000n, high));
        }
      }
    }
    expect(tree.size).toBe(plain.length);
    expect(plain.length).toBeGreaterThan(1000);
    expect(tree.indexAfter(plain[10]!.start)).toBe(10);
  });

  it('stays right through merges and splits that cross chunk boundaries, as a pass of mprotects makes them (and clones)', () => {
    const random = xorshift(11);
    const plain = Array.from({ length: 3000 }, (_, i) => vma(0x10000 + 2 * i, 1 + (i % 2)));
    let tree = VmaTree.from(plain);
    const check = () => {
      expect(tree.toArray()).toEqual(plain);
      for (let k = 0; k < 20; k++) {
        const i = random(plain.length);
        expect(tree.at(i)).toEqual(plain[i]);
        expect(tree.indexAfter(plain[i]!.start)).toBe(i);
      }
      const high = BigInt(0x10000 + random(0x2000)) << 12n;
      expect(gapOf(tree, 1n << 12n, 0x1000n, high)).toBe(naiveGap(plain, 1n << 12n, 0x1000n, high));
    };
    // Merge a VMA with the next one, or split one in two: along the VMAs in order (the boundary moves), then anywhere.
    const change = (i: number) => {
      const v = plain[i]!;
      const next = plain[i + 1];
      if (next && random(2) === 0) {
        const merged = { ...v, end: next.end };
        plain.splice(i, 2, merged);
        tree.splice(i, 2, merged);
      } else if (v.end - v.start > 0x1000n) {
        const parts = [{ ...v, end: v.start + 0x1000n }, { ...v, start: v.start + 0x1000n }];
        plain.splice(i, 1, ...parts);
        tree.splice(i, 1, ...parts);
      }
    };
    for (let i = 0; i < plain.length - 1; i += 1 + random(2)) {
      change(i);
      if (i % 97 === 0) check();
      if (i % 500 === 0) tree = tree.clone();
    }
    for (let step = 0; step < 3000; step++) {
      change(random(plain.length - 1));
      if (step % 97 === 0) check();
    }
    check();
  });

  it('knows which inodes its VMAs map, through inserts, removals, replacements and clones', () => {
    const file = (startPage: number, inodeId: number): Vma => ({ ...vma(startPage, 1), inodeId });
    const tree = VmaTree.from([file(0x100, 1), file(0x102, 2), file(0x104, 1)]);
    expect([tree.sums.mapsInode(1), tree.sums.mapsInode(2), tree.sums.mapsInode(3)]).toEqual([true, true, false]);
    tree.splice(0, 1);
    expect(tree.sums.mapsInode(1)).toBe(true);
    const copy = tree.clone();
    tree.splice(1, 1);
    expect([tree.sums.mapsInode(1), copy.sums.mapsInode(1)]).toEqual([false, true]);
    tree.set(0, file(0x102, 3));
    expect([tree.sums.mapsInode(2), tree.sums.mapsInode(3), copy.sums.mapsInode(2), copy.sums.mapsInode(3)]).toEqual([false, true, true, false]);
  });

  it('finds the gap that removing the last VMAs of a chunk opens in front of the next chunk', () => {
    const tree = new VmaTree();
    const plain: Vma[] = [];
    // One page every two: 1,000 VMAs with one-page gaps, in chunks of 256 and more (the first holds 0-255).
    for (let i = 0; i < 1000; i++) {
      plain.push(vma(2 * i, 1));
      tree.splice(i, 0, plain[i]!);
    }
    const clone = tree.clone();
    for (const i of [255, 254, 253]) {
      plain.splice(i, 1);
      tree.splice(i, 1);
    }
    // From the end of page 505 (VMA 252) to page 512 (VMA 256): the one gap of 7 pages.
    expect(gapOf(tree, 7n << 12n, 0x1000n, 1998n << 12n)).toBe(naiveGap(plain, 7n << 12n, 0x1000n, 1998n << 12n));
    expect(gapOf(tree, 7n << 12n, 0x1000n, 1998n << 12n)).toBe(505n << 12n);
    expect(gapOf(clone, 2n << 12n, 0x1000n, 1998n << 12n)).toBeUndefined();
  });

  it('shares chunks with its clones until either changes them: each keeps its own VMAs', () => {
    const tree = new VmaTree();
    for (let i = 0; i < 2000; i++) tree.splice(i, 0, vma(i * 2, 1));
    const snapshots: { copy: VmaTree; vmas: Vma[]; bytes: bigint }[] = [];
    for (let round = 0; round < 6; round++) {
      snapshots.push({ copy: tree.clone(), vmas: [...tree.toArray()], bytes: tree.sums.totalBytes });
      // Changes all over the tree, then some to the latest copy, which must not reach the tree.
      for (let i = 0; i < 200; i++) tree.splice((i * 37 + round) % tree.size, 1);
      for (let i = 0; i < 200; i++) tree.set((i * 3) % tree.size, vma(Number(tree.at((i * 3) % tree.size)!.start >> 12n), 1, VM_READ | VM_GROWSDOWN));
      const latest = snapshots.at(-1)!.copy;
      latest.splice(0, 10);
      snapshots.at(-1)!.vmas.splice(0, 10);
      snapshots.at(-1)!.bytes -= 10n << 12n;
    }
    for (const { copy, vmas, bytes } of snapshots) {
      expect(copy.toArray()).toEqual(vmas);
      expect(copy.sums.totalBytes).toBe(bytes);
      expect(gapOf(copy, 1n << 12n, 0x1000n, 1n << 40n)).toBe(naiveGap(vmas, 1n << 12n, 0x1000n, 1n << 40n));
    }
  });

  it('replacing a VMA by one with the same range changes the gaps only when VM_GROWSDOWN changes', () => {
    const tree = new VmaTree();
    for (let i = 0; i < 300; i++) tree.splice(i, 0, vma(i * 300, 1));
    const random = xorshift(7);
    for (let round = 0; round < 400; round++) {
      const i = random(tree.size);
      const old = tree.at(i)!;
      // Every other replacement keeps the flags (the anon_vma, the line...); the rest set or clear VM_GROWSDOWN.
      const flags = round % 2 ? old.flags : old.flags ^ VM_GROWSDOWN;
      tree.set(i, { ...old, flags });
      const vmas = tree.toArray();
      // Below a VMA's start: the gaps in front of that VMA and those below it are searched.
      const length = BigInt(1 + random(300)) << 12n;
      const high = tree.at(random(tree.size))!.start;
      expect(gapOf(tree, length, 0x1000n, high)).toBe(naiveGap(vmas, length, 0x1000n, high));
    }
  });

  it('at 40,000 VMAs placed top-down (hundreds of chunks in groups of 64) finds the gaps a linear scan finds', () => {
    const tree = new VmaTree();
    const plain: Vma[] = [];
    // As mmap places them: each new VMA just below the last, one page apart so that none merge.
    for (let i = 0; i < 40_000; i++) {
      const v = vma(0x100000 - 2 * (i + 1), 1);
      plain.unshift(v);
      tree.splice(0, 0, v);
      if (i % 9_999 === 0) {
        expect(tree.indexAfter(v.start)).toBe(0);
        expect(tree.at(i)).toEqual(plain[i]);
      }
    }
    // Wide holes in a few places, from the middle to both ends.
    for (const i of [25_000, 12_000, 30_000, 100, 39_000]) {
      plain.splice(i, 40);
      tree.splice(i, 40);
    }
    expect(tree.toArray()).toEqual(plain);
    for (const pages of [1n, 2n, 8n, 64n, 1024n]) {
      for (const high of [1n << 40n, BigInt(0x100000 - 20_000) << 12n, BigInt(0x100000 - 70_000) << 12n]) {
        expect(gapOf(tree, pages << 12n, 0x1000n, high)).toBe(naiveGap(plain, pages << 12n, 0x1000n, high));
      }
    }
  });
});

describe('VmaTree columns', () => {
  it('gives back every field of a VMA as it was stored, absent fields absent, and knows it by value', () => {
    const file = { path: '/lib/x.so', identity: { major: 8, minor: 1, inode: 77 } };
    const origin = { kind: 'mmap' as const, region: 'A', description: 'mmap A' };
    const vmas: Vma[] = [
      { start: 0x1000n, end: 0x3000n, flags: VM_READ, pgoff: 1n, origin },
      { start: 0x5000n, end: 0x6000n, flags: VM_READ | VM_GROWSDOWN, pgoff: (1n << 51n) + 5n, origin, file, inodeId: 0, openFile: 3, writeNotify: false, anonVma: 9, anonVmaForked: true, line: 0 },
      { start: 0x7fff_ffff_e000n, end: 0x7fff_ffff_f000n, flags: 0x40000000, pgoff: 0x7ffffffen, origin, special: '[vdso]', writeNotify: true, anonVmaForked: false, line: 12345 },
      // An anonymous mmap's origin is kept as its region's name and a number, a file mmap's whole.
      { start: 0x8000_0000_0000n, end: 0x8000_0010_0000n, flags: VM_READ, pgoff: 0x80000000n, origin: MmapOrigin.of('R1', 1n << 40n, 3, true, undefined) },
      { start: 0x8000_0010_0000n, end: 0x8000_0020_0000n, flags: VM_READ, pgoff: 0n, origin: MmapOrigin.of('R2', 1n << 20n, 1, false, '/data/f') },
    ];
    const tree = VmaTree.from(vmas);
    for (let i = 0; i < vmas.length; i++) {
      expect(tree.at(i)).toStrictEqual(vmas[i]);
      expect(tree.holds(i, vmas[i]!)).toBe(true);
      expect(tree.holds(i, { ...vmas[i]!, line: 7 })).toBe(false);
    }
    expect(tree.toArray()).toStrictEqual(vmas);
    expect(tree.at(3)!.origin.description).toBe('mmap of 1073741824 KiB, rw- shared anonymous');
    expect(tree.holds(3, { ...vmas[3]!, origin: MmapOrigin.of('R1', 1n << 40n, 1, true, undefined) })).toBe(false);
    expect(tree.flagsAt(2)).toBe(0x40000000);
    expect([tree.startPageAt(1), tree.endPageAt(1)]).toEqual([5, 6]);
  });
});
