/** The first index whose value is above x in an ascending array, or its first `length` values (`length` if none): upper_bound. */
export function upperBound(values: ArrayLike<number>, x: number, length = values.length): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** upperBound over the keys of items in ascending key order (a line, an address): the first item whose key is above x. */
export function upperBoundBy<T>(items: readonly T[], x: number, keyOf: (item: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keyOf(items[mid]!) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
