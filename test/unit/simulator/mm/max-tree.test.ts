import { describe, expect, it } from 'vitest';
import { MaxTree } from '../../../../simulator/mm/max-tree';

/** The answer by a walk, to check the tree against. */
function lastAtLeastByWalk(values: readonly number[], i: number, least: number): number {
  for (let k = Math.min(i, values.length - 1); k >= 0; k--) if (values[k]! >= least) return k;
  return -1;
}

describe('MaxTree', () => {
  it('finds the last entry at or before an index that is at least a value, as a walk does', () => {
    let seed = 7;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (const n of [1, 2, 3, 5, 8, 13, 64, 100, 257]) {
      const values = Array.from({ length: n }, () => random(50));
      const tree = new MaxTree();
      tree.rebuild(values);
      for (let round = 0; round < 200; round++) {
        if (round % 3 === 0) {
          const at = random(n);
          values[at] = random(50);
          tree.set(at, values[at]);
        }
        const i = random(n + 2) - 1;
        const least = random(55);
        expect(tree.lastAtLeast(i, least), `n ${n}, i ${i}, least ${least}`).toBe(lastAtLeastByWalk(values, i, least));
      }
    }
  });

  it('finds nothing in an empty tree', () => {
    const tree = new MaxTree();
    expect(tree.lastAtLeast(3, 0)).toBe(-1);
    tree.rebuild([]);
    expect(tree.lastAtLeast(0, 0)).toBe(-1);
  });

  it('keeps a clone apart from its original', () => {
    const tree = new MaxTree();
    tree.rebuild([1, 9, 3]);
    const copy = tree.clone();
    tree.set(1, 0);
    expect(tree.lastAtLeast(2, 5)).toBe(-1);
    expect(copy.lastAtLeast(2, 5)).toBe(1);
  });
});
